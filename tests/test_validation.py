"""`rsqm validate`: one test per rule, each on a small workspace built here, asserting the exact
`PATH:LINE: error:` a user sees. Every problem is reported in one run, sorted, with a summary."""

from __future__ import annotations

import os
from textwrap import dedent

import pytest

from builders import CHECKLIST, FRAMEWORK, WorkspaceBuilder, build, case, item
from rsqm.audit.sampling import population, population_sha256
from rsqm.workspace.load import load_workspace

PDF = b"%PDF-1.4\nplaceholder\n"


def validate(cli, ws: WorkspaceBuilder):
    result = cli("validate", "-w", str(ws.root))
    assert "Traceback" not in result.text
    return result


def assert_error(cli, ws: WorkspaceBuilder, expected: str) -> None:
    result = validate(cli, ws)
    assert result.code == 1, result.text
    assert expected in result.out, result.text


def register_text(ws: WorkspaceBuilder, body: str) -> None:
    ws.write("evidence/register.yaml", "schema: rsqm/register@1\nitems:\n" + dedent(body))


def sample(name: str, cases: list[str], drawn_on: str = "2026-01-05", sha: str = "0" * 64) -> dict:
    return {
        "schema": "rsqm/sample@1",
        "name": name,
        "drawn_on": drawn_on,
        "drawn_by": "sup1",
        "population": {"closed_from": "2025-10-01", "closed_to": "2025-12-31", "size": len(cases), "sha256": sha},
        "method": {"kind": "simple", "size": max(1, len(cases)), "seed": 1},
        "cases": cases,
    }


def with_sample(ws: WorkspaceBuilder, refs: list[str]) -> None:
    """Cases closed in Q4 2025 and a sample of them whose population hash is right."""
    rows = [case(ref) for ref in refs]
    ws.cases(*rows)
    loaded = load_workspace(ws.root)
    sha = population_sha256(population(loaded.cases, None, None))
    data = sample("s1", refs, sha=sha)
    data["population"] |= {"closed_from": None, "closed_to": None}
    del data["population"]["closed_from"], data["population"]["closed_to"]
    ws.write_yaml("evidence/samples/s1.yaml", data)


AUDIT = """\
schema: rsqm/audit@1
case_ref: RT-2025-001
sample: s1
auditor: sup1
audited_on: 2026-01-20
answers:
  risk_checked: {result: met}
"""


# --- a clean start -------------------------------------------------------------


def test_a_fresh_workspace_is_valid(ws, cli):
    result = validate(cli, ws)
    assert result.code == 0, result.text
    assert result.out.strip().splitlines()[-1] == "workspace is valid: no problems found"


def test_a_workspace_with_evidence_cases_sample_and_audit_is_valid(ws, cli):
    ws.file("files/E001.pdf", PDF)
    ws.evidence(item())
    with_sample(ws, ["RT-2025-001", "RT-2025-002"])
    ws.write("evidence/audits/RT-2025-001.yaml", AUDIT)
    result = validate(cli, ws)
    assert result.code == 0, result.text


# --- YAML itself ---------------------------------------------------------------


def test_a_yaml_syntax_error_is_reported_with_its_line(ws, cli):
    register_text(ws, """\
        - id: E001
          title: [unclosed
          type: policy
        """)
    assert_error(cli, ws, "evidence/register.yaml:5: error: YAML syntax error")


def test_a_duplicate_yaml_key_is_an_error_at_the_second_key(ws, cli):
    ws.write("rsqm.yaml", dedent("""\
        schema: rsqm/workspace@1
        service: Test Service
        framework: test-fw
        checklist: test-checklist
        service: Another Name
        """))
    assert_error(cli, ws, "rsqm.yaml:5: error: duplicate key 'service' (first at line 2)")


def test_an_unknown_schema_version_is_an_error_at_the_schema_key(ws, cli):
    ws.write("evidence/register.yaml", "items: []\nschema: rsqm/register@9\n")
    assert_error(cli, ws, "evidence/register.yaml:2: error: unknown schema 'rsqm/register@9'")


# --- fields --------------------------------------------------------------------


