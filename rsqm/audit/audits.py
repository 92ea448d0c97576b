"""Case-file audits: blank records, second-marking agreement and the audit summary.

Pure functions over the loaded workspace; the CLI and the dashboard are thin
shells over them. ``summarise`` returns case refs (``concern_cases``,
``agreement.disagreements``); whoever shows it to leadership must drop them —
``rsqm.outputs.AuditSummaryOut`` (``case_level=False``) does.
"""

from __future__ import annotations

import re
import textwrap
from collections import Counter
from collections.abc import Iterable
from datetime import date
from operator import attrgetter

from pydantic import BaseModel

from rsqm.audit.rates import UNDER_TARGET, AuditItemResult, Tally, pooled, results_from, sample_tallies, sampled_audits
from rsqm.base.errors import InputRefused
from rsqm.base.stats import cohen_kappa, wilson_interval
from rsqm.files.folder import Workspace
from rsqm.files.models import Answer, AnswerResult, Audit, Checklist, Moderation, Sample
from rsqm.files.yamlio import dump_yaml

SAFE_CASE_REF = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


class AuditError(InputRefused, ValueError):
    """A request about audits that cannot be honoured; the message says why."""


class Agreement(BaseModel):
    """How often the second marker gave the first marker's answer."""

    pairs: int  # item answers marked by both (both results given)
    percent: float | None  # 0..100: share of pairs with the same answer; None without pairs
    kappa: float | None  # Cohen's kappa over the pairs; None without pairs
    disagreements: list[tuple[str, str, str, str]]  # (case_ref, item, first, second)


class SampleCompliance(BaseModel):
    """Overall compliance of one sample: met / applicable over every checklist item."""

    sample: str
    drawn_on: date
    cases: int  # cases in the sample
    audited: int  # completed audits
    applicable: int
    met: int
    rate: float | None
    ci_low: float | None
    ci_high: float | None


class AuditSummary(BaseModel):
    items: list[AuditItemResult]  # below-target items first, otherwise checklist order
    samples: list[SampleCompliance]  # oldest draw first
    agreement: Agreement
    safeguarding_concerns: int  # raised, resolved or not
    concern_cases: list[str]  # case-level: never show to leadership
    open_concerns: int = 0  # raised and not yet resolved


def blank_audit(ws: Workspace, case_ref: str, auditor: str, sample: str | None = None) -> Audit:
    """An empty record for a sampled case: every checklist item listed, nothing answered.

    Raises ``AuditError`` when the case is in no sample (or not in ``sample``), is in
    several samples and none was named, or already has a record.
    """
    checklist = ws.checklist
    if checklist is None:
        raise AuditError(f"the workspace has no checklist '{ws.settings.checklist}' in standards/")
    if not auditor.strip():
        raise AuditError("auditor is empty: say who is auditing the case")
    if not SAFE_CASE_REF.fullmatch(case_ref):
        raise AuditError(f"{case_ref!r} is not a case reference that can be a file name")
    if sample is not None:
        if sample not in ws.samples:
            known = ", ".join(sorted(ws.samples)) or "none drawn yet"
            raise AuditError(f"unknown sample '{sample}' (samples: {known})")
        if case_ref not in ws.samples[sample].cases:
            raise AuditError(f"case {case_ref} is not in sample '{sample}'; only sampled cases are audited")
    else:
        containing = sorted(name for name, s in ws.samples.items() if case_ref in s.cases)
        if not containing:
            raise AuditError(f"case {case_ref} is in no sample; only sampled cases are audited (draw one with 'rsqm sample')")
        if len(containing) > 1:
            raise AuditError(f"case {case_ref} is in samples {', '.join(containing)}; say which with --sample")
        sample = containing[0]
    if case_ref in ws.audits:
        raise AuditError(f"{ws.audit_path(case_ref)} already exists; an audit record is never replaced")
    return Audit.model_validate(
        {
            "schema": "rsqm/audit@1",
            "case_ref": case_ref,
            "sample": sample,
            "auditor": auditor.strip(),
            "audited_on": None,
            "answers": {item.id: Answer() for item in checklist.items},
        }
    )


