"""Cross-reference checks over a loaded workspace: pure, no file reads.

Errors make the workspace unusable (broken references, paths leaving
``evidence/``, dates in the future); conditions that the gap analysis reports
(a file not on disk yet) are warnings.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING

from rsqm.assess.measures import spec_problems
from rsqm.assess.workforce import workforce_problems
from rsqm.audit.sampling import population, population_sha256
from rsqm.base.labels import field
from rsqm.base.paths import ACCREDITATION_FILE, ACTIONS_FILE, CASES_FILE, NARRATIVES_DIR, REGISTER_FILE, REQUESTS_FILE, SETTINGS_FILE
from rsqm.base.problems import Problem, error, warning
from rsqm.files.models import EvidenceStatus, split_indicator

if TYPE_CHECKING:
    from rsqm.files.folder import Workspace
    from rsqm.files.models import Action


def check_workspace(ws: Workspace, today: date) -> list[Problem]:
    problems: list[Problem] = []
    problems += _check_settings(ws)
    problems += _check_frameworks(ws)
    problems += _check_mappings(ws)
    problems += _check_register(ws, today)
    problems += _check_cases(ws, today)
    problems += _check_samples(ws, today)
    problems += _check_audits(ws, today)
    problems += _check_narratives_and_actions(ws)
    problems += _check_measures(ws)
    problems += workforce_problems(ws, today)
    problems += _check_requests(ws, today)
    problems += _check_accreditation(ws)
    return problems


def _duplicates(ids: Iterable[str]) -> list[tuple[int, str]]:
    seen: set[str] = set()
    found = []
    for index, value in enumerate(ids):
        if value in seen:
            found.append((index, value))
        seen.add(value)
    return found


def indicator_index(ws: Workspace) -> dict[str, set[str]]:
    """framework id -> its indicator ids."""
    return {fid: {i.id for _, i in fw.indicators()} for fid, fw in ws.frameworks.items()}


def _check_settings(ws: Workspace) -> list[Problem]:
    problems = []
    if not ws.settings_valid:
        return problems
    if ws.settings.framework not in ws.frameworks and ws.settings.framework not in ws.unparsed_ids:
        known = ", ".join(sorted(ws.frameworks)) or "none in standards/"
        problems.append(error(SETTINGS_FILE, ws.line(SETTINGS_FILE, "framework"), f"unknown framework '{ws.settings.framework}' (known: {known})"))
    if ws.settings.checklist not in ws.checklists and ws.settings.checklist not in ws.unparsed_ids:
        known = ", ".join(sorted(ws.checklists)) or "none in standards/"
        problems.append(error(SETTINGS_FILE, ws.line(SETTINGS_FILE, "checklist"), f"unknown checklist '{ws.settings.checklist}' (known: {known})"))
    for index, fid in enumerate(ws.settings.frameworks):
        if fid not in ws.frameworks and fid not in ws.unparsed_ids:
            known = ", ".join(sorted(ws.frameworks)) or "none in standards/"
            problems.append(error(SETTINGS_FILE, ws.line(SETTINGS_FILE, "frameworks", index), f"the list of frameworks names an unknown framework '{fid}' (known: {known})"))
    indicators = indicator_index(ws).get(ws.settings.framework, set())
    for indicator in ws.settings.not_applicable:
        if ws.framework and indicator not in indicators:
            problems.append(error(SETTINGS_FILE, ws.line(SETTINGS_FILE, "not_applicable", indicator), f"the indicators marked not applicable include an unknown indicator '{indicator}'"))
    return problems


def _check_frameworks(ws: Workspace) -> list[Problem]:
    problems = []
    primary_items = {item.id for item in ws.checklist.items} if ws.checklist else None
    any_items = {item.id for checklist in ws.checklists.values() for item in checklist.items}
    for fid, framework in ws.frameworks.items():
        rel = ws.framework_files[fid]
        # the primary framework's audit items come from the primary checklist; another framework's from any checklist
        checklist_items = primary_items if fid == ws.settings.framework else (any_items or None)
        where = f"checklist {ws.settings.checklist}" if fid == ws.settings.framework else "any checklist in standards/"
        for index, sid in _duplicates(s.id for s in framework.standards):
            problems.append(error(rel, ws.line(rel, "standards", index, "id"), f"duplicate standard id '{sid}'"))
        seen: dict[str, bool] = {}
        for s_index, standard in enumerate(framework.standards):
            for i_index, indicator in enumerate(standard.indicators):
                loc = ("standards", s_index, "indicators", i_index)
                if indicator.id in seen:
                    problems.append(error(rel, ws.line(rel, *loc, "id"), f"duplicate indicator id '{indicator.id}'"))
                seen[indicator.id] = True
                for t_index, kind in enumerate(indicator.evidence.types):
                    if kind not in framework.evidence_types:
                        problems.append(error(rel, ws.line(rel, *loc, "evidence", "types", t_index), f"indicator {indicator.id}: unknown evidence type '{kind}'"))
                for a_index, item in enumerate(indicator.audit_items):
                    if checklist_items is not None and item not in checklist_items:
                        problems.append(error(rel, ws.line(rel, *loc, "audit_items", a_index), f"indicator {indicator.id}: unknown audit item '{item}' (not in {where})"))
    for cid, checklist in ws.checklists.items():
        rel = ws.framework_files[cid]
        for index, item_id in _duplicates(i.id for i in checklist.items):
            problems.append(error(rel, ws.line(rel, "items", index, "id"), f"duplicate checklist item id '{item_id}'"))
    return problems


def _check_mappings(ws: Workspace) -> list[Problem]:
    """Each mapping names known frameworks (as its file name says) and known indicators in them."""
    problems = []
    indicators = indicator_index(ws)
    for rel, mapping in ws.mappings.items():
        expected = f"{mapping.from_}--{mapping.to}"
        if rel.rsplit("/", 1)[1].rsplit(".", 1)[0] != expected:
            problems.append(error(rel, ws.line(rel, "from"), f"a mapping from {mapping.from_} to {mapping.to} belongs in standards/mappings/{expected}.yaml"))
        sides = {"from": mapping.from_, "to": mapping.to}
        for side, fid in sides.items():
            if fid not in indicators and fid not in ws.unparsed_ids:
                problems.append(error(rel, ws.line(rel, side), f"mapping names unknown framework '{fid}'"))
        for index, relation in enumerate(mapping.relations):
            for side, indicator in (("from", relation.from_), ("to", relation.to)):
                known = indicators.get(sides[side])
                if known is not None and indicator not in known:
                    problems.append(error(rel, ws.line(rel, "relations", index, side), f"relation names unknown indicator '{indicator}' in {sides[side]}"))
    return problems


def _check_register(ws: Workspace, today: date) -> list[Problem]:
    problems = []
    rel = REGISTER_FILE
    items = ws.register.items
    known_types = {t for fw in ws.frameworks.values() for t in fw.evidence_types}
    indicators = indicator_index(ws)
    ids = {i.id for i in items}
    for index, item_id in _duplicates(i.id for i in items):
        problems.append(error(rel, ws.line(rel, *ws.register_loc(index), "id"), f"duplicate evidence id '{item_id}'"))
    for index, item in enumerate(items):
        loc = ws.register_loc(index)
        if known_types and item.type not in known_types:
            problems.append(error(rel, ws.line(rel, *loc, "type"), f"{item.id}: unknown evidence type '{item.type}'"))
        if item.dated > today:
            problems.append(error(rel, ws.line(rel, *loc, "dated"), f"{item.id}: the {field('dated')} {item.dated} lies in the future"))
        if item.review_by and item.review_by < item.dated:
            problems.append(error(rel, ws.line(rel, *loc, "review_by"), f"{item.id}: the {field('review_by')} {item.review_by} is before the {field('dated')} {item.dated}"))
        facts = ws.files.get(item.id)
        if facts is not None and facts.path is None:
            problems.append(error(rel, ws.line(rel, *loc, "file"), f"{item.id}: file path '{item.file}' leaves the evidence/ folder"))
        elif facts is not None and not facts.exists:
            problems.append(warning(rel, ws.line(rel, *loc, "file"), f"{item.id}: file 'evidence/{item.file}' is not on disk yet"))
        elif facts is not None and facts.mismatch:
            blocking, why = facts.mismatch
            problems.append((error if blocking else warning)(rel, ws.line(rel, *loc, "file"), f"{item.id}: file 'evidence/{item.file}': {why}"))
        if item.status == EvidenceStatus.approved and item.sha256 is None:
            problems.append(warning(rel, ws.line(rel, *loc, "status"), f"{item.id}: approved without a recorded {field('sha256')}, so a later change to its file "
                                    f"cannot be detected; run 'rsqm evidence approve {item.id} --by NAME' to record it"))
        if item.superseded_by is not None and item.superseded_by not in ids:
            problems.append(error(rel, ws.line(rel, *loc, "superseded_by"), f"{item.id}: the {field('superseded_by')} is an unknown evidence id '{item.superseded_by}'"))
        for l_index, link in enumerate(item.links):
            framework_id, indicator = link.split(ws.settings.framework)
            where = ws.line(rel, *loc, "links", l_index, "indicator")
            if framework_id in ws.unparsed_ids:
                continue
            if framework_id not in indicators:
                problems.append(error(rel, where, f"{item.id}: link to unknown framework '{framework_id}'"))
            elif indicator not in indicators[framework_id]:
                problems.append(error(rel, where, f"{item.id}: link to unknown indicator '{link.indicator}'"))
    return problems


def _check_cases(ws: Workspace, today: date) -> list[Problem]:
    problems = []
    for case in ws.cases:
        line = ws.case_lines.get(case.case_ref)
        for column in ("referred_on", "closed_on", "first_contact_on", "rj_info_offered_on"):
            when = getattr(case, column)
            if when and when > today:
                problems.append(error(CASES_FILE, line, f"{case.case_ref}: the {field(column)} {when} lies in the future"))
    return problems


def _check_samples(ws: Workspace, today: date) -> list[Problem]:
    problems = []
    known_cases = set(ws.case_lines)
    for name, sample in ws.samples.items():
        rel = ws.sample_path(name)
        if sample.drawn_on > today:
            problems.append(error(rel, ws.line(rel, "drawn_on"), f"the {field('drawn_on')} {sample.drawn_on} lies in the future"))
        for index, case_ref in enumerate(sample.cases):
            if case_ref not in known_cases:
                problems.append(error(rel, ws.line(rel, "cases", index), f"sample names case '{case_ref}', which is not in evidence/cases.csv"))
        for index, case_ref in _duplicates(sample.cases):
            problems.append(error(rel, ws.line(rel, "cases", index), f"case '{case_ref}' is listed twice"))
        if ws.cases:
            rows = population(ws.cases, sample.population.closed_from, sample.population.closed_to)
            if population_sha256(rows) != sample.population.sha256:
                problems.append(warning(rel, ws.line(rel, "population", "sha256"), "today's case list no longer gives this sample's population hash for its period; the case list changed after the draw"))
    return problems


def _check_audits(ws: Workspace, today: date) -> list[Problem]:
    problems = []
    checklist = ws.checklist
    items = {i.id: i for i in checklist.items} if checklist else {}
    sampled = {name: set(sample.cases) for name, sample in ws.samples.items()}  # a set each: 20,000 audits x 2,500 cases
    for case_ref, audit in ws.audits.items():
        rel = ws.audit_path(case_ref)
        if audit.sample not in sampled:
            problems.append(error(rel, ws.line(rel, "sample"), f"audit names unknown sample '{audit.sample}'"))
        elif case_ref not in sampled[audit.sample]:
            problems.append(error(rel, ws.line(rel, "case_ref"), f"case '{case_ref}' is not in sample '{audit.sample}'"))
        if audit.resolved_on is not None and not audit.safeguarding_concern:
            problems.append(error(rel, ws.line(rel, "resolved_on"), f"a concern is marked resolved (the {field('resolved_on')} {audit.resolved_on}) but no safeguarding concern was raised"))
        elif audit.resolved_on is not None and audit.resolved_on > today:
            problems.append(error(rel, ws.line(rel, "resolved_on"), f"the {field('resolved_on')} {audit.resolved_on} lies in the future"))
        if audit.audited_on and audit.audited_on > today:
            problems.append(error(rel, ws.line(rel, "audited_on"), f"the {field('audited_on')} {audit.audited_on} lies in the future"))
        answer_sets: list[tuple[str, tuple[str, ...], dict]] = [(rel, ("answers",), audit.answers)]
        if audit.moderation:
            # the second marker's own file, else the older block inside the audit file
            second, at = (ws.second_marking_path(case_ref), ()) if ws.second_marking_path(case_ref) in ws.sources else (rel, ("moderation",))
            answer_sets += [(second, (*at, "answers"), audit.moderation.answers), (second, (*at, "agreed"), audit.moderation.agreed)]
            if audit.moderation.moderated_on > today:
                problems.append(error(second, ws.line(second, *at, "moderated_on"), f"the {field('moderated_on')} {audit.moderation.moderated_on} lies in the future"))
        for path, loc, answers in answer_sets:
            for item_id in answers:
                if items and item_id not in items:
                    problems.append(error(path, ws.line(path, *loc, item_id), f"answer for unknown checklist item '{item_id}'"))
        if audit.audited_on is not None:
            final = audit.final_answers()
            for item in items.values():
                if item.id not in final or final[item.id].result is None:  # a critical question must be answered; any other should be
                    where = ws.line(rel, "answers", item.id) if item.id in audit.answers else ws.line(rel, "answers")
                    said = f"the completed audit of {case_ref} has no answer to {'the critical question' if item.critical else ''} " \
                           f"'{' '.join(item.question.split())}'"
                    problems.append((error if item.critical else warning)(rel, where, " ".join(said.split())))
    return problems


def _check_narratives_and_actions(ws: Workspace) -> list[Problem]:
    problems = []
    indicators = indicator_index(ws).get(ws.settings.framework, set())
    all_indicators = {f"{fid}:{i}" for fid, ids in indicator_index(ws).items() for i in ids} | indicators
    for indicator in ws.narratives:
        if indicators and indicator not in all_indicators:
            rel = ws.narrative_files.get(indicator, f"{NARRATIVES_DIR}/{indicator}.md")
            framework, _, bare = indicator.rpartition(":")
            known = f"framework '{framework}'" if framework and framework in ws.frameworks else None
            what = (f"narrative for an indicator '{bare}' that {known} does not have" if known else
                    f"narrative for unknown framework '{framework}'" if framework else f"narrative for unknown indicator '{indicator}'")
            problems.append(warning(rel, None, what))
    for index, action_id in _duplicates(a.id for a in ws.actions.actions):
        problems.append(error(ACTIONS_FILE, ws.line(ACTIONS_FILE, "actions", index, "id"), f"duplicate action id '{action_id}'"))
    for index, action in enumerate(ws.actions.actions):
        if action.indicator and all_indicators and action.indicator not in all_indicators:
            problems.append(error(ACTIONS_FILE, ws.line(ACTIONS_FILE, "actions", index, "indicator"), f"action {action.id}: unknown indicator '{action.indicator}'"))
        problems += _check_re_audit(ws, index, action)
    return problems


def _check_re_audit(ws: Workspace, index: int, action: Action) -> list[Problem]:
    items = {item.id for item in ws.checklist.items} if ws.checklist else None
    return [error(ACTIONS_FILE, ws.line(ACTIONS_FILE, "actions", index, key), message)
            for key, message in re_audit_problems(action, items, ws.settings.checklist)]


def re_audit_problems(action: Action, items: set[str] | None, checklist: str) -> list[tuple[str, str]]:
    """(field, message) pairs: audit_item names a checklist item; re_audit_by needs the item and a due date before it."""
    problems = []
    if action.audit_item and items is not None and action.audit_item not in items:
        problems.append(("audit_item", f"action {action.id}: unknown audit item '{action.audit_item}' (not in checklist {checklist})"))
    if action.re_audit_by is not None:
        if not action.audit_item:
            problems.append(("re_audit_by", f"action {action.id}: a {field('re_audit_by')} needs the {field('audit_item')}"))
        if action.due is None:
            problems.append(("re_audit_by", f"action {action.id}: a {field('re_audit_by')} needs a due date; the re-audit is a round drawn on or after it"))
        elif action.re_audit_by < action.due:
            problems.append(("re_audit_by", f"action {action.id}: the {field('re_audit_by')} {action.re_audit_by} is before its due date {action.due}"))
    return problems


def _check_measures(ws: Workspace) -> list[Problem]:
    """Each measure names a built-in measure and gives what it needs, located at its line in the standards file."""
    problems = []
    for fid, framework in ws.frameworks.items():
        rel = ws.framework_files[fid]
        for s_index, standard in enumerate(framework.standards):
            for i_index, indicator in enumerate(standard.indicators):
                for m_index, spec in enumerate(indicator.measures):
                    loc = ("standards", s_index, "indicators", i_index, "measures", m_index)
                    for key, message in spec_problems(spec):
                        problems.append(error(rel, ws.line(rel, *loc, key), f"indicator {indicator.id}: {message}"))
                    questions = ws.settings.feedback_questions
                    if spec.measure == "feedback_share" and spec.question and questions and spec.question not in questions:
                        problems.append(warning(rel, ws.line(rel, *loc, "question"),
                                              f"indicator {indicator.id}: feedback question '{spec.question}' is not one of the feedback questions in {SETTINGS_FILE}"))
    for index, target in enumerate(ws.settings.local_targets):
        for key, message in spec_problems(target):
            problems.append(error(SETTINGS_FILE, ws.line(SETTINGS_FILE, "local_targets", index, key), f"local target {target.id}: {message}"))
    return problems


def _check_requests(ws: Workspace, today: date) -> list[Problem]:
    problems = []
    rel = REQUESTS_FILE
    indicators = indicator_index(ws)
    evidence = {item.id for item in ws.register.items}
    requests = ws.requests.requests
    for index, request_id in _duplicates(r.id for r in requests):
        problems.append(error(rel, ws.line(rel, "requests", index, "id"), f"duplicate request id '{request_id}'"))
    for index, request in enumerate(requests):
        loc = ("requests", index)
        framework_id, indicator = split_indicator(request.indicator, ws.settings.framework)
        if framework_id not in ws.unparsed_ids and indicator not in indicators.get(framework_id, set()):
            problems.append(error(rel, ws.line(rel, *loc, "indicator"), f"request {request.id}: unknown indicator '{request.indicator}'"))
        if request.raised_on > today:
            problems.append(error(rel, ws.line(rel, *loc, "raised_on"), f"request {request.id}: the {field('raised_on')} {request.raised_on} lies in the future"))
        if request.answered_on and request.answered_on < request.raised_on:
            problems.append(error(rel, ws.line(rel, *loc, "answered_on"), f"request {request.id}: answered before it was raised"))
        if request.status != "open" and not request.response.strip():
            problems.append(warning(rel, ws.line(rel, *loc, "status"), f"request {request.id} is {request.status} but has no response"))
        for e_index, evidence_id in enumerate(request.evidence):
            if evidence_id not in evidence:
                problems.append(error(rel, ws.line(rel, *loc, "evidence", e_index), f"request {request.id}: unknown evidence id '{evidence_id}'"))
    return problems


def _check_accreditation(ws: Workspace) -> list[Problem]:
    accreditation = ws.accreditation
    if accreditation is None:
        return []
    problems = []
    rel = ACCREDITATION_FILE
    actions = {a.id for a in ws.actions.actions}
    if accreditation.award and accreditation.award.expires <= accreditation.award.granted:
        problems.append(error(rel, ws.line(rel, "award", "expires"), "the award expires before it was granted"))
    for kind in ("conditions", "recommendations"):
        terms = getattr(accreditation, kind)
        for index, term_id in _duplicates(t.id for t in terms):
            problems.append(error(rel, ws.line(rel, kind, index, "id"), f"duplicate id '{term_id}' in {kind}"))
        for index, term in enumerate(terms):
            if term.action and term.action not in actions:
                problems.append(error(rel, ws.line(rel, kind, index, "action"), f"{term.id}: unknown action '{term.action}'"))
    return problems
