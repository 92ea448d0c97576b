"""renewal.docx: the annual renewal return in the pack's house style, the declaration left for signature."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from rsqm.assess.outcomes import outcome_rows
from rsqm.assess.renewal import AT_LEVEL, SECTIONS, RenewalReturn
from rsqm.base.formatting import percent
from rsqm.pack.content import long_date, measure_sentence, short_date
from rsqm.pack.document import DocumentWriter

DECLARATION = ("On behalf of the service named above, I declare that it has adhered to the Restorative Justice "
               "Council's Service Provider Code of Practice during the 12 months covered by this return, and that the "
               "information in this return is accurate to the best of my knowledge.")


def _hours(hours: Decimal) -> str:
    return format(hours.normalize(), "f")


class _RenewalWriter(DocumentWriter):
    def __init__(self, renewal: RenewalReturn):
        self.renewal = renewal
        super().__init__()

    def draft_reasons(self) -> list[str]:
        missing = self.renewal.missing
        return [f"{', '.join(missing).lower()} still to be written"] if missing else []

    def header_text(self) -> str:
        return f"{self.renewal.service} · renewal return {self.renewal.year}"

    def described(self) -> tuple[date, str, str]:
        r = self.renewal
        return r.end, f"{r.service}: renewal return {r.year}", "Registered Service Provider annual renewal"

    def words(self, key: str) -> None:
        text = self.renewal.notes.get(key, "")
        if text:
            self.markdown(text)
        else:
            self.para(f"To be written by the service before the return is sent ({SECTIONS[key].lower()}).")

    def build(self) -> None:
        r = self.renewal
        self.doc.add_paragraph(f"Renewal return {r.year}", style="Title")
        self.para(r.service, bold_lead="Service: ")
        self.para(f"the 12 months from {long_date(r.start)} to {long_date(r.end)}, the date of this return", bold_lead="Period: ")
        if self.draft:
            self.para("; ".join(self.draft) + ".", bold_lead="Draft: ")
        self.heading("1. Staffing changes in the last 12 months", 1)
        s = r.staffing
        self.para(f"{s.delivering_at_start} practitioners delivered restorative justice at the start of the period and "
                  f"{s.delivering_at_end} at its end. {s.joined_paid} paid practitioner{'s' * (s.joined_paid != 1)} and "
                  f"{s.joined_volunteers} volunteer{'s' * (s.joined_volunteers != 1)} joined; {s.left} left.")
        for measured in r.workforce:
            self.para(measure_sentence(measured, r.end), style="List Bullet")
        self.heading("2. Referrals and outcomes", 1)
        rows = [[row.measure.strip(), row.now, row.count, row.ci or "–", row.before] for row in outcome_rows(r.outcomes)]
        self.table(["Measure", "These 12 months", "Counted over", "95% interval", "The 12 months before"], rows,
                   [6.4, 1.8, 3.2, 2.4, 3.2])
        self.heading("3. Main challenges", 1)
        self.words("challenges")
        self.heading("4. How practice was evaluated", 1)
        if r.rounds:
            self.para("Case-file audit rounds drawn in the period (share of applicable checklist answers met):")
            self.table(["Round", "Drawn", "Audited", "Compliance", "95% interval"],
                       [[x.sample, short_date(x.drawn_on), f"{x.audited} of {x.cases}", percent(x.rate),
                         f"{percent(x.ci_low)} to {percent(x.ci_high)}"] for x in r.rounds],
                       [3.0, 3.0, 3.0, 3.0, 5.0], one_line=(0, 1, 2, 3, 4))
        self.para(f"{r.feedback_responses} participant feedback form{'s were' if r.feedback_responses != 1 else ' was'} "
                  "received in the period; their answers are in section 2.")
        if r.notes.get("evaluation"):
            self.words("evaluation")
        self.heading("5. Priorities for the next year", 1)
        self.words("priorities")
        self.heading("6. Continuing professional development: activities provided to staff", 1)
        c = r.cpd
        self.para(f"{_hours(c.hours)} hours of CPD recorded for {c.practitioners} practitioner{'s' * (c.practitioners != 1)}, "
                  f"{_hours(c.approved_hours)} of them RJC-approved.")
        if c.activities:
            self.table(["Date", "Activity", "Hours each", "RJC-approved", "Staff attending"],
                       [[short_date(a.day), a.title or "(no title recorded)", _hours(a.hours), "yes" if a.rjc_approved else "no",
                         str(a.practitioners)] for a in c.activities],
                       [2.6, 7.4, 2.0, 2.6, 2.4], one_line=(0, 2, 3, 4))
        self.heading("7. Current practitioners", 1)
        counted = [p for p in r.practitioners if p.counted]
        at_level = sum(p.why == AT_LEVEL for p in counted)
        self.para(f"{len(r.practitioners)} practitioner{'s' * (len(r.practitioners) != 1)} in post on {long_date(r.end)}; "
                  f"{len(counted)} counted for the 60% rule, {at_level} of them registered at the level of their training.")
        if r.practitioners:
            self.table(["Code", "Paid or volunteer", "Trained to", "Registered at", "Expires", "Counted", "Why"],
                       [[p.code, p.kind, p.trained or "–", p.registered or "–", short_date(p.expires) if p.expires else "–",
                         "yes" if p.counted else "no", p.why] for p in r.practitioners],
                       [1.4, 2.2, 2.5, 2.5, 2.4, 1.8, 4.2], one_line=(0, 1, 2, 3, 4, 5))
        self.heading("8. New staff", 1)
        if not r.new_staff:
            self.para("No practitioner started in the period.")
        for number, n in enumerate(r.new_staff, 1):
            self.heading(f"New staff member {number}: {n.code}", 2)
            training = f"{n.trained}, completed {long_date(n.trained_on)}" if n.trained and n.trained_on else "not completed"
            registration = f"{n.registered}, expires {long_date(n.expires)}" if n.registered and n.expires else "not registered"
            self.para(f"{n.kind}, started {long_date(n.started)}" + (f", left {long_date(n.left)}" if n.left else ""),
                      bold_lead="In post: ")
            self.para(training, bold_lead="Training: ")
            self.para(registration, bold_lead="Registration: ")
        self.heading("9. Declaration", 1)
        self.para(DECLARATION)
        for label in ("Signed", "Name", "Role", "Date"):
            self.para(f"{label}: " + "_" * 48)


def build_renewal(renewal: RenewalReturn) -> bytes:
    """The return as deterministic .docx bytes (same records, same bytes)."""
    writer = _RenewalWriter(renewal)
    writer.build()
    return writer.docx_bytes()
