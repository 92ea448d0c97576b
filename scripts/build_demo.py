"""Build the bundled demo workspace's evidence/ folder for "Example Restorative Service".

Everything is invented: the service, its documents, its cases and its audits. No real
service, place or person is named, and no file holds personal data. The build is
deterministic (fixed seeds, fixed document timestamps), so running it twice gives
byte-identical files.

    .venv/bin/python scripts/build_demo.py [TARGET]

TARGET is a workspace folder holding rsqm.yaml and standards/ (default: the repository
root). Only TARGET/evidence/ is removed and rewritten; nothing outside it is touched.
The generator writes files directly rather than through rsqm.workspace.store: it creates the demo
from nothing, so there is no edit to log.
"""

from __future__ import annotations

import hashlib
import io
import random
import shutil
import sys
import textwrap
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

import docx
from docx.enum.text import WD_BREAK

from rsqm.audit.sampling import new_sample
from rsqm.base.workdays import add_working_days
from rsqm.files.models import Accreditation, ActionPlan, Audit, Case, Checklist, Register, Requests, Sample
from rsqm.files.yamlio import dump_yaml, load_yaml_text
from rsqm.imports.caselist import cases_csv

REPO = Path(__file__).resolve().parent.parent
SERVICE = "Example Restorative Service"
CHECKLIST_FILE = "standards/rj-case-file-audit.yaml"
FIXED_TIME = datetime(2026, 6, 1, 9, 0, 0)

# --- documents: a title, a line of document control, and pages of numbered sections ----------


@dataclass
class Section:
    heading: str
    paragraphs: list[str]  # a paragraph starting "- " is a bullet


@dataclass
class Doc:
    file: str  # name under evidence/files/
    title: str
    control: str  # version / approval line under the title
    pages: list[list[Section]] = field(default_factory=list)


def s(heading: str, *paragraphs: str) -> Section:
    return Section(heading, list(paragraphs))


