"""evidence/workforce.yaml: staff codes and their dates, read with located errors."""

from __future__ import annotations

from textwrap import dedent

from rsqm.workspace.load import load_workspace

WORKFORCE = """\
schema: rsqm/workforce@1
staff:
  - code: P07
    paid: true
    started: 2022-03-01
    training: {level: intermediate, completed: 2022-04-20}
    registration: {level: intermediate, expires: 2027-03-31}
    supervision: [2026-01-12, 2026-03-30]
    cpd: [{date: 2026-02-10, hours: 3.5, rjc_approved: true, title: Trauma-informed practice}]
"""


def test_a_workforce_register_is_loaded_into_the_workspace(ws):
    ws.write("evidence/workforce.yaml", WORKFORCE)
    loaded = load_workspace(ws.root)
    assert loaded.valid, loaded.problems
    member = loaded.workforce.staff[0]
    assert (member.code, member.registration.level, len(member.supervision), member.cpd[0].hours) == ("P07", "intermediate", 2, 3.5)


def test_a_workspace_without_a_workforce_register_has_none(ws):
    assert load_workspace(ws.root).workforce is None


def test_a_name_where_a_staff_code_belongs_is_an_error_at_its_line(ws, cli):
    ws.write("evidence/workforce.yaml", WORKFORCE.replace("code: P07", "code: Jane Smith"))
    result = cli("validate", "-w", str(ws.root))
    assert result.code == 1
    assert "evidence/workforce.yaml:3: error:" in result.out


def test_cpd_hours_must_be_positive(ws, cli):
    ws.write("evidence/workforce.yaml", WORKFORCE.replace("hours: 3.5", "hours: 0"))
    result = cli("validate", "-w", str(ws.root))
    assert result.code == 1 and "evidence/workforce.yaml:9: error:" in result.out, result.out


def test_an_unknown_training_level_is_an_error(ws, cli):
    ws.write("evidence/workforce.yaml", dedent(WORKFORCE).replace("level: intermediate, completed", "level: expert, completed"))
    result = cli("validate", "-w", str(ws.root))
    assert result.code == 1 and "evidence/workforce.yaml:6: error:" in result.out, result.out