def test_a_misspelt_field_is_an_error_at_its_own_line(ws, cli):
    ws.file("files/E001.pdf", PDF)
    register_text(ws, """\
        - id: E001
          title: Policy
          type: policy
          file: files/E001.pdf
          owner: Service manager
          dated: 2026-01-01
          stauts: approved
        """)
    result = validate(cli, ws)
    assert result.code == 1
    assert "evidence/register.yaml:9: error: unknown field 'stauts' in items[0]" in result.out
    assert "evidence/register.yaml:3: error: missing required field 'status' in items[0]" in result.out


def test_a_field_of_the_wrong_type_is_an_error_at_its_line(ws, cli):
    ws.write_yaml("standards/test-checklist.yaml", CHECKLIST | {"min_sample": "several"})
    assert_error(cli, ws, "standards/test-checklist.yaml:4: error: min sample: expected a whole number, found 'several'")


@pytest.mark.parametrize("value", ["20260101", "next week", "2026-13-45", "2026-02-30", "2026-01-01 10:00:00"])
def test_a_value_that_is_not_a_date_is_an_error_at_its_line(ws, cli, value):
    ws.file("files/E001.pdf", PDF)
    register_text(ws, f"""\
        - id: E001
          title: Policy
          type: policy
          file: files/E001.pdf
          owner: Service manager
          dated: {value}
          status: approved
        """)
    result = validate(cli, ws)
    assert result.code == 1, result.text
    assert "evidence/register.yaml:8: error: date: " in result.out


def test_an_answer_with_an_unknown_result_is_an_error_at_its_line(ws, cli):
    with_sample(ws, ["RT-2025-001"])
    ws.write("evidence/audits/RT-2025-001.yaml", AUDIT.replace("{result: met}", "{result: done}"))
    assert_error(cli, ws, "evidence/audits/RT-2025-001.yaml:7: error: answers risk checked result: 'done' is not allowed; use one of 'met', ")


# --- duplicate ids -------------------------------------------------------------


def test_a_duplicate_evidence_id_is_an_error_at_the_second_item(ws, cli):
    ws.file("files/E001.pdf", PDF)
    ws.evidence(item("E001"), item("E001"))
    assert_error(cli, ws, "evidence/register.yaml:15: error: duplicate evidence id 'E001'")


def test_a_duplicate_indicator_id_is_an_error_at_the_second_indicator(ws, cli):
    framework = FRAMEWORK | {"standards": [*FRAMEWORK["standards"], {"id": "C", "title": "Charlie", "indicators": [{"id": "A1", "title": "Again"}]}]}
    ws.write_yaml("standards/test-fw.yaml", framework)
    loaded = load_workspace(ws.root)
    line = loaded.line("standards/test-fw.yaml", "standards", 2, "indicators", 0, "id")
    assert_error(cli, ws, f"standards/test-fw.yaml:{line}: error: duplicate indicator id 'A1'")


def test_a_duplicate_checklist_item_is_an_error_at_the_second_item(ws, cli):
    items = [*CHECKLIST["items"], {"id": "consent_recorded", "section": "Again", "question": "Again?"}]
    ws.write_yaml("standards/test-checklist.yaml", CHECKLIST | {"items": items})
    assert_error(cli, ws, "standards/test-checklist.yaml:19: error: duplicate checklist item id 'consent_recorded'")


def test_a_duplicate_sample_name_is_an_error(ws, cli):
    with_sample(ws, ["RT-2025-001"])
    ws.write("evidence/samples/s1.yml", (ws.root / "evidence/samples/s1.yaml").read_text())
    assert_error(cli, ws, "evidence/samples/s1.yml:2: error: duplicate sample name 's1'")


def test_a_case_listed_twice_in_a_sample_is_an_error(ws, cli):
    ws.cases(case("RT-2025-001"))
    ws.write_yaml("evidence/samples/s1.yaml", sample("s1", ["RT-2025-001", "RT-2025-001"]))
    assert_error(cli, ws, "evidence/samples/s1.yaml:16: error: case 'RT-2025-001' is listed twice")


def test_a_duplicate_case_ref_is_an_error_at_its_row(ws, cli):
    ws.cases(case("RT-2025-001"), case("RT-2025-001"))
    assert_error(cli, ws, "evidence/cases.csv:3: error: the case reference 'RT-2025-001' appears twice (first at line 2)")


# --- references ----------------------------------------------------------------