def documents() -> list[Doc]:
    """The service's evidence documents. Locators in the register point at these sections and pages."""
    return [
        Doc(
            "strategy-2025-2028.docx",
            "Restorative Justice Strategy 2025 to 2028",
            "Version 1.0. Agreed by the management board on 2025-10-01. Review by 2028-09-30. Owner: Service manager.",
            [
                [
                    s(
                        "1. Introduction",
                        "This strategy sets out why Example Restorative Service offers restorative justice, who the service is for "
                        "and what it aims to achieve over the three years from October 2025.",
                        "It was developed with practitioners, volunteers, referral partners and the commissioner's office, and it "
                        "draws on participant feedback gathered during 2024.",
                    ),
                    s(
                        "2. Our vision",
                        "Everyone harmed by crime in the area should be offered a safe, well-prepared chance to communicate with "
                        "the person responsible, at a time that suits them, and to be supported whatever they decide.",
                        "2.1 Restorative justice is offered as a voluntary service. Nobody is pressed to take part and anyone "
                        "may stop at any point.",
                        "2.2 We put the needs and safety of the person harmed first, while treating everyone with respect.",
                    ),
                ],
                [
                    s(
                        "3. Who the service is for",
                        "3.1 Adults harmed by crime, and adults who have caused harm and accept responsibility for it, at any "
                        "stage of the criminal justice process.",
                        "3.2 Referrals come from the police, probation, prisons, the local victim service and people who contact "
                        "us themselves.",
                    ),
                    s(
                        "4. Strategic aims 2025 to 2028",
                        "- Aim 1: increase the number of people harmed who are offered restorative justice by a fifth.",
                        "- Aim 2: keep the quality of preparation and risk assessment high, shown by case-file audit.",
                        "- Aim 3: widen access for groups who are under-represented among referrals.",
                        "- Aim 4: achieve and keep the restorative service quality mark.",
                        "Each aim is broken down into yearly targets in the annual delivery plan.",
                    ),
                    s(
                        "5. Governance",
                        "The management board reviews progress against these aims twice a year. The steering group with "
                        "referral partners meets each quarter.",
                    ),
                ],
            ],
        ),
        Doc(
            "delivery-plan-2025-26.docx",
            "Annual Delivery Plan 2025-26",
            "Version 1.2. Approved by the Service manager on 2025-10-15. Review by 2027-01-31.",
            [
                [
                    s(
                        "1. Purpose",
                        "This plan turns the aims of the Restorative Justice Strategy 2025 to 2028 into targets for the year "
                        "from October 2025 to September 2026, with the budget and staffing that support them.",
                    ),
                    s(
                        "2. Resources",
                        "2.1 Staffing: one service manager, one practice lead, one training coordinator, six sessional "
                        "practitioners and a pool of trained volunteers. Staff are identified in service records by code only.",
                        "2.2 Funding: a three-year grant from the commissioner's office, reviewed each year.",
                    ),
                ],
                [
                    s(
                        "3. Targets for 2025-26",
                        "- Target 1.1: offer restorative justice to at least 600 people harmed.",
                        "- Target 1.2: close at least 120 cases that reach preparation.",
                        "- Target 2.1: at least 90 per cent of audited files show a risk assessment before first contact.",
                        "- Target 3.1: complete an equality impact assessment and act on its findings.",
                        "- Target 4.1: submit the quality mark application by the end of December 2026.",
                    ),
                    s(
                        "4. Monitoring",
                        "Progress is reported to the management board in June and December and to the steering group each "
                        "quarter, using the performance figures in the outcome report.",
                    ),
                ],
            ],
        ),
        Doc(
            "board-minutes-2026-06.pdf",
            "Management Board - Minutes",
            "Meeting held on 2026-06-10. Present: Chair of the board, Service manager, Practice lead, Finance officer, "
            "two independent board members. Minutes approved at the following meeting.",
            [
                [
                    s("Item 1. Apologies and declarations", "Apologies were received from the commissioner's representative. No interests were declared."),
                    s(
                        "Item 2. Minutes of the last meeting",
                        "The minutes of the December meeting were agreed. All actions were complete except the equality impact "
                        "assessment, which the Service manager will bring to the next meeting.",
                    ),
                    s(
                        "Item 3. Risk register",
                        "The board reviewed the risk register. The risk from the expiry of the data protection policy review "
                        "date was raised; the Service manager will schedule the review.",
                    ),
                ],
                [
                    s(
                        "Item 4. Performance report to the end of May",
                        "The Practice lead presented the half-year performance report. Referrals are ahead of target; the "
                        "share of cases completed is steady. Follow-up contact after closure remains inconsistent.",
                        "Decision: the Practice lead will report follow-up rates from the next case-file audit.",
                    ),
                    s(
                        "Item 5. Complaints",
                        "Two complaints were received in the half year; both were answered within the stated time. No themes "
                        "were identified.",
                    ),
                    s("Item 6. Date of next meeting", "The next meeting will be held in December 2026."),
                ],
            ],
        ),
        Doc(
            "steering-group-minutes-2026-09.pdf",
            "Restorative Justice Steering Group - Minutes",
            "Meeting held on 2026-09-18. Present: Service manager (chair), Practice lead, representatives of the police, "
            "probation, the prison partnership and the local victim service.",
            [
                [
                    s(
                        "1. Referral figures",
                        "Referrals from probation rose this quarter. Police referrals fell slightly after a change in the "
                        "referral route; the police representative will brief officers again.",
                    ),
                    s(
                        "2. Case-file audit",
                        "The Practice lead summarised the audit of cases closed between January and June 2026. Risk "
                        "assessment before contact was recorded on nearly every file. Follow-up and feedback at closure was "
                        "below target.",
                    ),
                    s(
                        "3. Actions",
                        "- The Practice lead will introduce a closure checklist that prompts follow-up contact.",
                        "- Partners will share their updated referral forms with the service.",
                    ),
                ],
            ],
        ),
        Doc(
            "outcome-report-2025-26.docx",
            "Annual Outcome Report 2025-26",
            "Prepared by the Practice lead. Considered by the management board. Dated 2026-10-20.",
            [
                [
                    s(
                        "1. Summary",
                        "In 2025-26 the service closed 132 cases after preparation. Just over half reached a restorative "
                        "process, either a meeting or an indirect exchange.",
                        "This report was considered by the steering group and will go to the management board in December 2026.",
                    ),
                    s(
                        "2. Referrals and processes",
                        "2.1 Face-to-face meetings remained the most common process, followed by letters and shuttle "
                        "communication. Conferences were used for a small number of cases with several participants.",
                    ),
                ],
                [
                    s(
                        "3. Outcomes",
                        "3.1 Where an outcome agreement was made, most agreed actions were completed within the time set.",
                        "3.2 Cases that did not proceed were withdrawn by one party or judged unsuitable after assessment. "
                        "Reasons are recorded on every closed file.",
                        "3.3 Participant feedback was strongly positive; see the feedback summary for detail.",
                    ),
                    s(
                        "4. Learning",
                        "Follow-up contact after closure needs to become routine. A closure checklist will be introduced in "
                        "2026-27.",
                    ),
                ],
            ],
        ),
        Doc(
            "partnership-agreement.pdf",
            "Restorative Justice Partnership Agreement",
            "Agreed between Example Restorative Service, the area police force, the probation delivery unit and the local "
            "victim service. Signed 2025-08-01. Review by 2027-07-31.",
            [
                [
                    s(
                        "1. Purpose",
                        "This agreement sets out how the partners refer people to the service and share information for "
                        "restorative justice.",
                    ),
                    s(
                        "2. Roles of the partners",
                        "2.1 Partners offer restorative justice to people in contact with them and refer those who wish to "
                        "know more.",
                        "2.2 The service assesses every referral, keeps partners informed of progress and returns cases that "
                        "do not proceed.",
                    ),
                ],
                [
                    s(
                        "3. Referral pathway",
                        "3.1 Referrals are made on the agreed form through the secure referral route.",
                        "3.2 The service acknowledges each referral within two working days and makes first contact within "
                        "five working days, or two working days for victims entitled to enhanced rights.",
                    ),
                    s(
                        "4. Information sharing",
                        "4.1 Partners share only the information needed to assess suitability and risk.",
                        "4.2 Information is held and deleted in line with the service's retention schedule.",
                    ),
                ],
            ],
        ),
        Doc(
            "information-sharing-protocol.md",
            "Information-Sharing Protocol with the Prison Partnership",
            "Version 1.1. Signed 2025-03-01. Review by 2027-03-01. Owner: Service manager.",
            [
                [
                    s("1. Scope", "This protocol covers restorative work with people in custody in the prisons served by the partnership."),
                    s(
                        "2. Access and visits",
                        "Prison staff arrange legal visit rooms for preparation sessions and meetings. The service gives "
                        "ten working days' notice of each visit.",
                    ),
                    s(
                        "3. Information shared",
                        "The prison shares current risk information relevant to the restorative process. The service shares "
                        "the outcome of the process with the offender manager.",
                    ),
                ],
            ],
        ),
        Doc(
            "equality-impact-assessment.docx",
            "Equality Impact Assessment - Access to Restorative Justice",
            "DRAFT for discussion. Version 0.3, 2026-11-20. Owner: Service manager.",
            [
                [
                    s(
                        "1. What is being assessed",
                        "Whether people referred to the service, and those who take part, reflect the population of the area, "
                        "and where access could be improved.",
                    ),
                    s(
                        "2. Findings so far",
                        "2.1 Referrals of younger adults harmed by crime are lower than expected.",
                        "2.2 Few referrals concern hate crime, although partners report more incidents.",
                        "2.3 Materials in languages other than English are requested rarely but are not readily available.",
                    ),
                    s("3. Proposed actions", "To be agreed with the management board before this assessment is approved."),
                ],
            ],
        ),
        Doc(
            "rj-policy.pdf",
            "Restorative Justice Policy",
            "Version 3.0. Approved by the management board on 2025-07-15. Review by 2027-07-15. Owner: Service manager.",
            [
                [
                    s("1. Purpose", "This policy sets out how Example Restorative Service delivers restorative justice safely and fairly."),
                    s(
                        "2. Principles",
                        "2.1 Taking part is voluntary for everyone and anyone may withdraw at any time.",
                        "2.2 The person responsible must accept the basic facts of the harm.",
                        "2.3 Every process is risk assessed and led by a trained practitioner.",
                    ),
                ],
                [
                    s(
                        "3. Scope",
                        "3.1 The policy applies to all staff and volunteers.",
                        "3.2 It covers every process the service offers: face-to-face meetings, conferences, shuttle "
                        "communication and letters.",
                    ),
                    s(
                        "4. Responsibilities",
                        "4.1 The Service manager owns this policy. The Practice lead supervises casework and is the "
                        "designated safeguarding lead.",
                        "4.2 Practitioners follow the operating procedure for every case.",
                    ),
                    s("5. Review", "This policy is reviewed every two years, or sooner if the law or national guidance changes."),
                ],
            ],
        ),
        Doc(
            "rj-policy-2019.pdf",
            "Restorative Justice Policy (superseded)",
            "Version 2.0. Approved 2019-09-01. Superseded by version 3.0 in July 2025.",
            [
                [
                    s("1. Purpose", "This earlier policy described the service's restorative work before the current operating procedure."),
                    s("2. Status", "Kept for reference only. Version 3.0 replaces it in full."),
                ],
            ],
        ),
        Doc(
            "operating-procedure.docx",
            "Restorative Justice Operating Procedure",
            "Version 2.1. Approved by the Service manager on 2025-09-01. Review by 2027-09-01. Owner: Practice lead.",
            [
                [
                    s(
                        "1. Purpose and scope",
                        "This procedure describes each step of a restorative case, from referral to closure. It applies to "
                        "every practitioner and volunteer.",
                    ),
                    s(
                        "2. Referral and allocation",
                        "2.1 Referrals are logged on the day they arrive and allocated by the Practice lead.",
                        "2.2 First contact is made within five working days (two for victims entitled to enhanced rights); any "
                        "delay is recorded with the reason.",
                    ),
                    s(
                        "3. Information for participants",
                        "Before anyone is asked to agree, the practitioner gives the participant information leaflet and "
                        "explains the processes on offer and the right to withdraw.",
                    ),
                ],
                [
                    s(
                        "4. Suitability",
                        "4.1 The practitioner assesses suitability for each participant and records the decision with reasons.",
                        "4.2 The person responsible must accept the basic facts of the harm; this is checked and recorded "
                        "before the person harmed is contacted about a process.",
                        "4.3 Every participant's capacity and freedom to choose is considered.",
                    ),
                    s(
                        "5. Risk assessment",
                        "5.1 A risk assessment using the service template is completed for every participant before any "
                        "contact between the parties.",
                        "5.2 The assessment is reviewed before any meeting and signed off by the Practice lead.",
                        "5.3 Safeguarding concerns are escalated under the safeguarding policy.",
                    ),
                ],
                [
                    s(
                        "6. Consent",
                        "6.1 Written consent to take part and to the sharing of information is obtained from each "
                        "participant before the process goes ahead.",
                        "6.2 Consent is checked again before any meeting.",
                    ),
                    s(
                        "7. Delivery",
                        "7.1 The practitioner records the process chosen and why.",
                        "7.2 Each session is written up within three working days.",
                    ),
                    s(
                        "8. Outcome and closure",
                        "8.1 Outcome agreements are recorded in specific terms and monitored.",
                        "8.2 The person harmed is told whether agreed actions were completed.",
                        "8.3 Every case is closed with a recorded reason and an offer of follow-up contact.",
                    ),
                ],
            ],
        ),
        Doc(
            "data-protection-policy-2021.pdf",
            "Data Protection Policy",
            "Version 1.0. Approved 2021-11-01. Review by 2023-11-01. Owner: Service manager.",
            [
                [
                    s(
                        "1. Purpose",
                        "This policy explains how the service collects, uses, stores and deletes personal information about "
                        "participants, staff and volunteers.",
                    ),
                    s(
                        "2. Lawful basis and privacy notice",
                        "2.1 The service processes personal information to deliver restorative justice under its grant agreement.",
                        "2.2 Every participant receives the privacy notice with the information leaflet.",
                    ),
                ],
                [
                    s(
                        "3. Retention",
                        "3.1 Case files are kept for six years after closure and then securely destroyed.",
                        "3.2 Referral records for cases that do not proceed are kept for two years.",
                    ),
                    s(
                        "4. Sharing information",
                        "Information is shared with partners only as set out in the partnership agreement, or where the law "
                        "requires it, including to protect someone from harm.",
                    ),
                ],
            ],
        ),
        Doc(
            "complaints-log-summary.md",
            "Complaints Log Summary, October 2024 to September 2026",
            "Prepared by the Service manager on 2026-10-30. Individual complaints are held in the confidential log.",
            [
                [
                    s(
                        "1. Numbers",
                        "Five complaints were received in two years: three about delays in first contact, one about the "
                        "location of a meeting and one about the outcome of a suitability decision.",
                    ),
                    s(
                        "2. Response times",
                        "All five were acknowledged within two working days and answered within the twenty working days the "
                        "complaints procedure allows.",
                    ),
                    s(
                        "3. Learning",
                        "- Delays in first contact led to the five-working-day target now in the operating procedure.",
                        "- Meeting venues are now agreed with both parties before they are booked.",
                    ),
                ],
            ],
        ),
        Doc(
            "safeguarding-policy.pdf",
            "Safeguarding Policy and Procedure",
            "Version 4.0. Approved by the management board on 2025-12-01. Review by 2027-12-01. Owner: Practice lead.",
            [
                [
                    s(
                        "1. Purpose",
                        "This policy protects children and adults at risk who come into contact with the service, and sets "
                        "out what staff must do when harm is disclosed or suspected.",
                    ),
                    s(
                        "2. Designated safeguarding lead",
                        "The Practice lead is the designated safeguarding lead. The Service manager deputises.",
                    ),
                ],
                [
                    s(
                        "3. Responding to concerns",
                        "3.1 Any concern raised in preparation or in a meeting is reported to the designated safeguarding "
                        "lead on the same day.",
                        "3.2 The lead decides, and records, whether to refer to the local authority or the police.",
                        "3.3 A restorative process is paused while a concern is assessed.",
                    ),
                    s(
                        "4. Sharing information without consent",
                        "Information may be shared without consent where this is necessary to protect someone from serious "
                        "harm. The reason is recorded on the file.",
                    ),
                ],
                [
                    s(
                        "5. Training and review",
                        "5.1 All staff and volunteers complete safeguarding training at induction and every two years.",
                        "5.2 This policy is reviewed every two years.",
                    ),
                ],
            ],
        ),
        Doc(
            "risk-assessment-template.docx",
            "Risk Assessment Template",
            "Version 2.0. Approved by the Practice lead on 2025-09-01. Review by 2027-09-01.",
            [
                [
                    s(
                        "1. How to use this template",
                        "Complete one template for each participant before any contact between the parties. Review it before "
                        "every meeting and whenever circumstances change.",
                    ),
                    s(
                        "2. Risk factors",
                        "- Risk of further harm, intimidation or retaliation.",
                        "- Emotional and psychological wellbeing, including any risk of distress.",
                        "- Substance use, mental health and other vulnerabilities.",
                        "- Safeguarding concerns for children or adults at risk.",
                    ),
                ],
                [
                    s(
                        "3. Safety plan",
                        "Record the measures agreed for each risk: venue, timing, supporters, separate arrival and departure, "
                        "and what will end a meeting.",
                    ),
                    s(
                        "4. Sign-off",
                        "The Practice lead signs off the assessment before a meeting goes ahead and records the decision.",
                    ),
                ],
            ],
        ),
        Doc(
            "risk-assessment-procedure.docx",
            "Risk Assessment Procedure",
            "Version 2.0. Approved by the Service manager on 2025-09-01. Review by 2027-09-01. Owner: Practice lead.",
            [
                [
                    s("1. Purpose", "This procedure says when and how practitioners assess risk, using the risk assessment template."),
                    s(
                        "2. When risk is assessed",
                        "2.1 Before any contact between the parties, for every participant.",
                        "2.2 Again before any meeting, and whenever new information comes to light.",
                    ),
                ],
                [
                    s(
                        "3. Escalation",
                        "3.1 High risks are discussed with the Practice lead before the case continues.",
                        "3.2 Safeguarding concerns follow the safeguarding policy.",
                    ),
                    s("4. Recording", "The completed template and the sign-off decision are kept on the case file."),
                ],
            ],
        ),
        Doc(
            "facilitator-training-matrix.docx",
            "Facilitator Training Matrix",
            "Updated by the Training coordinator on 2026-08-28. Staff and volunteers are listed by code only.",
            [
                [
                    s(
                        "1. Facilitator training",
                        "Every practitioner who takes cases has completed accredited restorative justice facilitator "
                        "training before taking a case.",
                        "- P01, P02, P03: facilitator training completed; refresher completed in 2025.",
                        "- P04, P05, P06: facilitator training completed; refresher completed in 2025.",
                        "- P07, P08, P09: facilitator training completed in 2024; refresher booked.",
                    ),
                    s(
                        "2. Mandatory training",
                        "Safeguarding and data protection training is current for all nine practitioners.",
                    ),
                ],
            ],
        ),
        Doc(
            "refresher-training-record-2025.pdf",
            "Refresher Training Record 2025",
            "Record kept by the Training coordinator. Dated 2026-05-30.",
            [
                [
                    s(
                        "1. Sessions held",
                        "Two one-day refresher sessions were held in April and May 2026, covering risk assessment "
                        "updates, consent and managing difficult meetings.",
                    ),
                    s(
                        "2. Attendance",
                        "Six practitioners attended: P01, P02, P03, P04, P05 and P06. Certificates are held on each "
                        "practitioner's training file.",
                    ),
                    s("3. Evaluation", "All attendees rated the sessions useful or very useful."),
                ],
            ],
        ),
        Doc(
            "safeguarding-training-record-2025.md",
            "Safeguarding Training Record 2025",
            "Record kept by the Training coordinator. Dated 2026-04-15.",
            [
                [
                    s(
                        "1. Course",
                        "A half-day safeguarding course for restorative practitioners, covering disclosures during "
                        "preparation and meetings.",
                    ),
                    s("2. Attendance", "All nine practitioners (P01 to P09) and the Practice lead completed the course."),
                ],
            ],
        ),
        Doc(
            "training-plan-2025-26.docx",
            "Training and Development Plan 2025-26",
            "Agreed by the Service manager on 2026-03-01. Review by 2027-02-28. Owner: Training coordinator.",
            [
                [
                    s(
                        "1. How needs were identified",
                        "Needs were identified from supervision, annual appraisals and the case-file audit.",
                    ),
                    s(
                        "2. Planned development",
                        "- Refresher facilitator training for all practitioners.",
                        "- Safeguarding update for everyone.",
                        "- Advanced training for sensitive and complex cases for at least three practitioners.",
                    ),
                ],
                [
                    s(
                        "3. Progress",
                        "Refresher and safeguarding training are complete. Advanced training is booked for spring 2027.",
                    ),
                ],
            ],
        ),
        Doc(
            "supervision-procedure.md",
            "Supervision and Support Procedure",
            "Draft version 0.9 for approval, 2026-11-28. Owner: Practice lead.",
            [
                [
                    s(
                        "1. Frequency",
                        "Practitioners receive one-to-one supervision every six weeks and group supervision each quarter.",
                    ),
                    s("2. Debriefing", "A debrief is offered within two working days of any difficult meeting."),
                    s("3. Wellbeing", "Practitioners can use the confidential wellbeing service at any time."),
                ],
            ],
        ),
        Doc(
            "supervision-records-2026-h1.pdf",
            "Supervision Records Summary, January to June 2026",
            "Prepared by the Practice lead on 2026-06-19.",
            [
                [
                    s(
                        "1. Sessions held",
                        "Thirty-six one-to-one sessions and two group sessions were held. Every practitioner had at least "
                        "four sessions.",
                    ),
                    s(
                        "2. Case discussion",
                        "Live cases were discussed at every session. Risk decisions were reviewed and the decision to hold "
                        "each meeting was signed off by the Practice lead.",
                    ),
                    s("3. Themes", "Follow-up after closure and the recording of outcome monitoring were recurring themes."),
                ],
            ],
        ),
        Doc(
            "supervision-records-2026-q3.pdf",
            "Supervision Records Summary, July to September 2026",
            "Prepared by the Practice lead on 2026-09-30.",
            [
                [
                    s("1. Sessions held", "Eighteen one-to-one sessions and one group session were held."),
                    s(
                        "2. Case discussion",
                        "Live cases were discussed at every session. Two cases were paused after supervision while risks "
                        "were reviewed.",
                    ),
                    s("3. Actions", "The closure checklist was trialled with three practitioners."),
                ],
            ],
        ),
        Doc(
            "case-file-audit-2026-h1.docx",
            "Case-File Audit Report: Cases Closed January to June 2026",
            "Prepared by the Practice lead on 2026-08-27.",
            [
                [
                    s(
                        "1. Method",
                        "A stratified sample of twenty closed cases, drawn by process with a recorded seed, was audited "
                        "against the 22-item case-file checklist. A second supervisor moderated a selection of audits.",
                    ),
                    s(
                        "2. Results",
                        "2.1 Risk assessment before contact and suitability decisions were recorded on nearly every file.",
                        "2.2 Follow-up and feedback at closure was below target.",
                    ),
                ],
                [
                    s(
                        "3. Actions agreed",
                        "- Introduce a closure checklist prompting follow-up contact.",
                        "- Remind practitioners to record the reasons for the process chosen.",
                    ),
                ],
            ],
        ),
        Doc(
            "case-file-audit-2026-q3.docx",
            "Case-File Audit Report: Cases Closed July to September 2026",
            "Prepared by the Practice lead on 2026-11-29.",
            [
                [
                    s("1. Method", "A stratified sample of fifteen closed cases was audited against the case-file checklist."),
                    s(
                        "2. Results",
                        "2.1 Consent, risk and suitability items met their targets.",
                        "2.2 Follow-up and feedback at closure improved slightly but remains below target.",
                        "2.3 One safeguarding concern was identified on audit and escalated to the designated safeguarding lead.",
                    ),
                ],
                [
                    s(
                        "3. Actions agreed",
                        "- Safeguarding briefing for all practitioners on recording escalation.",
                        "- Closure checklist to become mandatory.",
                    ),
                ],
            ],
        ),
        Doc(
            "participant-information-leaflet.pdf",
            "Restorative Justice: Information for Participants",
            "Leaflet version 3. Reviewed for plain language on 2025-04-01. Review by 2028-04-01.",
            [
                [
                    s(
                        "1. What is restorative justice?",
                        "Restorative justice gives people harmed by crime the chance to communicate with the person "
                        "responsible, to explain the impact and to ask questions.",
                    ),
                    s(
                        "2. How it can happen",
                        "- A meeting with a trained facilitator.",
                        "- Letters passed between you.",
                        "- Messages carried by the facilitator (shuttle).",
                    ),
                ],
                [
                    s(
                        "3. Your choice",
                        "Taking part is your choice. You can stop at any time, without giving a reason.",
                    ),
                    s(
                        "4. Keeping you safe",
                        "Your facilitator will talk to you about your safety before anything happens and will only go ahead "
                        "if it is safe.",
                    ),
                    s(
                        "5. Your information",
                        "We keep your information secure and only share it as explained in our privacy notice.",
                    ),
                ],
            ],
        ),
        Doc(
            "consent-form-template.docx",
            "Consent Form Template",
            "Version 2.0. Approved by the Practice lead on 2025-09-01. Review by 2028-09-01.",
            [
                [
                    s(
                        "1. Agreement to take part",
                        "I understand what the restorative process involves and I agree to take part. I know I can withdraw "
                        "at any time.",
                    ),
                    s(
                        "2. Sharing of information",
                        "I agree that the service may share the information described below with the other participant and "
                        "with the referring partner, for the reasons explained to me.",
                    ),
                    s(
                        "3. Signatures",
                        "Participant signature and date. Facilitator signature and date. The form is checked again before any meeting.",
                    ),
                ],
            ],
        ),
        Doc(
            "feedback-summary-2025-26.md",
            "Participant Feedback Summary 2025-26",
            "Prepared by the Practice lead on 2026-10-25 from anonymous feedback forms.",
            [
                [
                    s(
                        "1. Response",
                        "Feedback forms were returned for 61 of the cases that reached a restorative process.",
                    ),
                    s(
                        "2. What participants told us",
                        "- Nine in ten felt well prepared for the process.",
                        "- Most would recommend restorative justice to someone in a similar situation.",
                        "- Some would have liked more contact after the case closed.",
                    ),
                    s(
                        "3. What we changed",
                        "Follow-up contact after closure is being built into the closure checklist.",
                    ),
                ],
            ],
        ),
        Doc(
            "code-of-conduct.pdf",
            "Code of Conduct for Practitioners and Volunteers",
            "Version 2.0. Approved by the management board on 2025-07-15. Review by 2027-07-15.",
            [
                [
                    s(
                        "1. Impartiality",
                        "Practitioners treat every participant with equal respect and do not take sides.",
                    ),
                    s(
                        "2. Confidentiality",
                        "Information about participants is kept confidential except where sharing is needed to keep someone safe.",
                    ),
                    s(
                        "3. Boundaries and conflicts of interest",
                        "Practitioners declare any connection with a participant and do not take the case.",
                    ),
                    s(
                        "4. Signature",
                        "Every practitioner and volunteer signs this code at induction; signed copies are held on staff files.",
                    ),
                ],
            ],
        ),
        Doc(
            "insurance-certificate-2025-26.pdf",
            "Certificate of Insurance",
            "Issued by Example Mutual Insurance. Period of cover 2025-12-01 to 2026-11-30.",
            [
                [
                    s("1. Insured", "Example Restorative Service."),
                    s(
                        "2. Cover",
                        "- Professional indemnity: cover for restorative justice services.",
                        "- Public liability: cover for activities at the insured's premises and approved venues.",
                        "- Employer's liability: statutory cover.",
                    ),
                    s("3. Period of insurance", "From 2025-12-01 to 2026-11-30, both dates inclusive."),
                ],
            ],
        ),
        Doc(
            "rjc-membership-2026-27.pdf",
            "Organisational Membership Confirmation",
            "Membership of the Restorative Justice Council for Example Restorative Service. Issued 2026-04-01. "
            "Membership runs to 2027-03-31.",
            [
                [
                    s("1. Member", "Example Restorative Service, organisational member."),
                    s("2. Period", "From 2026-04-01 to 2027-03-31. Renewal is due before the end of the period."),
                ],
            ],
        ),
        Doc(
            "renewal-return-2026.docx",
            "Annual Renewal Return 2026: Registered Service Provider",
            "Completed by the Service manager and submitted on 2026-10-15. Staff are identified by code only.",
            [
                [
                    s(
                        "1. Staffing changes in the last twelve months",
                        "One sessional practitioner (P10) joined in August 2026 and is in probation. No practitioner left.",
                    ),
                    s(
                        "2. Practitioners registered with the RJC",
                        "Counted for the 60 per cent rule: nine paid practitioners trained to at least foundation level who "
                        "actively practise (P10 is left out while in probation) and no volunteers of more than twelve months "
                        "who deliver. Six of the nine (P01 to P06) are on the practitioner register: 67 per cent.",
                    ),
                    s(
                        "3. Referrals and outcomes",
                        "The service received 312 referrals and closed 132 cases after preparation in 2025-26; the outcome "
                        "report gives the detail.",
                    ),
                ],
                [
                    s(
                        "4. How practice was evaluated",
                        "Two case-file audits with reproducible samples and second marking, participant feedback forms and the "
                        "annual outcome report, considered by the steering group and the management board.",
                    ),
                    s(
                        "5. Main challenges and priorities for the next year",
                        "- Follow-up contact after closure.",
                        "- Advanced training for sensitive and complex cases.",
                    ),
                    s(
                        "6. Declaration",
                        "The Service manager declares on behalf of the service that it adheres to the RJC Service Provider "
                        "Code of Practice.",
                    ),
                ],
            ],
        ),
    ]