def audit_document(audit: Audit) -> dict:
    """The first marking as written to disk: unanswered results and a missing audited_on stay visible as null.

    The second marking is never in it: it has a file of its own (``second_marking_document``).
    """
    data = audit.model_dump(mode="json", by_alias=True)
    data.pop("moderation", None)
    for key in ("resolved_on", "resolved_by"):
        if data.get(key) is None:
            data.pop(key, None)
    if not data.get("resolution_note"):
        data.pop("resolution_note", None)
    return data


ANSWER_HELP = "# Answer each item with met, partly_met, not_met or n_a (and a short note, no names)."


SECOND_HELP = ("# The second marking of {case_ref}, kept apart from the first answers: answer each item without looking at them\n"
               "# (met, partly_met, not_met or n_a). Once both markings are complete, 'agreed' holds the answers both\n"
               "# markers settle on where they differ (these count).\n")


def second_marking_document(audit: Audit) -> dict | None:
    """The second marker's own file (``rsqm/second-marking@1``), None before the second marking starts."""
    if audit.moderation is None:
        return None
    return {"schema": "rsqm/second-marking@1", "case_ref": audit.case_ref, **audit.moderation.model_dump(mode="json")}


def audit_files(ws: Workspace, audit: Audit) -> dict[str, str]:
    """File -> text for everything an audit writes: the first marking, and the second marking in its own file.

    An older record with the second marking inside it is split on its next write; nothing is lost.
    """
    files = {ws.audit_path(audit.case_ref): audit_yaml(audit, ws.checklist)}
    second = second_marking_document(audit)
    if second is not None:
        text = _with_questions(dump_yaml(second), ws.checklist)
        files[ws.second_marking_path(audit.case_ref)] = SECOND_HELP.format(case_ref=audit.case_ref) + text
    return files


def audit_yaml(audit: Audit, checklist: Checklist | None) -> str:
    """The first marking as written to disk, each answer headed by its checklist question as a YAML comment.

    Comments are ignored when the file is read, so the questions are there for
    whoever fills the record in by hand and cost nothing otherwise.
    """
    return _with_questions(dump_yaml(audit_document(audit)), checklist, ANSWER_HELP + " Set audited_on when the audit is finished.")


def _with_questions(text: str, checklist: Checklist | None, answers_help: str = "") -> str:
    """``text`` with each answer under answers: or agreed: headed by its question as a comment (and ``answers_help`` above answers:)."""
    if checklist is None:
        return text
    questions = {item.id: f"{item.section}{' (critical)' if item.critical else ''}: {' '.join(item.question.split())}" for item in checklist.items}
    lines: list[str] = []
    block: int | None = None  # indentation of the answers:/agreed: key we are under
    for line in text.splitlines():
        stripped = line.lstrip(" ")
        indent = len(line) - len(stripped)
        if block is not None and stripped and indent <= block:
            block = None
        if block is not None and indent == block + 2 and stripped.endswith(":"):
            question = questions.get(stripped[:-1].strip("'\""))
            if question:
                lines += textwrap.wrap(question, 100, initial_indent=" " * indent + "# ", subsequent_indent=" " * indent + "#   ")
        if stripped == "answers:" and indent == 0 and answers_help:
            lines.append(answers_help)
        if stripped in ("answers:", "agreed: {}", "agreed:"):
            block = indent
        lines.append(line)
    return "\n".join(lines) + "\n"


def blank_moderation(ws: Workspace, case_ref: str, moderator: str, on: date) -> Audit:
    """The audit with an empty second-marking block for ``moderator``; raises ``AuditError``.

    Second marking checks a finished audit, by someone other than its auditor, once.
    """
    audit = ws.audits.get(case_ref)
    if audit is None:
        raise AuditError(f"case {case_ref} has no audit record ({ws.audit_path(case_ref)}); start one with 'rsqm audit new {case_ref}'")
    if not moderator.strip():
        raise AuditError("moderator is empty: say who second-marks the case")
    if audit.audited_on is None:
        raise AuditError(f"{ws.audit_path(case_ref)}: the first marking is not finished (it has no date of completion); second-mark it once it is")
    if audit.moderation is not None:
        raise AuditError(f"{ws.audit_path(case_ref)}: already second-marked by {audit.moderation.moderator} on {audit.moderation.moderated_on}")
    if moderator.strip() == audit.auditor:
        raise AuditError(f"{audit.auditor} audited {case_ref}; a colleague must do the second marking")
    checklist = ws.checklist
    items = [item.id for item in checklist.items] if checklist else list(audit.answers)
    moderation = Moderation(moderator=moderator.strip(), moderated_on=on, answers={item: Answer() for item in items})
    return audit.model_copy(update={"moderation": moderation})