def test_a_link_to_an_unknown_indicator_is_an_error_at_the_link(ws, cli):
    ws.file("files/E001.pdf", PDF)
    ws.evidence(item(links=[{"indicator": "Z9", "locator": "p. 2"}]))
    assert_error(cli, ws, "evidence/register.yaml:12: error: E001: link to unknown indicator 'Z9'")


def test_a_link_to_an_unknown_framework_is_an_error_at_the_link(ws, cli):
    ws.file("files/E001.pdf", PDF)
    ws.evidence(item(links=[{"indicator": "nowhere:A1", "locator": "p. 2"}]))
    assert_error(cli, ws, "evidence/register.yaml:12: error: E001: link to unknown framework 'nowhere'")


def test_an_unknown_evidence_type_in_the_register_is_an_error(ws, cli):
    ws.file("files/E001.pdf", PDF)
    ws.evidence(item(type="poster"))
    assert_error(cli, ws, "evidence/register.yaml:5: error: E001: unknown evidence type 'poster'")


def test_an_unknown_evidence_type_in_a_framework_is_an_error(ws, cli):
    framework = FRAMEWORK | {"evidence_types": {"policy": "Policy", "supervision_record": "Supervision"}}
    ws.write_yaml("standards/test-fw.yaml", framework)
    loaded = load_workspace(ws.root)
    line = loaded.line("standards/test-fw.yaml", "standards", 0, "indicators", 1, "evidence", "types", 0)
    assert_error(cli, ws, f"standards/test-fw.yaml:{line}: error: indicator A2: unknown evidence type 'training_record'")


def test_an_unknown_audit_item_in_a_framework_is_an_error(ws, cli):
    standards = [FRAMEWORK["standards"][0], {"id": "B", "title": "Bravo", "indicators": [{"id": "B1", "title": "Safe", "audit_items": ["risk_chekced"]}]}]
    ws.write_yaml("standards/test-fw.yaml", FRAMEWORK | {"standards": standards})
    loaded = load_workspace(ws.root)
    line = loaded.line("standards/test-fw.yaml", "standards", 1, "indicators", 0, "audit_items", 0)
    assert_error(cli, ws, f"standards/test-fw.yaml:{line}: error: indicator B1: unknown audit item 'risk_chekced'")


def test_settings_naming_an_unknown_framework_or_checklist_are_errors(ws, cli):
    ws.settings(framework="nope", checklist="nada")
    result = validate(cli, ws)
    assert result.code == 1
    assert "rsqm.yaml:3: error: unknown framework 'nope' (known: test-fw)" in result.out
    assert "rsqm.yaml:4: error: unknown checklist 'nada' (known: test-checklist)" in result.out


# --- evidence file paths -------------------------------------------------------


@pytest.mark.parametrize("path", ["../rsqm.yaml", "files/../../rsqm.yaml", "/etc/passwd", "C:/Windows/win.ini"])
def test_an_evidence_path_leaving_evidence_is_an_error(ws, cli, path):
    ws.evidence(item(file=path))
    assert_error(cli, ws, f"evidence/register.yaml:6: error: E001: file path '{path}' leaves the evidence/ folder")


def test_an_evidence_path_through_a_symlink_leaving_evidence_is_an_error(ws, cli, tmp_path):
    outside = tmp_path / "outside.pdf"
    outside.write_bytes(PDF)
    (ws.root / "evidence/files").mkdir(parents=True)
    os.symlink(outside, ws.root / "evidence/files/E001.pdf")
    ws.evidence(item())
    assert_error(cli, ws, "evidence/register.yaml:6: error: E001: file path 'files/E001.pdf' leaves the evidence/ folder")


def test_a_registered_file_not_on_disk_is_only_a_warning(ws, cli):
    ws.evidence(item(status="in_review"))
    result = validate(cli, ws)
    assert result.code == 0, result.text
    assert "evidence/register.yaml:6: warning: E001: file 'evidence/files/E001.pdf' is not on disk yet" in result.out
    assert result.out.strip().splitlines()[-1] == "0 errors, 1 warning"


def test_a_pdf_whose_bytes_are_another_format_is_an_error_naming_the_evidence_id(ws, cli):
    ws.file("files/E001.pdf", b"MZ\x90\x00 an executable renamed")
    ws.evidence(item())
    assert_error(cli, ws, "evidence/register.yaml:6: error: E001: file 'evidence/files/E001.pdf': content is a program, not a .pdf file")


