"""docs/formats.md and the editors' JSON Schemas, generated from the pydantic models.

The models are the single source of truth for every workspace file; this page
is derived from them (field names, types, defaults, and the meaning from each
field's docstring), so it cannot drift: a test fails when a model changed and
the page was not regenerated with ``rsqm schema --markdown > docs/formats.md``.
"""

from __future__ import annotations

import types
from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from rsqm.base import paths
from rsqm.files import models


@dataclass(frozen=True)
class Format:
    name: str  # what `rsqm schema NAME` takes
    file: str  # where it lives in a workspace
    model: type[BaseModel]
    purpose: str
    example: str  # a small valid example (CSV for the case list, YAML otherwise)


FORMATS = (
    Format("workspace", paths.SETTINGS_FILE, models.WorkspaceSettings, "The workspace's settings: the service, its framework and checklist.",
           """\
schema: rsqm/workspace@1
service: Example Restorative Service
framework: rjc-service-standards
checklist: rj-case-file-audit
assessment_date: 2026-06-30
case_ref_pattern: '""" + models.DEFAULT_CASE_REF_PATTERN + """'
not_applicable:
  "6.1": We deliver no restorative work in prisons.
"""),
    Format("framework", "standards/<id>.yaml", models.Framework, "A standards framework: standards, their indicators, "
           "and the evidence and audit results each indicator needs.", """\
schema: rsqm/framework@1
id: example-standards
title: Example standards
version: "2026"
source: Written for this example
evidence_types:
  policy: A policy approved by the service's management
  training_record: A record of training given
standards:
  - id: "1"
    title: Policies
    indicators:
      - id: "1.1"
        title: A restorative justice policy
        critical: true
        evidence: {types: [policy], min_items: 1, max_age_months: 36}
        audit_items: [risk_checked]
"""),
    Format("checklist", "standards/<id>.yaml", models.Checklist, "The case-file audit checklist: the questions a supervisor "
           "answers about one case file.", """\
schema: rsqm/checklist@1
id: example-checklist
title: Example case-file audit
min_sample: 10
items:
  - id: risk_checked
    section: Risk and safety
    question: Was a written risk assessment completed before any contact?
    target: 0.9
    critical: true
"""),
    Format("register", paths.REGISTER_FILE, models.Register, "The evidence register: every document, its status, "
           "approval and the indicators it supports. Kept with `rsqm evidence` or the dashboard.", """\
schema: rsqm/register@1
items:
  - id: E001
    title: Restorative justice policy
    type: policy
    file: files/rj-policy.pdf
    owner: Service manager
    dated: 2026-01-10
    review_by: 2029-01-10
    status: approved
    sha256: 4f2a0d3c3b1e5f6a7b8c9d0e1f2a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c
    approved_by: Management board
    approved_on: 2026-01-20
    links:
      - indicator: "1.1"
        locator: section 2, p. 3
        claim: Sets out when restorative justice is offered and how.
"""),
    Format("cases", paths.CASES_FILE, models.Case, "The case list, one closed or open case a row (CSV with this header). "
           "Case references and staff codes only: never names or contact details.", models.CASES_HEADER + """
RJS-2025-0001,2025-02-03,2025-05-20,conference,burglary,harmed_person,P07,agreement
RJS-2025-0002,2025-03-11,,shuttle,assault,responsible_person,P02,
"""),
    Format("mapping", f"{paths.MAPPINGS_DIR}/<from>--<to>.yaml", models.Mapping, "How the indicators of two frameworks relate; "
           "evidence for one indicator counts for an `equal` one in the other.", """\
schema: rsqm/mapping@1
from: example-standards
to: example-code
relations:
  - {from: "1.1", to: A, relation: equal}
  - {from: "1.2", to: B, relation: supports}
"""),
    Format("workforce", paths.WORKFORCE_FILE, models.Workforce, "The practitioners, by staff code: training, registration, "
           "supervision and development, for the workforce measures.", """\
schema: rsqm/workforce@1
staff:
  - code: P07
    paid: true
    started: 2022-09-01
    training: {level: intermediate, completed: 2022-10-14, rjc_registered_trainer: true}
    registration: {level: intermediate, expires: 2027-01-31}
    supervision: [2026-01-12, 2026-02-09]
    observed_practice: [2025-11-20]
    cpd:
      - {date: 2026-02-03, hours: 6, rjc_approved: true, title: Working with young people}
"""),
    Format("feedback", paths.FEEDBACK_FILE, models.FeedbackResponse, "Participant feedback, one response a row: the four "
           "columns below, then one column per question id holding yes, no or blank. No free text, no case reference.", """\
response_id,received_on,party,process,felt_safe,would_recommend
F001,2026-02-10,harmed,conference,yes,yes
F002,2026-02-14,responsible,shuttle,yes,
"""),
    Format("requests", paths.REQUESTS_FILE, models.Requests, "The assessor's clarification requests and the service's answers.", """\
schema: rsqm/requests@1
requests:
  - id: R1
    raised_on: 2026-10-06
    by: RJC assessor
    indicator: "2.1"
    question: Which version of the operating procedure do practitioners work to?
    due: 2026-10-27
    status: answered
    response: Version 3, approved by the board in March 2025.
    answered_on: 2026-10-20
    evidence: [E002]
"""),
    Format("accreditation", paths.ACCREDITATION_FILE, models.Accreditation, "Membership, insurance and the award, "
           "with the conditions and recommendations the assessor set.", """\
schema: rsqm/accreditation@1
membership: {expires: 2027-04-30, reference: RJC organisational membership}
insurance: {expires: 2027-02-14, reference: Public and professional liability}
award: {granted: 2023-06-01, expires: 2027-05-31}
conditions:
  - {id: C1, text: Written guidance for complex cases in use by every practitioner, due: 2026-12-31, action: A002}
recommendations:
  - {id: R1, text: Gather feedback from both parties in every case}
"""),
    Format("sample", f"{paths.SAMPLES_DIR}/<name>.yaml", models.Sample, "A reproducible audit sample, written by `rsqm sample`.", """\
schema: rsqm/sample@1
name: 2026-Q1
drawn_on: 2026-04-02
drawn_by: P07
reason: Quarterly case-file audit
population: {closed_from: 2026-01-01, closed_to: 2026-03-31, size: 42,
             sha256: 0d5a3c0e7b9f1a2c4e6b8d0f1a3c5e7b9d1f3a5c7e9b1d3f5a7c9e1b3d5f7a9c}
method: {kind: stratified, strata: [process], size: 10, seed: 2026}
cases: [RJS-2026-0003, RJS-2026-0011]
"""),
    Format("audit", f"{paths.AUDITS_DIR}/<case_ref>.yaml", models.Audit, "One case-file audit (the first marking), started with "
           "`rsqm audit new` or `rsqm audit answer`. The second marking is kept in a file of its own (below); an older file "
           "may hold it under `moderation:` instead, which still reads.", """\
schema: rsqm/audit@1
case_ref: RJS-2026-0003
sample: 2026-Q1
auditor: P07
audited_on: 2026-04-20
answers:
  # Risk and safety (critical): Was a written risk assessment completed before any contact?
  risk_checked: {result: met, note: ''}
safeguarding_concern: false
"""),
    Format("second-marking", f"{paths.AUDITS_DIR}/<case_ref>{paths.SECOND_MARKING_SUFFIX}", models.SecondMarking,
           "The second marking of a completed audit, apart from the first answers so that it can be done blind in an editor "
           "too; written by `rsqm audit second-answer` and `rsqm audit agree` and the Case audits page. The two markings are "
           "compared once both are complete; `agreed` answers count over the first.", """\
schema: rsqm/second-marking@1
case_ref: RJS-2026-0003
moderator: P02
moderated_on: 2026-04-27
answers:
  risk_checked: {result: partly_met}
agreed:
  risk_checked: {result: met, note: Assessment found in the second folder.}
"""),
    Format("actions", paths.ACTIONS_FILE, models.ActionPlan, "The action plan: what will close each gap, who owns it and when.", """\
schema: rsqm/actions@1
actions:
  - id: A001
    title: Renew the safeguarding policy
    indicator: "2.3"
    owner: Service manager
    due: 2026-05-31
    status: in_progress
"""),
    Format("privacy-review", paths.PRIVACY_REVIEW_FILE, models.PrivacyReview, "False positives of the privacy "
           "pre-flight, each reviewed and accepted by a person.", """\
schema: rsqm/privacy-review@1
accepted:
  - what: Victoria Street
    where: evidence/narratives/1.1.md
    reviewed_by: P07
    reviewed_on: 2026-04-02
    why: The name of our office building's street, not a person.
  - what: 45a53c812782a0d0f4399022deb661f0f78ae5e4477f5ed84b10e637d0eb2664
    everywhere: true
    reviewed_by: P07
    reviewed_on: 2026-04-02
    why: Our logo, looked at on the Export page; in every policy.
"""),
)
BY_NAME = {f.name: f for f in FORMATS}


