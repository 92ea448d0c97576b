"""rsqm workforce add / update / leave / list: the register kept by commands, never by hand.

Each edit writes evidence/workforce.yaml through the store (one change-log line);
each refusal says why in words and leaves the file as it was.
"""

from __future__ import annotations

import json

import pytest

from rsqm.workspace.load import load_workspace
from rsqm.workspace.store import read_change_log
from staff_fixtures import WORKFORCE

REGISTER = "evidence/workforce.yaml"


def staff(root, code):
    ws = load_workspace(root)
    assert ws.valid, ws.problems
    return next(m for m in ws.workforce.staff if m.code == code)


def test_add_creates_the_register_when_there_is_none(ws, cli):
    assert not (ws.root / REGISTER).exists()
    result = cli("workforce", "add", "P07", "--paid", "--started", "2022-03-01", "--training", "intermediate", "--trained-on", "2022-04-20",
                 "--registered", "intermediate", "--expires", "2027-03-31", "--probation-until", "2022-09-01", "-w", str(ws.root), "--by", "coord")
    assert result.code == 0, result.err
    assert "add P07 (paid)" in result.out
    p07 = staff(ws.root, "P07")
    assert (p07.paid, str(p07.started), str(p07.probation_until)) == (True, "2022-03-01", "2022-09-01")
    assert (p07.training.level.value, str(p07.training.completed)) == ("intermediate", "2022-04-20")
    assert (p07.registration.level.value, str(p07.registration.expires)) == ("intermediate", "2027-03-31")
    assert [(e.who, e.file, e.change, e.item) for e in read_change_log(ws.root)] == [("coord", REGISTER, "add P07 (paid)", "P07")]


def test_a_volunteer_admin_only_with_prior_experience_is_recorded_as_such(ws, cli):
    result = cli("workforce", "add", "V03", "--volunteer", "--started", "2025-01-06", "--admin-only", "--prior-experience", "-w", str(ws.root))
    assert result.code == 0, result.err
    v03 = staff(ws.root, "V03")
    assert (v03.paid, v03.admin_only, v03.prior_experience) == (False, True, True)


@pytest.fixture
def staffed(ws):
    ws.write_yaml(REGISTER, WORKFORCE)
    return ws


def test_update_changes_only_the_options_given(staffed, cli):
    before = staff(staffed.root, "P05")
    result = cli("workforce", "update", "P05", "--expires", "2028-06-30", "-w", str(staffed.root))
    assert result.code == 0, result.err
    after = staff(staffed.root, "P05")
    assert str(after.registration.expires) == "2028-06-30"
    assert after.registration.level == before.registration.level
    assert after.model_dump(exclude={"registration"}) == before.model_dump(exclude={"registration"})  # supervision kept


def test_a_flag_can_be_turned_off_again(staffed, cli):
    assert cli("workforce", "update", "A01", "--no-admin-only", "-w", str(staffed.root)).code == 0
    assert staff(staffed.root, "A01").admin_only is False


def test_leave_records_the_day_and_the_list_shows_it(staffed, cli):
    result = cli("workforce", "leave", "P05", "--on", "2026-07-31", "-w", str(staffed.root))
    assert result.code == 0, result.err
    assert str(staff(staffed.root, "P05").left) == "2026-07-31"
    listing = cli("workforce", "list", "-w", str(staffed.root))
    assert listing.code == 0
    assert "P05     paid       2021-01-04  2026-07-31  foundation on 2021-02-01" in listing.out


def test_list_json_holds_every_staff_code(staffed, cli):
    result = cli("workforce", "list", "--json", "-w", str(staffed.root))
    assert result.code == 0, result.err
    assert [m["code"] for m in json.loads(result.out)["staff"]] == ["P01", "P05", "V01", "A01"]


def test_list_on_a_workspace_without_staff_says_how_to_add_them(ws, cli):
    result = cli("workforce", "list", "-w", str(ws.root))
    assert result.code == 0 and "rsqm workforce add" in result.out


@pytest.mark.parametrize(("args", "message"), [
    (["add", "P01", "--paid", "--started", "2022-01-01"], "P01 is already in the workforce register"),
    (["add", "Alice", "--paid", "--started", "2022-01-01"], "'Alice' looks like a name"),
    (["add", "P 7!", "--paid", "--started", "2022-01-01"], "'P 7!' is not a staff code"),
    (["add", "P09", "--paid", "--started", "2022-03-01", "--probation-until", "2022-01-01"],
     "probation ends 2022-01-01 is before they started on 2022-03-01"),
    (["add", "P09", "--paid", "--started", "2999-01-01"], "started 2999-01-01 lies in the future"),
    (["update", "P99", "--paid"], "no staff code 'P99'"),
    (["update", "P05", "--started", "2999-01-01"], "started 2999-01-01 lies in the future"),
    (["leave", "P05", "--on", "2020-01-01"], "left 2020-01-01 is before they started on 2021-01-04"),
    (["leave", "P99", "--on", "2026-01-01"], "no staff code 'P99'"),
    (["update", "P05"], "nothing to change"),
])
def test_refusals_say_why_and_write_nothing(staffed, cli, args, message):
    before = (staffed.root / REGISTER).read_bytes()
    result = cli("workforce", *args, "-w", str(staffed.root))
    assert result.code == 1
    assert message in result.err
    assert "Traceback" not in result.err
    assert (staffed.root / REGISTER).read_bytes() == before
    assert read_change_log(staffed.root) == []


@pytest.mark.parametrize(("args", "message"), [
    (["add", "P09", "--started", "2022-01-01"], "one of the arguments --paid --volunteer is required"),
    (["add", "P09", "--paid", "--started", "2022-01-01", "--training", "foundation"], "--training needs --trained-on D"),
    (["add", "P09", "--paid", "--started", "2022-01-01", "--expires", "2027-01-01"], "--expires needs --registered LEVEL"),
    (["add", "P09", "--paid", "--started", "2022-01-01", "--training", "expert", "--trained-on", "2022-01-01"], "invalid choice"),
])
def test_misuse_is_exit_2_and_writes_nothing(ws, cli, args, message):
    result = cli("workforce", *args, "-w", str(ws.root))
    assert result.code == 2
    assert message in result.err
    assert not (ws.root / REGISTER).exists()