def test_a_pdf_whose_bytes_are_unrecognised_is_a_warning(ws, cli):
    ws.file("files/E001.pdf", b"just some text\n")
    ws.evidence(item())
    result = validate(cli, ws)
    assert result.code == 0, result.text
    assert "evidence/register.yaml:6: warning: E001: file 'evidence/files/E001.pdf': content does not look like a .pdf file" in result.out


# --- cases, samples, audits ----------------------------------------------------


def test_a_case_ref_not_matching_the_pattern_is_an_error_at_its_row(ws, cli):
    ws.cases(case("RT-2025-001"), case("rt2025/1"))
    assert_error(cli, ws, "evidence/cases.csv:3: error: the case reference 'rt2025/1' does not have this service's form of reference")


def test_a_sample_naming_a_case_not_in_the_case_list_is_an_error(ws, cli):
    ws.cases(case("RT-2025-001"))
    ws.write_yaml("evidence/samples/s1.yaml", sample("s1", ["RT-2025-001", "RT-2025-999"]))
    assert_error(cli, ws, "evidence/samples/s1.yaml:16: error: sample names case 'RT-2025-999', which is not in evidence/cases.csv")


def test_an_audit_of_a_case_in_no_sample_is_an_error(ws, cli):
    with_sample(ws, ["RT-2025-001"])
    ws.write("evidence/audits/RT-2025-002.yaml", AUDIT.replace("RT-2025-001", "RT-2025-002"))
    assert_error(cli, ws, "evidence/audits/RT-2025-002.yaml:2: error: case 'RT-2025-002' is not in sample 's1'")


def test_an_audit_naming_an_unknown_sample_is_an_error(ws, cli):
    with_sample(ws, ["RT-2025-001"])
    ws.write("evidence/audits/RT-2025-001.yaml", AUDIT.replace("sample: s1", "sample: s9"))
    assert_error(cli, ws, "evidence/audits/RT-2025-001.yaml:3: error: audit names unknown sample 's9'")


def test_an_answer_for_an_unknown_checklist_item_is_an_error_at_its_line(ws, cli):
    with_sample(ws, ["RT-2025-001"])
    ws.write("evidence/audits/RT-2025-001.yaml", AUDIT + "  tea_offered: {result: met}\n")
    assert_error(cli, ws, "evidence/audits/RT-2025-001.yaml:8: error: answer for unknown checklist item 'tea_offered'")


# --- dates in the future -------------------------------------------------------


def test_evidence_dated_in_the_future_is_an_error(ws, cli):
    ws.file("files/E001.pdf", PDF)
    ws.evidence(item(dated="2999-01-01"))
    assert_error(cli, ws, "evidence/register.yaml:8: error: E001: the date 2999-01-01 lies in the future")


@pytest.mark.parametrize("column", ["referred_on", "closed_on"])
def test_a_case_referred_or_closed_in_the_future_is_an_error(ws, cli, column):
    ws.cases(case("RT-2025-001"), case("RT-2025-002", referred_on="2998-01-01", closed_on="2999-01-01"))
    said = {"referred_on": "referral date 2998-01-01", "closed_on": "closing date 2999-01-01"}[column]
    assert_error(cli, ws, f"evidence/cases.csv:3: error: RT-2025-002: the {said} lies in the future")


@pytest.mark.parametrize("column", ["first_contact_on", "rj_info_offered_on"])
def test_a_first_contact_or_offer_in_the_future_is_an_error(ws, cli, column):
    ws.cases(case("RT-2025-001", closed_on="", **{column: "2999-01-01"}))
    said = {"first_contact_on": "date of first contact", "rj_info_offered_on": "date information about restorative justice was given"}[column]
    assert_error(cli, ws, f"evidence/cases.csv:2: error: RT-2025-001: the {said} 2999-01-01 lies in the future")


def test_a_sample_drawn_in_the_future_is_an_error(ws, cli):
    ws.cases(case("RT-2025-001"))
    ws.write_yaml("evidence/samples/s1.yaml", sample("s1", ["RT-2025-001"], drawn_on="2999-01-01"))
    assert_error(cli, ws, "evidence/samples/s1.yaml:3: error: the date the sample was drawn 2999-01-01 lies in the future")


