"""The round report: one audit sample's method, its results by item against target, the comparison with
the round before (item by item, Newcombe's interval) and the actions tied to those items.

Clinical audit practice closes the loop this way: the re-audit report compares with the
previous audit item by item. Aggregates only: no case reference, note or auditor appears.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from rsqm.audit.audits import AuditError, agreement
from rsqm.audit.rates import item_verdict
from rsqm.audit.rounds import ItemTrend, SampleProgress, item_trends, ordered, progress
from rsqm.base.formatting import percent
from rsqm.base.labels import CHANGE_VERDICT, ITEM_VERDICT, field
from rsqm.files.folder import Workspace
from rsqm.files.models import Action, Sample
from rsqm.pack.content import long_date
from rsqm.pack.document import DocumentWriter


@dataclass(frozen=True)
class RoundReport:
    service: str
    checklist_title: str
    min_sample: int
    sample: Sample
    state: SampleProgress
    previous: Sample | None
    trends: list[ItemTrend]  # every checklist item; rounds[-1] is this sample, rounds[-2] the previous one
    agreement_pairs: int
    agreement_percent: float | None
    kappa: float | None
    concerns: int
    actions: list[Action]  # tied to a checklist item
    made_on: date


def round_report(ws: Workspace, name: str, made_on: date) -> RoundReport:
    """Gather the report on sample ``name``; raises ``AuditError`` for an unknown sample or no checklist."""
    checklist = ws.checklist
    if checklist is None:
        raise AuditError(f"the workspace has no checklist '{ws.settings.checklist}' in standards/")
    if name not in ws.samples:
        known = ", ".join(sorted(ws.samples)) or "none drawn yet"
        raise AuditError(f"unknown sample '{name}' (samples: {known})")
    rounds = ordered(ws.samples.values())
    upto = rounds[: [s.name for s in rounds].index(name) + 1]  # this round and those drawn before it
    compared = {s.name for s in upto[-2:]}  # this round and the one before
    mine = [a for a in ws.audits.values() if a.sample == name]
    done = [a for a in mine if a.audited_on is not None]
    moderated = agreement(done)
    items = {item.id for item in checklist.items}
    return RoundReport(
        service=ws.settings.service,
        checklist_title=checklist.title,
        min_sample=checklist.min_sample,
        sample=ws.samples[name],
        state=progress([ws.samples[name]], mine)[name],
        previous=upto[-2] if len(upto) > 1 else None,
        trends=item_trends(upto[-2:], [a for a in ws.audits.values() if a.sample in compared], checklist),
        agreement_pairs=moderated.pairs,
        agreement_percent=moderated.percent,
        kappa=moderated.kappa,
        concerns=sum(a.safeguarding_concern for a in mine),
        actions=[a for a in ws.actions.actions if a.audit_item in items],
        made_on=made_on,
    )


def _short_date(day: date | None) -> str:
    return "–" if day is None else f"{day.day} {day:%b %Y}"


def _points(value: float | None) -> str:
    return "–" if value is None else f"{value * 100:+.1f}"


class _ReportWriter(DocumentWriter):
    """The submission document's styles and building blocks, with the report's own header and properties."""

    def __init__(self, report: RoundReport):
        self.report = report
        super().__init__()

    def draft_reasons(self) -> list[str]:
        return [] if self.report.state.complete else [f"round {self.report.sample.name} is not complete"]

    def header_text(self) -> str:
        return f"{self.report.service} · case-file audit, round {self.report.sample.name}"

    def described(self) -> tuple[date, str, str]:
        r = self.report
        return r.made_on, f"{r.service}: case-file audit report, round {r.sample.name}", r.checklist_title

    def build(self) -> None:
        r, s = self.report, self.report.sample
        self.doc.add_paragraph(f"Case-file audit report: round {s.name}", style="Title")
        self.para(r.service, bold_lead="Service: ")
        self.para(long_date(r.made_on), bold_lead="Report date: ")
        if not r.state.complete:
            self.para(f"This round is not complete ({r.state.describe()}): the results below are provisional and "
                      "the round does not count in the self-assessment until every sampled case is audited.",
                      bold_lead="Provisional: ")
        self.method()
        self.results()
        self.comparison()
        self.actions()

    def method(self) -> None:
        r, s = self.report, self.report.sample
        self.heading("Method", 1, listed=False)
        period = f"{s.population.closed_from or 'the start of the case list'} to {s.population.closed_to or 'the draw'}"
        strata = f"stratified by {', '.join(field(x) for x in s.method.strata)}" if s.method.strata else "a simple random draw"
        self.para(f"The sample was drawn on {long_date(s.drawn_on)} from the {s.population.size} cases closed from "
                  f"{period}: {len(s.cases)} cases, {strata}, with seed {s.method.seed}, so anyone holding the same "
                  f"case list can draw the same cases again. Each file was audited against the checklist "
                  f"'{r.checklist_title}'. Progress: {r.state.describe()}.")
        self.para("Answers count as met, partly met, not met or not applicable. The rate of an item is met ÷ applicable "
                  "answers, with its 95% Wilson interval; an item is judged once it has at least "
                  f"{r.min_sample} applicable cases. Where a second marker moderated a file the agreed answer counts.")
        if r.agreement_pairs:
            self.para(f"Second marking: {r.agreement_pairs} answers were marked twice; the markers agreed on "
                      f"{r.agreement_percent:.0f}% of them (Cohen's kappa "
                      f"{'not defined' if r.kappa is None else f'{r.kappa:.2f}'}).")
        self.para(f"Safeguarding concerns raised during this round: {r.concerns}; details stay with the service.")

    def results(self) -> None:
        r = self.report
        self.heading("Results by item against target", 1, listed=False)
        if not r.state.complete:
            self.para(f"The round is not complete ({r.state.describe()}), so no rate is given yet: the table counts "
                      "the answers recorded so far.")
        rows = []
        for t in r.trends:
            now = t.rounds[-1]
            ci = "–" if now.ci_low is None else f"{percent(now.ci_low)}–{percent(now.ci_high)}"
            verdict = ITEM_VERDICT[item_verdict(now.rate, t.target, now.applicable >= r.min_sample)].capitalize()
            if not r.state.complete:
                rows.append([t.section, t.question + (" (critical)" if t.critical else ""), str(now.applicable),
                             str(now.met), "–", "–", percent(t.target), "Not yet judged"])
                continue
            rows.append([t.section, t.question + (" (critical)" if t.critical else ""), str(now.applicable),
                         str(now.met), percent(now.rate), ci, percent(t.target), verdict])
        self.table(["Section", "Checklist item", "Applicable", "Met", "Rate", "95% CI", "Target", "Result"],
                   rows, [1.8, 4.8, 2.3, 1.1, 1.4, 2.3, 1.5, 1.8])

    def comparison(self) -> None:
        r = self.report
        self.heading("Comparison with the previous round", 1, listed=False)
        if r.previous is None:
            self.para("This is the first round: there is nothing to compare with yet.")
            return
        if not r.state.complete:
            self.para(f"Round {r.sample.name} is compared with round {r.previous.name} once every sampled case "
                      "is audited.")
            return
        self.para(f"Round {r.sample.name} against round {r.previous.name} (drawn {long_date(r.previous.drawn_on)}). "
                  "The change is this round's rate minus the previous one, in percentage points, with the 95% interval "
                  "of Newcombe's hybrid score method. A real improvement (or decline) is one whose interval lies wholly "
                  "above (or below) zero; otherwise the samples cannot tell the change from chance.")
        rows = []
        for t in r.trends:
            before, now, change = t.rounds[-2], t.rounds[-1], t.change
            assert change is not None  # two rounds
            ci = "–" if change.ci_low is None else f"{_points(change.ci_low)} to {_points(change.ci_high)}"
            rows.append([t.question, f"{before.met}/{before.applicable} ({percent(before.rate)})",
                         f"{now.met}/{now.applicable} ({percent(now.rate)})", _points(change.diff), ci,
                         CHANGE_VERDICT[change.verdict].split(" (")[0].capitalize()])
        self.table(["Checklist item", r.previous.name, r.sample.name, "Change", "95% CI", "Verdict"],
                   rows, [4.6, 2.3, 2.3, 1.9, 2.9, 3.0])

    def actions(self) -> None:
        r = self.report
        self.heading("Actions tied to checklist items", 1, listed=False)
        if not r.actions:
            self.para("No action in the action plan names a checklist item.")
            return
        rows = [[a.id, a.title, (a.audit_item or "–").replace("_", " "), a.owner, _short_date(a.due),
                 _short_date(a.re_audit_by), a.status.value.replace("_", " ")]
                for a in r.actions]
        self.table(["Action", "What", "Checklist item", "Owner", "Due", "Re-audit by", "Status"],
                   rows, [1.6, 3.0, 3.6, 2.0, 2.5, 2.5, 1.8], one_line=(0, 4, 5, 6))


def build_round_report(report: RoundReport) -> bytes:
    """The report as deterministic .docx bytes (same report, same bytes)."""
    writer = _ReportWriter(report)
    writer.build()
    return writer.docx_bytes()