# --- writers -------------------------------------------------------------------------------


def docx_bytes(doc: Doc) -> bytes:
    """A .docx whose headings carry the section numbers and whose pages are split where the spec says."""
    document = docx.Document()
    props = document.core_properties
    props.author = SERVICE
    props.last_modified_by = SERVICE
    props.title = doc.title
    props.created = FIXED_TIME
    props.modified = FIXED_TIME
    props.last_printed = FIXED_TIME
    props.revision = 1
    document.add_heading(doc.title, level=0)
    document.add_paragraph().add_run(doc.control).italic = True
    for number, page in enumerate(doc.pages, start=1):
        if number > 1:
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        for section in page:
            document.add_heading(section.heading, level=1)
            for text in section.paragraphs:
                if text.startswith("- "):
                    document.add_paragraph(text[2:], style="List Bullet")
                else:
                    document.add_paragraph(text)
        document.add_paragraph(f"{doc.title} - page {number} of {len(doc.pages)}").runs[0].font.size = docx.shared.Pt(8)
    raw = io.BytesIO()
    document.save(raw)
    return _fixed_zip(raw.getvalue())


def _fixed_zip(data: bytes) -> bytes:
    """Rewrite a zip with fixed entry timestamps so the same content gives the same bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(entry, src.read(info.filename))
    return out.getvalue()


def markdown_text(doc: Doc) -> str:
    lines = [f"# {doc.title}", "", f"*{doc.control}*", ""]
    for page in doc.pages:
        for section in page:
            lines += [f"## {section.heading}", ""]
            for text in section.paragraphs:
                lines += [text, ""] if not text.startswith("- ") else [text]
            if lines[-1] != "":
                lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


PAGE_W, PAGE_H, MARGIN = 595, 842, 60
WRAP = 88  # characters per 10 pt Helvetica line across the text width


def _pdf_escape(text: str) -> str:
    ascii_text = text.encode("ascii", "replace").decode("ascii")
    return ascii_text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def _page_stream(doc: Doc, number: int, page: list[Section]) -> bytes:
    """The content stream of one PDF page: absolute-positioned Helvetica lines."""
    ops: list[str] = []
    y = PAGE_H - MARGIN

    def put(text: str, font: str, size: float, lead: float, indent: int = 0) -> None:
        nonlocal y
        ops.append(f"BT /{font} {size} Tf 1 0 0 1 {MARGIN + indent} {y} Tm ({_pdf_escape(text)}) Tj ET")
        y -= lead

    if number == 1:
        put(doc.title, "F2", 16, 24)
        for line in textwrap.wrap(doc.control, 100):
            put(line, "F1", 9, 12)
        y -= 10
    for section in page:
        y -= 6
        put(section.heading, "F2", 12, 18)
        for text in section.paragraphs:
            bullet = text.startswith("- ")
            wrapped = textwrap.wrap(text[2:] if bullet else text, WRAP - 4 if bullet else WRAP)
            for index, line in enumerate(wrapped):
                put(("- " if bullet and index == 0 else "") + line, "F1", 10, 14, 0 if (not bullet or index == 0) else 9)
            y -= 4
    if y < MARGIN + 20:
        raise ValueError(f"{doc.file}: page {number} overflows; split it in the spec")
    y = MARGIN - 20
    put(f"{SERVICE} - {doc.title} - page {number} of {len(doc.pages)}", "F1", 8, 0)
    return "\n".join(ops).encode("ascii")


def pdf_bytes(doc: Doc) -> bytes:
    """A small valid PDF (Helvetica, one content stream per page) written without a PDF library."""
    streams = [_page_stream(doc, number, page) for number, page in enumerate(doc.pages, start=1)]
    objects: list[bytes] = []
    count = len(doc.pages)
    page_ids = [5 + 2 * i for i in range(count)]
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(f"<< /Type /Pages /Kids [{' '.join(f'{p} 0 R' for p in page_ids)}] /Count {count} >>".encode())
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>")
    for page_id, stream in zip(page_ids, streams, strict=True):
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {PAGE_W} {PAGE_H}] "
            f"/Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents {page_id + 1} 0 R >>".encode()
        )
        objects.append(f"<< /Length {len(stream)} >>\nstream\n".encode() + stream + b"\nendstream")
    info_id = len(objects) + 1
    objects.append(f"<< /Title ({_pdf_escape(doc.title)}) /Author ({SERVICE}) /Producer (rsqm build_demo) >>".encode())

    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Info {info_id} 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def render(doc: Doc) -> bytes:
    if doc.file.endswith(".docx"):
        return docx_bytes(doc)
    if doc.file.endswith(".pdf"):
        return pdf_bytes(doc)
    return markdown_text(doc).encode("utf-8")


# --- the evidence register -------------------------------------------------------------------


def link(indicator: str, locator: str, claim: str) -> dict[str, str]:
    return {"indicator": indicator, "locator": locator, "claim": claim} if locator else {"indicator": indicator, "claim": claim}


# id, title, type, file, owner, dated, review_by, status, links
REGISTER: list[tuple[str, str, str, str, str, str, str | None, str, list[dict[str, str]]]] = [
    ("E001", "Restorative justice strategy 2025 to 2028", "strategy", "strategy-2025-2028.docx", "Service manager",
     "2025-10-01", "2028-09-30", "approved",
     [link("1.2", "section 2, p. 1", "States the service's vision for restorative justice and who it is for."),
      link("1.2", "section 4, p. 2", "Sets four strategic aims for 2025 to 2028, broken into yearly targets.")]),
    ("E002", "Annual delivery plan 2025-26", "business_plan", "delivery-plan-2025-26.docx", "Service manager",
     "2025-10-15", "2027-01-31", "approved",
     [link("1.2", "section 3, p. 2", "Turns the strategic aims into measurable targets for the year.")]),
    ("E003", "Management board minutes, June 2026", "meeting_minutes", "board-minutes-2026-06.pdf", "Service manager",
     "2026-06-10", None, "approved",
     [link("1.3", "item 4, p. 2", "The board reviewed the half-year performance report and recorded a decision with an owner."),
      link("2.3", "item 3, p. 1", "The board tracks policy review dates and had the data protection review scheduled.")]),
    ("E004", "Steering group minutes, September 2026", "meeting_minutes", "steering-group-minutes-2026-09.pdf", "Service manager",
     "2026-09-18", None, "approved",
     [link("1.3", "", "Partners reviewed referral figures and the case-file audit results.")]),
    ("E005", "Annual outcome report 2025-26", "outcome_report", "outcome-report-2025-26.docx", "Practice lead",
     "2026-10-20", None, "approved",
     [link("1.3", "section 1, p. 1", "The performance report considered by the steering group and the board."),
      link("5.5", "section 3, p. 2", "Reports how many cases reached agreement and how many agreements were completed."),
      link("rjc-practitioner-code:2.6", "section 3.1, p. 2", "Agreed actions were monitored and most were completed in time.")]),
    ("E006", "Restorative justice partnership agreement", "partnership_agreement", "partnership-agreement.pdf", "Service manager",
     "2025-08-01", "2027-07-31", "approved",
     [link("1.1", "section 2, p. 1", "Sets out the roles of the police, probation and the victim service."),
      link("1.1", "section 3, p. 2", "Describes the referral pathway and response times."),
      link("victims-code-2020:R4a", "section 3.2, p. 2", "Sets the working-day limits for first contact after a referral.")]),
    ("E007", "Information-sharing protocol with the prison partnership", "partnership_agreement", "information-sharing-protocol.md",
     "Service manager", "2025-03-01", "2027-03-01", "approved",
     [link("1.1", "section 2", "Agrees access to prisons for preparation and meetings.")]),
    ("E008", "Equality impact assessment: access to restorative justice", "equality_assessment", "equality-impact-assessment.docx",
     "Service manager", "2026-11-20", None, "draft",
     [link("1.1", "section 2, p. 1", "Identifies groups under-represented among referrals.")]),
    ("E009", "Restorative justice policy", "policy", "rj-policy.pdf", "Service manager",
     "2025-07-15", "2027-07-15", "approved",
     [link("2.1", "section 2, p. 1", "The principles the service works to, approved by the board."),
      link("2.1", "section 4.1, p. 2", "Names the policy owner and the designated safeguarding lead by role.")]),
    ("E010", "Restorative justice policy (2019, superseded)", "policy", "rj-policy-2019.pdf", "Service manager",
     "2019-09-01", "2021-09-01", "superseded",
     [link("2.1", "section 1, p. 1", "The earlier policy, kept for reference.")]),
    ("E011", "Restorative justice operating procedure", "procedure", "operating-procedure.docx", "Practice lead",
     "2025-09-01", "2027-09-01", "approved",
     [link("2.1", "sections 1 to 8, pp. 1-3", "Covers the whole case journey from referral to closure."),
      link("5.1", "section 4.1, p. 2", "Requires a recorded suitability decision with reasons for every participant."),
      link("5.2", "section 5.1, p. 2", "Requires a risk assessment before any contact between the parties."),
      link("rjc-service-provider-code:B", "section 4.2, p. 2", "Requires the basic facts to be accepted before the process goes further."),
      link("rjc-service-provider-code:C", "section 6.1, p. 3", "Requires written consent before the process goes ahead."),
      link("rjc-service-provider-code:E", "section 5.2, p. 2", "Requires the risk assessment to be reviewed before a meeting.")]),
    ("E012", "Data protection policy", "data_protection", "data-protection-policy-2021.pdf", "Service manager",
     "2021-11-01", "2023-11-01", "approved",
     [link("2.2", "section 3.1, p. 2", "Sets the retention period for case files."),
      link("2.2", "section 4, p. 2", "Says when information may be shared to protect someone from harm.")]),
    ("E013", "Complaints log summary, October 2024 to September 2026", "complaints_record", "complaints-log-summary.md", "Service manager",
     "2026-10-30", None, "approved",
     [link("2.3", "section 3", "Shows what the service changed after complaints."),
      link("victims-code-2020:R12a", "section 2", "All complaints were acknowledged and answered within the stated time.")]),
    ("E014", "Safeguarding policy and procedure", "safeguarding_policy", "safeguarding-policy.pdf", "Practice lead",
     "2025-12-01", "2027-12-01", "approved",
     [link("2.1", "section 2, p. 1", "Names the designated safeguarding lead by role."),
      link("2.1", "section 3.1, p. 2", "Concerns raised in preparation or meetings are reported on the same day.")]),
    ("E015", "Risk assessment template", "risk_assessment_template", "risk-assessment-template.docx", "Practice lead",
     "2025-09-01", "2027-09-01", "approved",
     [link("5.2", "section 2, p. 1", "The risk factors assessed for every participant."),
      link("rjc-practitioner-code:2.2", "section 1, p. 1", "Practitioners complete it for each participant before contact."),
      link("rjc-service-provider-code:E", "section 3, p. 2", "Records the safety plan for each risk.")]),
    ("E016", "Risk assessment procedure", "procedure", "risk-assessment-procedure.docx", "Practice lead",
     "2025-09-01", "2027-09-01", "approved",
     [link("5.2", "section 2.1, p. 1", "Risk is assessed before any contact and reviewed before any meeting."),
      link("rjc-service-provider-code:E", "section 2, p. 1", "Sets when risk is assessed and reviewed.")]),
    ("E017", "Facilitator training matrix", "training_record", "facilitator-training-matrix.docx", "Training coordinator",
     "2026-08-28", None, "approved",
     [link("3.1", "section 1, p. 1", "Every practitioner taking cases completed facilitator training first."),
      link("3.3", "section 1, p. 1", "Shows refresher training completed in 2025."),
      link("rjc-practitioner-code:1.1", "section 1, p. 1", "Each practitioner completed facilitator training before taking cases.")]),
    ("E018", "Refresher training record 2025", "training_record", "refresher-training-record-2025.pdf", "Training coordinator",
     "2026-05-30", None, "approved",
     [link("3.3", "section 2, p. 1", "Six practitioners attended refresher training in spring 2026."),
      link("rjc-practitioner-code:3.2", "section 1, p. 1", "Two refresher days in the year count towards CPD.")]),
    ("E019", "Safeguarding training record 2025", "training_record", "safeguarding-training-record-2025.md", "Training coordinator",
     "2026-04-15", None, "approved",
     [link("3.1", "section 2", "All practitioners completed safeguarding training for restorative work.")]),
    ("E020", "Training and development plan 2025-26", "training_plan", "training-plan-2025-26.docx", "Training coordinator",
     "2026-03-01", "2027-02-28", "approved",
     [link("3.3", "section 1, p. 1", "Development needs taken from supervision, appraisal and audit."),
      link("3.3", "section 3, p. 2", "Records what was done about the needs identified.")]),
    ("E021", "Supervision and support procedure", "procedure", "supervision-procedure.md", "Practice lead",
     "2026-11-28", None, "in_review",
     [link("4.1", "section 1", "Sets the frequency of supervision and debriefing.")]),
    ("E022", "Supervision records summary, January to June 2026", "supervision_record", "supervision-records-2026-h1.pdf",
     "Practice lead", "2026-06-19", None, "approved",
     [link("4.1", "section 1, p. 1", "Every practitioner had at least four supervision sessions."),
      link("4.1", "section 2, p. 1", "Risk decisions were reviewed and meetings signed off in supervision."),
      link("rjc-practitioner-code:3.1", "section 1, p. 1", "Every practitioner was supervised on their cases during the half year.")]),
    ("E023", "Supervision records summary, July to September 2026", "supervision_record", "supervision-records-2026-q3.pdf",
     "Practice lead", "2026-09-30", None, "approved",
     [link("4.1", "section 1, p. 1", "Supervision continued at the agreed frequency."),
      link("4.1", "section 2, p. 1", "Cases were paused after supervision while risks were reviewed.")]),
    ("E024", "Case-file audit report, cases closed January to June 2026", "case_file_audit", "case-file-audit-2026-h1.docx",
     "Practice lead", "2026-08-27", None, "approved",
     [link("2.2", "section 3, p. 2", "Actions agreed after the audit to bring practice back in line with procedure."),
      link("5.1", "section 2.1, p. 1", "Suitability decisions were recorded on nearly every file."),
      link("5.4", "section 1, p. 1", "Audit method: a stratified, reproducible sample with second marking.")]),
    ("E025", "Case-file audit report, cases closed July to September 2026", "case_file_audit", "case-file-audit-2026-q3.docx",
     "Practice lead", "2026-11-29", None, "approved",
     [link("2.2", "section 2, p. 1", "Results by checklist item, including a safeguarding concern escalated."),
      link("5.1", "section 2.1, p. 1", "Consent, risk and suitability items met their targets."),
      link("5.4", "section 2, p. 1", "Shows how sessions were recorded on the audited files.")]),
    ("E026", "Participant information leaflet", "participant_information", "participant-information-leaflet.pdf", "Practice lead",
     "2025-04-01", "2028-04-01", "approved",
     [link("5.3", "section 2, p. 1", "Explains the processes on offer in plain language."),
      link("rjc-service-provider-code:A", "section 2, p. 1", "Describes each process on offer without steering towards one."),
      link("victims-code-2020:R1a", "section 1, p. 1", "Explains restorative justice in plain language."),
      link("victims-code-2020:R4b", "section 1, p. 1", "The information about restorative justice given after a referral.")]),
    ("E027", "Consent form template", "consent_form", "consent-form-template.docx", "Practice lead",
     "2025-09-01", "2028-09-01", "approved",
     [link("5.3", "section 1, p. 1", "Written consent to take part, with the right to withdraw."),
      link("rjc-service-provider-code:C", "section 2, p. 1", "Consent to share information, with whom and why.")]),
    ("E028", "Participant feedback summary 2025-26", "feedback_summary", "feedback-summary-2025-26.md", "Practice lead",
     "2026-10-25", None, "approved",
     [link("5.5", "section 2", "What participants said about the service."),
      link("5.5", "section 3", "What the service changed as a result."),
      link("victims-code-2020:F1", "section 2", "What participants said about being prepared and kept informed."),
      link("rjc-practitioner-code:2.7", "section 3", "Follow-up contact after closure is being built in.")]),
    ("E029", "Code of conduct for practitioners and volunteers", "code_of_conduct", "code-of-conduct.pdf", "Service manager",
     "2025-07-15", "2027-07-15", "approved",
     [link("6.1", "sections 1 to 3, p. 1", "Covers impartiality, confidentiality, boundaries and conflicts of interest."),
      link("6.1", "section 4, p. 1", "Signed by every practitioner and volunteer at induction."),
      link("3.2", "section 4, p. 1", "New practitioners and volunteers sign the code during induction.")]),
    ("E030", "Insurance certificate 2025-26", "insurance", "insurance-certificate-2025-26.pdf", "Service manager",
     "2025-12-01", "2026-11-30", "approved",
     [link("6.1", "section 2, p. 1", "Professional indemnity and public liability cover for restorative work.")]),
    ("E031", "RJC organisational membership confirmation 2026-27", "membership", "rjc-membership-2026-27.pdf", "Service manager",
     "2026-04-01", "2027-03-31", "approved",
     [link("P.1", "section 2, p. 1", "Membership is current until the end of March 2027.")]),
    ("E032", "Annual renewal return 2026", "renewal_return", "renewal-return-2026.docx", "Service manager",
     "2026-10-15", None, "approved",
     [link("P.2", "section 2, p. 1", "Six of the nine practitioners counted for the 60 per cent rule are registered."),
      link("P.3", "section 6, p. 2", "Declaration of adherence to the Service Provider Code of Practice."),
      link("1.3", "section 4, p. 2", "How practice was evaluated during the year.")]),
]

APPROVERS = {"Service manager": "Management board", "Practice lead": "Service manager", "Training coordinator": "Service manager"}


def register_data(digests: dict[str, str]) -> dict:
    items = []
    for eid, title, kind, file, owner, dated, review_by, status, links in REGISTER:
        entry: dict = {"id": eid, "title": title, "type": kind, "file": f"files/{file}", "owner": owner, "dated": dated}
        if review_by:
            entry["review_by"] = review_by
        entry |= {"status": status, "personal_data": "none"}
        if status == "approved":
            approved_on = date.fromisoformat(dated) + timedelta(days=7)
            entry |= {"sha256": digests[file], "approved_by": APPROVERS[owner], "approved_on": approved_on.isoformat()}
        entry["links"] = links
        items.append(entry)
    data = {"schema": "rsqm/register@1", "items": items}
    Register.model_validate(data)
    return data


# --- cases -----------------------------------------------------------------------------------

PROCESSES = {"face_to_face": 40, "letter": 27, "shuttle": 23, "conference": 10}
OFFENCES = {
    "violence_against_person": 30, "burglary": 16, "criminal_damage": 12, "theft": 12, "robbery": 7,
    "public_order": 8, "hate_crime": 5, "domestic_abuse": 3, "sexual_offence": 2, "fraud": 4, "vehicle_crime": 3,
}
PRACTITIONERS = {f"P0{n}": w for n, w in zip(range(1, 10), (16, 15, 14, 13, 12, 10, 8, 7, 5), strict=True)}
NOT_COMPLETED = {"withdrawn_by_harmed": 17, "withdrawn_by_responsible": 14, "unsuitable": 13}


def pick(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def make_cases(rng: random.Random) -> list[Case]:
    """About 250 cases closed 2025-01-01..2026-11-20 plus a few still open, numbered by referral year."""
    first, last = date(2025, 1, 1), date(2026, 11, 20)
    rows = []
    for _ in range(250):
        closed = first + timedelta(days=rng.randrange((last - first).days + 1))
        rows.append((closed - timedelta(days=rng.randint(28, 170)), closed))
    for _ in range(8):
        rows.append((date(2026, 9, 1) + timedelta(days=rng.randrange(85)), None))
    rows.sort(key=lambda r: (r[0], r[1] or date.max))
    counters: dict[int, int] = {}
    cases = []
    for referred, closed in rows:
        counters[referred.year] = counters.get(referred.year, 0) + rng.randint(1, 3)  # gaps: referrals that never opened
        process = pick(rng, PROCESSES)
        offence = "domestic_abuse" if process == "conference" and rng.random() < 0.02 else pick(rng, OFFENCES)
        if closed is None:
            outcome = ""
        elif rng.random() < 0.56:
            outcome = "direct_meeting" if process in ("face_to_face", "conference") else "indirect_completed"
        else:
            outcome = pick(rng, NOT_COMPLETED)
        cases.append(
            Case(
                case_ref=f"RJ-{referred.year}-{counters[referred.year]:04d}",
                referred_on=referred,
                closed_on=closed,
                process=process,
                offence_category=offence,
                initiator="harmed_person" if rng.random() < 0.42 else "person_responsible",
                practitioner=pick(rng, PRACTITIONERS),
                outcome=outcome,
            )
        )
    return cases


SOURCES = {"police": 52, "victim_services": 16, "probation": 12, "youth_justice": 8, "self": 7, "prison": 5}
WENT_AHEAD = ("direct_meeting", "indirect_completed")


def with_case_outcomes(rng: random.Random, cases: list[Case]) -> list[Case]:
    """The optional columns a case-management system records: source, contact and offer dates, take-up, agreements.

    Most victims are contacted within a few working days (those with enhanced rights within one); a few waits run
    long. Withdrawn cases mostly accepted first; unsuitable ones have no answer recorded. Open cases referred in the
    last days of the demo are still waiting for first contact.
    """
    last = max(c.closed_on or c.referred_on for c in cases)  # the demo's "today": nothing is recorded after it
    done = []
    for case in cases:
        enhanced = rng.random() < 0.22
        wait = rng.choice((0, 1, 1, 2)) if enhanced and rng.random() < 0.85 else rng.choice((1, 1, 2, 2, 3, 3, 4, 5, 7, 9, 12))
        contact = add_working_days(case.referred_on, wait)
        if case.closed_on is None and contact > last:
            contact = None
        offered = contact and min(add_working_days(contact, rng.choice((0, 0, 0, 1, 2))), case.closed_on or last)
        if case.outcome in WENT_AHEAD:
            accepted, reached = True, rng.random() < 0.9
        elif case.outcome == "unsuitable":  # told about RJ, then assessed as not suitable
            accepted, reached = None, None
        elif case.outcome:
            accepted, reached = rng.random() < 0.6, False
        else:
            accepted, reached = (rng.random() < 0.8 if offered else None), None
        completed = (rng.random() < 0.82) if reached else None
        done.append(case.model_copy(update={
            "referral_source": pick(rng, SOURCES), "enhanced_rights": enhanced, "first_contact_on": contact,
            "rj_info_offered_on": offered, "offer_accepted": accepted, "agreement_reached": reached if accepted else None,
            "agreement_completed": completed if accepted else None,
        }))
    return done


FEEDBACK_QUESTIONS = ("kept_informed", "felt_prepared", "felt_safe", "satisfied", "would_recommend")
FEEDBACK_YES = {"kept_informed": 0.83, "felt_prepared": 0.88, "felt_safe": 0.95, "satisfied": 0.84, "would_recommend": 0.86}


def make_feedback(rng: random.Random, cases: list[Case]) -> str:
    """Anonymous yes/no feedback forms from participants of cases that went ahead, a few weeks after closing."""
    lines = [",".join(("response_id", "received_on", "party", "process", *FEEDBACK_QUESTIONS))]
    last = max(c.closed_on or c.referred_on for c in cases)  # no form arrives after the demo's last date
    forms = []
    for case in cases:
        if case.outcome not in WENT_AHEAD:
            continue
        for party in ("harmed", "responsible"):
            if rng.random() < 0.45:
                received = case.closed_on + timedelta(days=rng.randint(7, 40))
                if received <= last:
                    answers = ["" if rng.random() < 0.05 else ("yes" if rng.random() < FEEDBACK_YES[q] else "no") for q in FEEDBACK_QUESTIONS]
                    forms.append((received, party, case.process, answers))
    forms.sort(key=lambda f: f[0])
    for number, (received, party, process, answers) in enumerate(forms, start=1):
        lines.append(",".join((f"F{number:04d}", received.isoformat(), party, process, *answers)))
    return "\n".join(lines) + "\n"


# --- audits ----------------------------------------------------------------------------------

SAMPLES = [
    {"name": "2026-H1", "size": 20, "seed": 2025, "closed_from": date(2026, 1, 1), "closed_to": date(2026, 6, 30),
     "drawn_on": date(2026, 7, 12), "drawn_by": "supervisor1",
     "reason": "Half-yearly case-file audit of cases closed January to June 2026."},
    {"name": "2026-Q3", "size": 15, "seed": 2026, "closed_from": date(2026, 7, 1), "closed_to": date(2026, 9, 30),
     "drawn_on": date(2026, 10, 8), "drawn_by": "supervisor2",
     "reason": "Quarterly case-file audit of cases closed July to September 2026."},
]
AUDITORS = ("supervisor1", "supervisor3")
MODERATOR = "supervisor2"

# Share of applicable answers that fall short, per checklist item; the rest are met.
SHORTFALL = {
    "first_contact_within_target": 0.14, "information_given_before_agreement": 0.06,
    "suitability_assessed_and_recorded": 0.03, "responsibility_acknowledged": 0.06,
    "risk_assessed_before_contact": 0.03, "risk_reviewed_before_meeting": 0.0,
    "safeguarding_concerns_acted_on": 0.0,  # the one shortfall is the audit that raised a concern
    "written_consent_obtained": 0.03, "consent_to_information_sharing": 0.07, "both_parties_prepared": 0.07,
    "support_and_access_needs_arranged": 0.1, "process_choice_recorded": 0.1, "facilitated_by_trained_practitioner": 0.0,
    "session_record_completed": 0.1, "outcome_agreement_recorded": 0.08, "outcome_agreement_monitored": 0.07,
    "harmed_person_told_of_completion": 0.08, "follow_up_and_feedback_sought": 0.4, "case_closed_with_reason": 0.06,
    "case_discussed_in_supervision": 0.1, "manager_signoff_at_key_decisions": 0.06, "records_accurate_and_secure": 0.1,
}

# Round by round, where practice changed: supervision discussion before closure improved after the
# 2026-H1 audit (a real improvement); recording closure reasons slipped in 2026-Q3 (a real decline).
ROUND_SHORTFALL = {
    "2026-H1": {"case_discussed_in_supervision": 0.45},
    "2026-Q3": {"case_discussed_in_supervision": 0.0, "case_closed_with_reason": 0.47},
}

SHORT_NOTES = {
    "first_contact_within_target": "First contact made three weeks after referral; no reason for the delay recorded.",
    "information_given_before_agreement": "Leaflet sent, but the file does not show the right to withdraw was explained.",
    "suitability_assessed_and_recorded": "Suitability decision recorded without reasons.",
    "responsibility_acknowledged": "Acceptance of the basic facts noted only in a later session record.",
    "risk_assessed_before_contact": "Risk assessment for one participant completed after the first telephone contact.",
    "risk_reviewed_before_meeting": "No review of the risk assessment before the meeting.",
    "safeguarding_concerns_acted_on": "Concern recorded but no escalation to the designated safeguarding lead on file.",
    "written_consent_obtained": "Consent form for one participant unsigned.",
    "consent_to_information_sharing": "Consent to information sharing not completed on the form.",
    "both_parties_prepared": "Preparation of one party limited to a single short call.",
    "support_and_access_needs_arranged": "Request for a supporter noted but no arrangement recorded.",
    "process_choice_recorded": "Process recorded without the reasons for choosing it.",
    "facilitated_by_trained_practitioner": "Co-facilitator's training not evidenced on file.",
    "session_record_completed": "Session record written up two weeks after the session.",
    "outcome_agreement_recorded": "Agreement recorded in general terms without timescales.",
    "outcome_agreement_monitored": "No record of checking progress against the agreement.",
    "harmed_person_told_of_completion": "No record that the person harmed was told the agreement was completed.",
    "follow_up_and_feedback_sought": "No follow-up contact or feedback request after closure.",
    "case_closed_with_reason": "Closure reason recorded only as 'closed'.",
    "case_discussed_in_supervision": "Case not discussed in supervision before closure.",
    "manager_signoff_at_key_decisions": "Decision to proceed to a meeting not signed off on file.",
    "records_accurate_and_secure": "Two documents filed in the wrong case section.",
}
MET_NOTES = {
    "risk_assessed_before_contact": "Risk assessment completed and signed before first contact.",
    "written_consent_obtained": "Signed consent forms on file for both participants.",
    "manager_signoff_at_key_decisions": "Practice lead sign-off recorded before the meeting.",
    "safeguarding_concerns_acted_on": "Vulnerability noted at assessment and support arranged promptly.",
}


def applicable(item: str, case: Case, flags: dict[str, bool]) -> bool:
    """Whether a checklist item applies to a case file, from its outcome and process."""
    completed = case.outcome in ("direct_meeting", "indirect_completed")
    proceeded = case.outcome != "unsuitable"
    rules = {
        "risk_reviewed_before_meeting": proceeded and case.process != "letter",
        "safeguarding_concerns_acted_on": flags["vulnerability"],
        "written_consent_obtained": proceeded,
        "consent_to_information_sharing": proceeded,
        "both_parties_prepared": proceeded,
        "support_and_access_needs_arranged": flags["support_needs"],
        "process_choice_recorded": proceeded,
        "facilitated_by_trained_practitioner": completed,
        "session_record_completed": completed,
        "outcome_agreement_recorded": completed and flags["agreement"],
        "outcome_agreement_monitored": completed and flags["agreement"],
        "harmed_person_told_of_completion": completed and flags["agreement"],
        "follow_up_and_feedback_sought": proceeded,
    }
    return rules.get(item, True)


def plan_answers(rng: random.Random, cases: list[Case], items: list[str], concern: str,
                 shortfall: dict[str, float]) -> dict[str, dict[str, str]]:
    """The final (agreed) result of every item for every case of one round, with the shortfalls spread at random."""
    flags = {c.case_ref: {"vulnerability": rng.random() < 0.35 or c.case_ref == concern,
                          "support_needs": rng.random() < 0.45, "agreement": rng.random() < 0.85} for c in cases}
    plan: dict[str, dict[str, str]] = {c.case_ref: {} for c in cases}
    for item in items:
        refs = [c.case_ref for c in cases if applicable(item, c, flags[c.case_ref])]
        misses = set(rng.sample(refs, round(shortfall[item] * len(refs))))
        for case in cases:
            ref = case.case_ref
            if ref not in refs:
                plan[ref][item] = "n_a"
            elif item == "safeguarding_concerns_acted_on" and ref == concern:
                plan[ref][item] = "not_met"
            elif ref in misses:
                plan[ref][item] = "not_met" if rng.random() < 0.3 else "partly_met"
            else:
                plan[ref][item] = "met"
    return plan


def answer(item: str, result: str, rng: random.Random) -> dict[str, str]:
    if result in ("partly_met", "not_met"):
        return {"result": result, "note": SHORT_NOTES[item]}
    if result == "met" and item in MET_NOTES and rng.random() < 0.25:
        return {"result": result, "note": MET_NOTES[item]}
    return {"result": result}


NEIGHBOUR = {"met": "partly_met", "partly_met": "met", "not_met": "partly_met"}


def make_audits(rng: random.Random, cases: list[Case], samples: list[Sample], items: list[str]) -> list[dict]:
    by_ref = {c.case_ref: c for c in cases}
    audited = [(sample, by_ref[ref]) for sample in samples for ref in sample.cases]
    late = [c for smp, c in audited if smp.name == "2026-Q3" and c.outcome in ("direct_meeting", "indirect_completed")]
    concern = rng.choice(late).case_ref
    plan: dict[str, dict[str, str]] = {}
    for sample in samples:  # each round planned on its own, so a round's shortfall is exact
        plan |= plan_answers(rng, [by_ref[ref] for ref in sample.cases], items, concern,
                             SHORTFALL | ROUND_SHORTFALL.get(sample.name, {}))
    moderated = set(rng.sample(range(len(audited)), 7))
    records = []
    for index, (sample, case) in enumerate(audited):
        position = sample.cases.index(case.case_ref)
        audited_on = sample.drawn_on + timedelta(days=3 + position * 2)
        final = {item: answer(item, plan[case.case_ref][item], rng) for item in items}
        record: dict = {
            "schema": "rsqm/audit@1", "case_ref": case.case_ref, "sample": sample.name,
            "auditor": AUDITORS[position % 2], "audited_on": audited_on.isoformat(),
            "answers": {item: dict(given) for item, given in final.items()},  # copies: no YAML anchors
            "safeguarding_concern": case.case_ref == concern,
        }
        if case.case_ref == concern:
            record["safeguarding_note"] = (
                "A disclosure about a vulnerable adult in the household is recorded at the second preparation session, "
                "but the file does not show it was passed to the designated safeguarding lead. Raised with the "
                "practice lead on the day of the audit for immediate follow-up."
            )
        if index in moderated:
            moderator = {item: dict(given) for item, given in final.items()}
            agreed = {}
            candidates = [i for i in items if plan[case.case_ref][i] != "n_a"]
            for item in rng.sample(candidates, rng.choice((0, 1, 1, 2))):
                other = {"result": NEIGHBOUR[final[item]["result"]]}
                if rng.random() < 0.5:
                    record["answers"][item] = other  # the first marker differed; moderation corrected it
                else:
                    moderator[item] = other  # the moderator differed; the first marking stood
                agreed[item] = {**final[item], "note": final[item].get("note", "Agreed at moderation after discussing the file.")}
            record["moderation"] = {
                "moderator": MODERATOR,
                "moderated_on": (audited_on + timedelta(days=rng.randint(4, 12))).isoformat(),
                "answers": moderator,
                "agreed": agreed,
            }
        Audit.model_validate(record)
        records.append(record)
    return records


# --- narratives and actions ------------------------------------------------------------------

NARRATIVES = {
    "1.2": (
        "# 1.2 Restorative justice in our strategy and plans\n\n"
        "Our Restorative Justice Strategy 2025 to 2028 (E001) was agreed by the management board in October 2025. "
        "Section 2 sets out our vision and section 4 our four strategic aims. The Annual Delivery Plan 2025-26 (E002, "
        "section 3) turns those aims into yearly targets; it runs to the end of January 2027 and the 2026-27 plan goes "
        "to the December board, so this indicator depends on that plan being approved before the assessment.\n"
    ),
    "2.1": (
        "# 2.1 Policies and procedures for safe practice\n\n"
        "The Restorative Justice Policy (E009) was approved by the board in July 2025 and replaced the 2019 policy "
        "(E010, kept for reference). The Operating Procedure (E011) takes practitioners through every step from "
        "referral to closure, and our Safeguarding Policy and Procedure (E014) names the Practice lead as designated "
        "safeguarding lead and requires concerns to be reported on the same day. All three are version-controlled "
        "with review dates in 2027. We consider this indicator met.\n"
    ),
    "2.2": (
        "# 2.2 Making sure our procedures are followed\n\n"
        "Two case-file audits with reproducible samples (E024, E025) check practice against the operating procedure, "
        "and the actions agreed after each are followed up in supervision. Our Data Protection Policy (E012), which "
        "is also our appropriate policy document for criminal-offence data, passed its review date in 2023 and is "
        "being reviewed (action A1); until it is re-approved this indicator is only partly met.\n"
    ),
    "4.1": (
        "# 4.1 Practice supervision\n\n"
        "Supervision summaries for January to June 2026 (E022) and July to September 2026 (E023) show live cases, "
        "risk decisions and the decision to hold each meeting are reviewed with the Practice lead. Audits show cases "
        "are discussed in supervision and key decisions signed off. The written supervision procedure (E021) is "
        "awaiting approval.\n"
    ),
    "5.2": (
        "# 5.2 Risk and safety assessment\n\n"
        "Every participant is risk assessed with our template (E015) before any contact, as the Risk Assessment "
        "Procedure (E016) and the Operating Procedure (E011, section 5) require. Audits show this is done on nearly "
        "every file and that assessments are reviewed before meetings. One audited file showed a safeguarding concern "
        "that was not escalated, so this item is below its target; we have acted on it (action A6) and will re-audit.\n"
    ),
    "5.3": (
        "# 5.3 Preparing participants\n\n"
        "Participants receive our information leaflet (E026), reviewed for plain language in April 2025, before "
        "they are asked to agree. Written consent is taken on the consent form (E027). Audits show first contact, "
        "preparation and consent all meet their targets. We consider this indicator met.\n"
    ),
    "5.5": (
        "# 5.5 Agreed outcomes, follow-up and closure\n\n"
        "The Annual Outcome Report 2025-26 (E005) and the Participant Feedback Summary (E028) show most agreements "
        "were completed and participants valued the service. Audits show follow-up contact and feedback after "
        "closure fall below our target. A closure checklist is being introduced (action A4), so we assess this "
        "indicator as partly met.\n"
    ),
}

ACTIONS = [
    {"id": "A1", "title": "Review and re-approve the data protection policy", "indicator": "2.2", "owner": "Service manager",
     "due": "2026-12-20", "status": "in_progress", "note": "Draft with the board for approval; it is also the appropriate policy document."},
    {"id": "A2", "title": "Write practice guidance for facilitation and for sensitive and complex cases", "indicator": "5.4",
     "owner": "Practice lead", "due": "2027-03-01", "status": "open",
     "note": "Also closes requirement D of the Code of Practice. Advanced training is booked for spring 2027."},
    {"id": "A3", "title": "Register the renewed insurance certificate", "indicator": "6.1", "owner": "Service manager",
     "due": "2026-12-15", "status": "open", "note": "Cover renewed by the insurer; certificate awaited."},
    {"id": "A4", "title": "Make the closure checklist with follow-up contact mandatory", "indicator": "5.5",
     "owner": "Practice lead", "due": "2027-01-31", "status": "in_progress", "note": "Trialled with three practitioners.",
     "audit_item": "follow_up_and_feedback_sought", "re_audit_by": "2027-04-30"},
    {"id": "A5", "title": "Complete and approve the equality impact assessment", "indicator": "1.1", "owner": "Service manager",
     "due": "2027-01-31", "status": "in_progress", "note": "Draft version 0.3 to the December board."},
    {"id": "A6", "title": "Safeguarding briefing on recording escalation", "indicator": "5.2", "owner": "Practice lead",
     "due": "2026-11-30", "status": "done", "note": "Briefing delivered to all practitioners.",
     "audit_item": "safeguarding_concerns_acted_on", "re_audit_by": "2027-01-31"},
    {"id": "A7", "title": "Record yearly appraisals for every practitioner and volunteer", "indicator": "4.2",
     "owner": "Service manager", "due": "2027-02-28", "status": "open",
     "note": "Appraisals happen but are not written up; use the new appraisal form."},
]


# --- build -----------------------------------------------------------------------------------


def write(path: Path, data: str | bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding="utf-8", newline="\n")


def load_checklist(root: Path) -> Checklist:
    return Checklist.model_validate(load_yaml_text((root / CHECKLIST_FILE).read_text(encoding="utf-8"), CHECKLIST_FILE).data)


def build(root: Path) -> None:
    evidence = root / "evidence"
    if evidence.exists():
        shutil.rmtree(evidence)
    digests = {}
    for doc in documents():
        data = render(doc)
        write(evidence / "files" / doc.file, data)
        digests[doc.file] = hashlib.sha256(data).hexdigest()
    write(evidence / "register.yaml", dump_yaml(register_data(digests)))

    cases = make_cases(random.Random(20240701))
    write(evidence / "cases.csv", cases_csv(with_case_outcomes(random.Random(20260601), cases)))
    write(evidence / "feedback.csv", make_feedback(random.Random(20260602), cases))
    samples = []
    for spec in SAMPLES:
        sample, _ = new_sample(cases, strata=["process"], **spec)
        samples.append(sample)
        write(evidence / "samples" / f"{sample.name}.yaml", dump_yaml(sample.model_dump(mode="json", by_alias=True)))

    items = [item.id for item in load_checklist(root).items]
    for record in make_audits(random.Random(2026), cases, samples, items):
        write(evidence / "audits" / f"{record['case_ref']}.yaml", dump_yaml(record))
    for indicator, text in NARRATIVES.items():
        write(evidence / "narratives" / f"{indicator}.md", text)
    actions = {"schema": "rsqm/actions@1", "actions": ACTIONS}
    ActionPlan.model_validate(actions)
    write(evidence / "actions.yaml", dump_yaml(actions))
    write(evidence / "workforce.yaml", workforce_yaml_text())
    lifecycle_files(evidence)


def workforce_yaml_text() -> str:
    """evidence/workforce.yaml: the case list's staff codes, a volunteer in the first year, a leaver and an administrator.

    As the register stands in late November 2026: P04's registration lapsed on 31 August (one later case was
    facilitated without it), P05's last supervision was on 12 August, P08 is an unregistered volunteer whose
    observed practice is overdue, P03 is two CPD hours short, P06's supervision falls due before Christmas,
    P10 started in March 2026, P11 left in June, A01 does not deliver restorative justice.
    """
    from rsqm.assess.workforce import workforce_yaml
    from rsqm.files.models import Workforce

    def cpd(*entries: tuple[str, float, bool, str]) -> list[dict]:
        return [{"date": d, "hours": h, "rjc_approved": a, "title": t} for d, h, a, t in entries]

    def member(code: str, paid: bool, started: str, level: str, trained: str, expires: str | None, **more) -> dict:
        data = {"code": code, "paid": paid, "started": started, "training": {"level": level, "completed": trained}}
        if expires:
            data["registration"] = {"level": level, "expires": expires}
        return data | more

    staff = [
        member("P01", True, "2019-04-01", "advanced", "2019-06-14", "2027-09-30",
               supervision=["2025-12-08", "2026-02-16", "2026-04-27", "2026-07-06", "2026-09-14", "2026-11-23"],
               observed_practice=["2025-10-15", "2026-10-07"],
               cpd=cpd(("2026-04-23", 6, True, "Facilitating conferences in complex cases"),
                       ("2026-07-09", 4, True, "Restorative practice and trauma"),
                       ("2026-10-15", 7, False, "Safeguarding adults refresher"))),
        member("P02", True, "2020-09-07", "intermediate", "2020-10-23", "2027-07-31",
               supervision=["2025-12-15", "2026-03-02", "2026-05-18", "2026-08-03", "2026-10-19"],
               observed_practice=["2025-09-10", "2026-06-17"],
               cpd=cpd(("2026-05-14", 6, True, "Indirect restorative processes"), ("2026-09-24", 7, False, "Domestic abuse awareness"))),
        member("P03", True, "2018-01-08", "advanced", "2018-03-02", "2028-03-31",
               supervision=["2025-12-01", "2026-02-09", "2026-04-20", "2026-06-29", "2026-09-07", "2026-11-16"],
               observed_practice=["2026-04-22"],
               cpd=cpd(("2026-06-18", 8, True, "Restorative justice in sensitive and complex cases"),
                       ("2026-10-01", 6, True, "Risk assessment update"))),
        member("P04", True, "2021-02-01", "intermediate", "2021-03-19", "2026-08-31",
               supervision=["2026-01-05", "2026-03-23", "2026-06-08", "2026-08-24", "2026-11-09"],
               observed_practice=["2026-05-06"],
               cpd=cpd(("2026-05-20", 5, True, "Working with young people"), ("2026-09-10", 5, False, "Hate crime awareness"))),
        member("P05", True, "2021-09-13", "intermediate", "2021-11-05", "2027-05-31",
               supervision=["2025-12-10", "2026-02-25", "2026-05-20", "2026-08-12"],
               observed_practice=["2026-07-15"],
               cpd=cpd(("2026-04-16", 6, True, "Shuttle communication skills"), ("2026-08-27", 6.5, False, "Mental health first aid"))),
        member("P06", True, "2022-04-04", "intermediate", "2022-05-20", "2027-06-30", probation_until="2022-10-04",
               supervision=["2025-12-03", "2026-02-23", "2026-05-11", "2026-07-27", "2026-09-28"],
               observed_practice=["2026-09-09"],
               cpd=cpd(("2026-06-04", 6, True, "Restorative conferencing refresher"), ("2026-10-22", 6, True, "Victim awareness"))),
        member("P07", False, "2022-10-03", "foundation", "2022-11-25", "2027-10-31",
               supervision=["2026-01-12", "2026-04-06", "2026-06-29", "2026-09-21", "2026-11-25"],
               observed_practice=["2026-06-10"],
               cpd=cpd(("2026-05-07", 3, True, "Preparing participants for a meeting"), ("2026-09-17", 3, False, "Volunteer forum"))),
        member("P08", False, "2023-06-05", "foundation", "2023-07-14", None,
               supervision=["2025-12-17", "2026-03-04", "2026-05-20", "2026-08-05", "2026-10-21"],
               observed_practice=["2025-11-20"],
               cpd=cpd(("2026-07-02", 4, False, "Volunteer forum"))),
        member("P09", True, "2024-11-18", "intermediate", "2024-11-29", "2027-11-30", probation_until="2025-05-18",
               supervision=["2025-12-09", "2026-02-24", "2026-05-12", "2026-07-28", "2026-10-13"],
               observed_practice=["2025-06-11", "2026-06-03"],
               cpd=cpd(("2026-04-29", 6, True, "Restorative justice with children and families"), ("2026-11-05", 6, False, "Trauma-informed practice"))),
        member("P10", False, "2026-03-02", "foundation", "2026-04-24", None,
               supervision=["2026-04-13", "2026-06-22", "2026-08-31", "2026-11-02"],
               cpd=cpd(("2026-05-28", 3, True, "Introduction to restorative practice"))),
        member("P11", True, "2019-09-02", "intermediate", "2019-10-18", "2026-12-31", left="2026-06-30",
               supervision=["2025-12-04", "2026-02-26", "2026-05-14"], observed_practice=["2025-09-17"]),
        {"code": "A01", "paid": True, "admin_only": True, "started": "2020-01-06"},
    ]
    return workforce_yaml(Workforce.model_validate({"schema": "rsqm/workforce@1", "staff": staff}))


# --- the accreditation lifecycle: the last award, renewals, the assessor's requests ----------------

ACCREDITATION = {
    "schema": "rsqm/accreditation@1",
    "membership": {"expires": "2027-04-30", "reference": "RJC organisational membership"},
    "insurance": {"expires": "2027-02-14", "reference": "Public and professional liability"},
    "award": {"granted": "2023-06-01", "expires": "2027-05-31"},
    "conditions": [
        {"id": "C1", "text": "Written guidance for sensitive and complex cases, in use by every practitioner",
         "due": "2026-12-31", "status": "open", "action": "A2"},
    ],
    "recommendations": [
        {"id": "R1", "text": "Gather participant feedback from both parties in every case", "status": "open"},
    ],
}
REQUESTS = {
    "schema": "rsqm/requests@1",
    "requests": [
        {"id": "R1", "raised_on": "2026-10-06", "by": "RJC assessor", "indicator": "2.1",
         "question": "Which version of the operating procedure do practitioners work to, and when was it last reviewed?",
         "due": "2026-10-27", "status": "answered", "answered_on": "2026-10-20",
         "response": "Version 3, approved by the board in March 2025; the review date is in its document control table."},
        {"id": "R2", "raised_on": "2026-11-16", "by": "RJC assessor", "indicator": "5.2",
         "question": "How is a risk assessment reviewed when circumstances change between preparation and a meeting?",
         "due": "2026-12-18", "status": "open"},
    ],
}


RENEWAL_NOTES = """# Renewal return 2026: the service's own words