def resolve_concern(ws: Workspace, case_ref: str, by: str, on: date, note: str) -> Audit:
    """The audit with its safeguarding concern recorded as resolved; raises ``AuditError``."""
    audit = ws.audits.get(case_ref)
    if audit is None:
        raise AuditError(f"case {case_ref} has no audit record ({ws.audit_path(case_ref)})")
    if not audit.safeguarding_concern:
        raise AuditError(f"{ws.audit_path(case_ref)}: no safeguarding concern was raised in this audit")
    if audit.resolved_on is not None:
        raise AuditError(f"{ws.audit_path(case_ref)}: the concern was already resolved on {audit.resolved_on} by {audit.resolved_by}")
    if not note.strip():
        raise AuditError("--note is empty: say what was done about the concern (no names)")
    if not by.strip():
        raise AuditError("say who records the resolution (--by)")
    return audit.model_copy(update={"resolved_on": on, "resolved_by": by.strip(), "resolution_note": note.strip()})


def audit_state(audit: Audit | None) -> str:
    """Where a sampled case's audit stands, in the one vocabulary every list and summary uses (``STATES``)."""
    if audit is None:
        return "not started"
    if audit.audited_on is None:
        return "in progress"
    if audit.moderation is None:
        return "audited"
    if any(answer.result is None for answer in audit.moderation.answers.values()):
        return "second marking in progress"
    return "awaiting agreement" if awaiting_agreement(audit) else "second marked"


STATES = ("not started", "in progress", "audited", "second marking in progress", "awaiting agreement", "second marked")
AWAITING = {
    "completion": ("not started", "in progress"),
    "second-marking": ("audited", "second marking in progress"),
    "agreement": ("awaiting agreement",),
}


def differences(audit: Audit) -> list[str]:
    """Items where the two markers gave different answers (both given), in the second marking's order."""
    moderation = audit.moderation
    if moderation is None:
        return []
    return [item for item, second in moderation.answers.items()
            if (first := audit.answers.get(item)) and first.result and second.result and first.result != second.result]


def awaiting_agreement(audit: Audit) -> bool:
    """A finished second marking differs from the first on an item that has no agreed answer yet."""
    moderation = audit.moderation
    if moderation is None or any(a.result is None for a in moderation.answers.values()):
        return False
    return any(item not in moderation.agreed for item in differences(audit))


# --- answering an audit by command ------------------------------------------------

RESULT_WORDS = {
    "met": AnswerResult.met, "partly met": AnswerResult.partly_met, "partly": AnswerResult.partly_met,
    "not met": AnswerResult.not_met, "n/a": AnswerResult.n_a, "n a": AnswerResult.n_a, "na": AnswerResult.n_a,
    "not applicable": AnswerResult.n_a,
}


def parse_result(text: str) -> AnswerResult:
    """An answer as people type it: met, partly met (partly_met), not met (not_met), n/a (n_a, not applicable)."""
    words = " ".join(text.lower().replace("_", " ").replace("-", " ").split())
    if words not in RESULT_WORDS:
        raise AuditError(f"'{text}' is not an answer: say met, partly met, not met or n/a")
    return RESULT_WORDS[words]


def result_words(result: AnswerResult) -> str:
    """An answer as people read it: met, partly met, not met, not applicable."""
    return {AnswerResult.n_a: "not applicable"}.get(result, result.value.replace("_", " "))


def question(checklist: Checklist | None, item: str) -> str:
    """The checklist question of ``item`` as people read it (the id when there is no checklist)."""
    for entry in checklist.items if checklist else []:
        if entry.id == item:
            return " ".join(entry.question.split())
    return item