def test_an_audit_dated_in_the_future_is_an_error(ws, cli):
    with_sample(ws, ["RT-2025-001"])
    ws.write("evidence/audits/RT-2025-001.yaml", AUDIT.replace("2026-01-20", "2999-01-20"))
    assert_error(cli, ws, "evidence/audits/RT-2025-001.yaml:5: error: the date the audit was completed 2999-01-20 lies in the future")


# --- the report as a whole -----------------------------------------------------


def test_every_problem_is_reported_in_one_run_sorted_with_a_summary(ws, cli):
    ws.settings(checklist="nada")
    ws.evidence(item("E001", type="poster", status="draft"), item("E002", status="draft", links=[{"indicator": "Z9"}]))
    ws.cases(case("bad ref"))
    result = validate(cli, ws)
    assert result.code == 1
    lines = result.out.strip().splitlines()
    problems, summary = lines[:-1], lines[-1]
    assert len(problems) == 6, result.out
    assert summary == "4 errors, 2 warnings"
    keys = [(p.split(":")[0], int(p.split(":")[1])) for p in problems]
    assert keys == sorted(keys)
    assert {k[0] for k in keys} == {"rsqm.yaml", "evidence/register.yaml", "evidence/cases.csv"}


def test_a_broken_file_does_not_hide_problems_in_the_others(ws, cli):
    ws.write("standards/test-checklist.yaml", "schema: rsqm/checklist@1\nid: [\n")
    ws.evidence(item(type="poster"))
    result = validate(cli, ws)
    assert result.code == 1
    assert "standards/test-checklist.yaml:3: error: YAML syntax error" in result.out
    assert "E001: unknown evidence type 'poster'" in result.out


# --- nothing hard-coded to one framework ---------------------------------------

OTHER_FRAMEWORK = {
    "schema": "rsqm/framework@1",
    "id": "county-charter",
    "title": "County victim services charter",
    "version": "2",
    "source": "invented for the tests",
    "evidence_types": {"leaflet": "Leaflet", "minutes": "Minutes"},
    "standards": [
        {"id": "I", "title": "Information", "indicators": [{"id": "I-a", "title": "Leaflets", "evidence": {"types": ["leaflet"]}}]},
        {"id": "II", "title": "Involvement", "indicators": [{"id": "II-a", "title": "Forum", "audit_items": ["asked_views"]}]},
        {"id": "III", "title": "Improvement", "indicators": [{"id": "III-a", "title": "Reviews"}, {"id": "III-b", "title": "Changes"}]},
        {"id": "IV", "title": "Independence", "indicators": [{"id": "IV-a", "title": "Oversight", "critical": True}]},
    ],
}
OTHER_CHECKLIST = {
    "schema": "rsqm/checklist@1",
    "id": "charter-audit",
    "title": "Charter audit",
    "min_sample": 5,
    "items": [{"id": "asked_views", "section": "Voice", "question": "Were views asked?", "target": 0.7}],
}


def test_another_framework_and_checklist_in_the_same_format_load_and_validate(tmp_path, cli):
    other = build(tmp_path / "other", framework=OTHER_FRAMEWORK, checklist=OTHER_CHECKLIST)
    other.settings(framework="county-charter", checklist="charter-audit")
    (other.root / "standards/test-fw.yaml").rename(other.root / "standards/county-charter.yaml")
    other.file("files/E001.pdf", PDF)
    other.evidence(item(type="leaflet", links=[{"indicator": "I-a", "locator": "p. 1"}, {"indicator": "IV-a", "locator": "p. 2"}]))
    result = validate(cli, other)
    assert result.code == 0, result.text
    loaded = load_workspace(other.root)
    assert [s.id for s in loaded.framework.standards] == ["I", "II", "III", "IV"]
    assert loaded.checklist.id == "charter-audit"


def test_a_secondary_framework_can_be_linked_by_its_id(ws, cli):
    ws.write_yaml("standards/county-charter.yaml", OTHER_FRAMEWORK)
    ws.write_yaml("standards/charter-audit.yaml", OTHER_CHECKLIST)
    ws.file("files/E001.pdf", PDF)
    ws.evidence(item(links=[{"indicator": "A1"}, {"indicator": "county-charter:III-b"}]))
    assert validate(cli, ws).code == 0
    ws.evidence(item(links=[{"indicator": "county-charter:A1"}]))
    assert_error(cli, ws, "evidence/register.yaml:12: error: E001: link to unknown indicator 'county-charter:A1'")