## Main challenges

- Referrals from the probation partnership fell in the spring while the referral pathway was redesigned;
  the new pathway has run since July.
- Two experienced volunteers stepped back, so intermediate practitioners carried more of the casework and
  sensitive cases waited longer for an advanced co-facilitator.
- Recording at case closure slipped in the third quarter (see the audit rounds below); the closure checklist
  is being made mandatory.

## How practice was evaluated

Besides the audit rounds and feedback forms, the practice lead observed each practitioner at least once and the
steering group reviewed the outcome figures every quarter.

## Priorities for the next year

1. Train a second advanced practitioner so that sensitive cases are never held up.
2. Bring closure recording back to target and re-audit it in the first round of the year.
3. Offer feedback forms to both parties in every case, as the assessor recommended.
"""


def lifecycle_files(evidence: Path) -> None:
    """The last award with its condition, renewals coming up, the assessor's requests, this year's renewal notes."""
    Accreditation.model_validate(ACCREDITATION)
    Requests.model_validate(REQUESTS)
    write(evidence / "accreditation.yaml", dump_yaml(ACCREDITATION))
    write(evidence / "requests.yaml", dump_yaml(REQUESTS))
    write(evidence / "renewal" / "2026.md", RENEWAL_NOTES)


def main(argv: Iterable[str]) -> int:
    args = list(argv)
    root = Path(args[0]) if args else REPO
    if not (root / "rsqm.yaml").is_file() or not (root / CHECKLIST_FILE).is_file():
        print(f"{root} is not a workspace with rsqm.yaml and {CHECKLIST_FILE}", file=sys.stderr)
        return 2
    build(root)
    print(f"demo evidence written to {root / 'evidence'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