def _item(ws: Workspace, audit: Audit, item: str) -> None:
    if item not in audit.answers:
        known = "; ".join(f"{i} ({question(ws.checklist, i)})" for i in audit.answers)
        raise AuditError(f"the checklist has no item '{item}'; its items are: {known}")


def _record(ws: Workspace, case_ref: str) -> Audit:
    audit = ws.audits.get(case_ref)
    if audit is None:
        raise AuditError(f"case {case_ref} has no audit record yet; start one with 'rsqm audit new {case_ref}' or 'rsqm audit answer'")
    return audit


def answer(ws: Workspace, case_ref: str, item: str, result: AnswerResult, note: str, by: str) -> Audit:
    """The audit with the first marker's answer to ``item``; a record is started (auditor ``by``) when there is none."""
    audit = ws.audits.get(case_ref) or blank_audit(ws, case_ref, by)
    if audit.audited_on is not None:
        raise AuditError(f"the audit of {case_ref} was completed on {audit.audited_on}; its answers are final")
    _item(ws, audit, item)
    return audit.model_copy(update={"answers": {**audit.answers, item: Answer(result=result, note=note.strip())}})


def complete(ws: Workspace, case_ref: str, on: date) -> Audit:
    """The audit marked complete on ``on``; refused while any item is unanswered, each named by its question."""
    audit = _record(ws, case_ref)
    if audit.audited_on is not None:
        raise AuditError(f"the audit of {case_ref} was already completed on {audit.audited_on}")
    missing = [item for item, a in audit.answers.items() if a.result is None]
    if missing:
        listed = "\n".join(f"  - {question(ws.checklist, item)} (answer it with 'rsqm audit answer {case_ref} {item} RESULT')"
                           for item in missing)
        raise AuditError(f"the audit of {case_ref} is not complete: {len(missing)} question{'s' * (len(missing) != 1)} unanswered:\n{listed}")
    return audit.model_copy(update={"audited_on": on})


def second_answer(ws: Workspace, case_ref: str, item: str, result: AnswerResult, note: str, by: str | None, today: date) -> Audit:
    """The audit with the second marker's answer to ``item``, in the second marking's own block.

    The first marking must be complete; the second marking is started for ``by``
    when there is none (someone other than the auditor). Nothing of the first
    answers is returned to show.
    """
    audit = _record(ws, case_ref)
    moderation = audit.moderation
    if moderation is None:
        audit = blank_moderation(ws, case_ref, by or "", today)
        moderation = audit.moderation
        assert moderation is not None
    elif by is not None and by.strip() != moderation.moderator:
        raise AuditError(f"the second marking of {case_ref} is {moderation.moderator}'s; only they answer it")
    if item not in moderation.answers:
        _item(ws, audit, item)
        raise AuditError(f"the second marking of {case_ref} has no item '{item}'")
    if all(a.result is not None for a in moderation.answers.values()):
        raise AuditError(f"the second marking of {case_ref} is complete; settle differences with 'rsqm audit agree'")
    answers = {**moderation.answers, item: Answer(result=result, note=note.strip())}
    return audit.model_copy(update={"moderation": moderation.model_copy(update={"answers": answers})})


def agree(ws: Workspace, case_ref: str, item: str, result: AnswerResult) -> Audit:
    """The audit with the answer both markers settled on for ``item`` (it counts over the first answer)."""
    audit = _record(ws, case_ref)
    moderation = audit.moderation
    if moderation is None or any(a.result is None for a in moderation.answers.values()):
        raise AuditError(f"the second marking of {case_ref} is not complete; the two markings are compared once both are")
    _item(ws, audit, item)
    agreed = {**moderation.agreed, item: Answer(result=result)}
    return audit.model_copy(update={"moderation": moderation.model_copy(update={"agreed": agreed})})