def json_schema(name: str) -> dict[str, Any]:
    """The JSON Schema of one format, for editors (YAML language servers) and other tools."""
    fmt = BY_NAME[name]
    schema = fmt.model.model_json_schema(by_alias=True, mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = f"rsqm {fmt.name}: {fmt.file}"
    schema["description"] = fmt.purpose
    return schema


def type_words(annotation: Any) -> str:
    """A field's type in words: 'text', 'date (YYYY-MM-DD)', 'list of Link', ..."""
    origin, args = get_origin(annotation), get_args(annotation)
    if origin is Annotated:
        return type_words(args[0])
    if origin in (Union, types.UnionType):
        return " or ".join(type_words(a) for a in args if a is not type(None))
    if origin is Literal:
        return "exactly " + " or ".join(f"`{a}`" for a in args)
    if origin is list:
        return f"list of {type_words(args[0])}"
    if origin is dict:
        return f"mapping of {type_words(args[0])} to {type_words(args[1])}"
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return "one of " + ", ".join(f"`{m.value}`" for m in annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return f"[{annotation.__name__}](#{annotation.__name__.lower()})"
    return {str: "text", int: "whole number", float: "number", bool: "`true` or `false`", date: "date (YYYY-MM-DD)"}.get(
        annotation, getattr(annotation, "__name__", str(annotation)))


def _limits(info: FieldInfo) -> str:
    words = []
    for meta in info.metadata:
        for attr, say in (("min_length", "not empty"), ("ge", "at least {}"), ("gt", "more than {}"), ("le", "at most {}")):
            value = getattr(meta, attr, None)
            if value is not None:
                words.append(say.format(value))
    return "; ".join(words)


def _default(info: FieldInfo) -> str:
    if info.is_required():
        return "**required**"
    if info.default_factory is not None:
        value = info.default_factory()
        return "empty" if not value else f"`{value}`"
    if info.default is None:
        return "none"
    if info.default == "":
        return "empty"
    value = info.default.value if isinstance(info.default, Enum) else info.default
    return f"`{str(value).lower() if isinstance(value, bool) else value}`"


def _nested(model: type[BaseModel], seen: list[type[BaseModel]]) -> None:
    for info in model.model_fields.values():
        for inner in _models_in(info.annotation):
            if inner not in seen:
                seen.append(inner)
                _nested(inner, seen)


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in get_args(annotation) for m in _models_in(arg)]


def _table(model: type[BaseModel]) -> list[str]:
    lines = ["| field | type | default | meaning |", "| --- | --- | --- | --- |"]
    for name, info in model.model_fields.items():
        kind = type_words(info.annotation)
        limits = _limits(info)
        meaning = (info.description or "").replace("|", "\\|").replace("\n", " ")
        lines.append(f"| `{info.alias or name}` | {kind}{f' ({limits})' if limits else ''} | {_default(info)} | {meaning} |")
    return lines


def formats_markdown() -> str:
    """The whole of docs/formats.md."""
    out = [
        "# File formats",
        "",
        "<!-- Generated from rsqm/files/models.py by `rsqm schema --markdown > docs/formats.md`; do not edit by hand. -->",
        "",
        "Every file of a workspace, field by field. Unknown fields are errors (a misspelt key is reported at its line),",
        "dates are written `YYYY-MM-DD`, and ids that look like numbers (`\"2.1\"`) must be quoted in YAML.",
        "Most files are written for you by `rsqm` commands or the dashboard; this page is for reading them and for",
        "the occasional hand edit. See [design.md](design.md) for what the rules do with them.",
        "",
        "Editors that understand JSON Schema (for example VS Code with the YAML extension) can check a file as you",
        "type: save `rsqm schema register > register.schema.json` and put",
        "`# yaml-language-server: $schema=register.schema.json` on the file's first line.",
        "",
        "| format | file | `rsqm schema` name |",
        "| --- | --- | --- |",
    ]
    out += [f"| [{f.model.__name__}](#{f.name}) | `{f.file}` | `{f.name}` |" for f in FORMATS]
    documented: list[type[BaseModel]] = []
    for fmt in FORMATS:
        out += ["", f"## {fmt.name}", "", f"`{fmt.file}`: {fmt.purpose}", ""]
        out += _table(fmt.model)
        nested: list[type[BaseModel]] = []
        _nested(fmt.model, nested)
        for inner in nested:
            if inner in documented:
                continue
            documented.append(inner)
            out += ["", f"### {inner.__name__}", ""]
            out += _table(inner)
        language = "csv" if fmt.file.endswith(".csv") else "yaml"
        out += ["", "Example:", "", f"```{language}", fmt.example.rstrip("\n"), "```"]
    return "\n".join(out) + "\n"