def audit_rows(ws: Workspace, sample: str | None = None, awaiting: str | None = None) -> list[tuple[str, str, Audit | None, str]]:
    """(case_ref, sample, audit, state) for every sampled case, sample by sample; raises ``AuditError`` for an unknown sample."""
    if sample is not None and sample not in ws.samples:
        known = ", ".join(sorted(ws.samples)) or "none drawn yet"
        raise AuditError(f"unknown sample '{sample}' (samples: {known})")
    names = [sample] if sample is not None else sorted(ws.samples, key=lambda n: (ws.samples[n].drawn_on, n))
    rows = []
    for name in names:
        for case_ref in ws.samples[name].cases:
            audit = ws.audits.get(case_ref)
            state = audit_state(audit if audit is None or audit.sample == name else None)
            if awaiting is None or state in AWAITING[awaiting]:
                rows.append((case_ref, name, audit, state))
    return rows


def agreement(audits: Iterable[Audit]) -> Agreement:
    """First answers against ``moderation.answers`` over every item both markers answered."""
    pairs: list[tuple[str, str]] = []
    disagreements: list[tuple[str, str, str, str]] = []
    finished = (a for a in audits if a.moderation is not None and all(x.result is not None for x in a.moderation.answers.values()))
    for audit in sorted(finished, key=attrgetter("case_ref")):  # compared only once both markings are complete
        assert audit.moderation is not None
        for item, second in sorted(audit.moderation.answers.items()):
            first = audit.answers.get(item)
            if first is None or first.result is None or second.result is None:
                continue
            pairs.append((first.result.value, second.result.value))
            if first.result != second.result:
                disagreements.append((audit.case_ref, item, first.result.value, second.result.value))
    percent = 100 * (len(pairs) - len(disagreements)) / len(pairs) if pairs else None
    return Agreement(pairs=len(pairs), percent=percent, kappa=cohen_kappa(pairs), disagreements=disagreements)


def sample_compliance(samples: Iterable[Sample], tallies: dict[str, Tally], audited: Counter[str]) -> list[SampleCompliance]:
    """Per sample, oldest first: met / applicable over all checklist items of its completed audits.

    ``tallies``: sample name -> the tally of its completed audits (``sample_tallies``); ``audited``: how many they are.
    """
    results = []
    for sample in sorted(samples, key=lambda s: (s.drawn_on, s.name)):
        by_item = tallies.get(sample.name, {}).values()
        met = sum(counts[AnswerResult.met] for counts in by_item)
        applicable = met + sum(counts[AnswerResult.partly_met] + counts[AnswerResult.not_met] for counts in by_item)
        low, high = wilson_interval(met, applicable) if applicable else (None, None)
        results.append(
            SampleCompliance(
                sample=sample.name,
                drawn_on=sample.drawn_on,
                cases=len(sample.cases),
                audited=audited[sample.name],
                applicable=applicable,
                met=met,
                rate=met / applicable if applicable else None,
                ci_low=low,
                ci_high=high,
            )
        )
    return results


def summarise(ws: Workspace, sample: str | None = None) -> AuditSummary:
    """Everything the audit summary shows, over all samples or one; raises ``AuditError``."""
    checklist = ws.checklist
    if checklist is None:
        raise AuditError(f"the workspace has no checklist '{ws.settings.checklist}' in standards/")
    if sample is not None and sample not in ws.samples:
        known = ", ".join(sorted(ws.samples)) or "none drawn yet"
        raise AuditError(f"unknown sample '{sample}' (samples: {known})")
    names = [sample] if sample is not None else sorted(ws.samples)
    completed = sampled_audits(ws.audits, names)
    tallies = sample_tallies(completed, checklist)  # the one pass over every answer; items and samples add it up
    items = sorted(results_from(pooled(tallies.values(), checklist), checklist), key=lambda r: r.verdict not in UNDER_TARGET)
    # a concern raised while an audit is still in progress counts too
    wanted = set(names)
    concerns = sorted(a.case_ref for a in ws.audits.values() if a.safeguarding_concern and a.sample in wanted)
    return AuditSummary(
        items=items,
        samples=sample_compliance([ws.samples[n] for n in names], tallies, Counter(map(attrgetter("sample"), completed))),
        agreement=agreement(completed),
        safeguarding_concerns=len(concerns),
        concern_cases=concerns,
        open_concerns=sum(ws.audits[c].resolved_on is None for c in concerns),
    )
