"""rsqm sample: what a supervisor sees when drawing a sample or asking how large it should be."""

from pathlib import Path

import pytest
import yaml

from builders import case
from rsqm.workspace.store import read_change_log

PROCESSES = ["letter"] * 6 + ["meeting"] * 3 + ["shuttle"]


def with_cases(ws, count: int = 60, month: str = "2025-11"):
    ws.cases(*[case(f"RT-2025-{n:04d}", f"{month}-{1 + n % 28:02d}", process=PROCESSES[n % 10]) for n in range(1, count + 1)])
    return ws


def files_under(root: Path) -> dict[str, bytes]:
    """Every file's bytes but the load cache's (.rsqm/load-cache.json: a cache any load may refresh; deleting it is safe)."""
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file() and p.name != "load-cache.json"}


def test_draw_writes_the_frozen_sample_and_prints_cases_and_allocation(ws, cli, monkeypatch):
    monkeypatch.setenv("RSQM_USER", "sup1")
    with_cases(ws)
    result = cli("sample", "-w", str(ws.root), "--name", "2025-Q4", "--size", "10", "--seed", "42",
                 "--strata", "process", "--reason", "quarterly audit")
    assert result.code == 0, result.text
    data = yaml.safe_load((ws.root / "evidence/samples/2025-Q4.yaml").read_text())
    assert data["schema"] == "rsqm/sample@1"
    assert data["drawn_by"] == "sup1" and data["reason"] == "quarterly audit"
    assert data["population"]["size"] == 60 and len(data["population"]["sha256"]) == 64
    assert data["method"] == {"kind": "stratified", "strata": ["process"], "size": 10, "seed": 42}
    assert len(data["cases"]) == 10
    for ref in data["cases"]:
        assert f"  {ref}\n" in result.out
    assert "letter           36      6" in result.out
    assert "meeting          18      3" in result.out
    assert "shuttle           6      1" in result.out
    assert read_change_log(ws.root)[0].file == "evidence/samples/2025-Q4.yaml"
    assert cli("validate", "-w", str(ws.root)).code == 0


def test_same_case_list_and_seed_draw_the_same_cases_in_another_workspace(tmp_path, cli):
    from builders import build

    drawn = []
    for folder in ("one", "two"):
        w = with_cases(build(tmp_path / folder))
        assert cli("sample", "-w", str(w.root), "--name", "S", "--size", "8", "--seed", "5", "--by", "sup1").code == 0
        drawn.append(yaml.safe_load((w.root / "evidence/samples/S.yaml").read_text())["cases"])
    assert drawn[0] == drawn[1]


def test_a_different_seed_draws_different_cases(ws, cli):
    with_cases(ws)
    for name, seed in (("A", "1"), ("B", "2")):
        assert cli("sample", "-w", str(ws.root), "--name", name, "--size", "8", "--seed", seed, "--by", "sup1").code == 0
    a, b = (yaml.safe_load((ws.root / f"evidence/samples/{n}.yaml").read_text())["cases"] for n in "AB")
    assert a != b


def test_period_limits_the_population(ws, cli):
    ws.cases(case("RT-2025-0001", "2025-09-30"), case("RT-2025-0002", "2025-10-01"),
             case("RT-2025-0003", "2025-12-31"), case("RT-2025-0004", "2026-01-01"))
    result = cli("sample", "-w", str(ws.root), "--name", "Q4", "--size", "2", "--seed", "1", "--by", "sup1",
                 "--closed-from", "2025-10-01", "--closed-to", "2025-12-31")
    assert result.code == 0, result.text
    data = yaml.safe_load((ws.root / "evidence/samples/Q4.yaml").read_text())
    assert data["cases"] == ["RT-2025-0002", "RT-2025-0003"]
    assert data["population"]["closed_from"] == "2025-10-01" and data["population"]["size"] == 2


def test_drawn_by_defaults_to_rsqm_user(ws, cli, monkeypatch):
    monkeypatch.setenv("RSQM_USER", "supervisor-b")
    with_cases(ws, 5)
    assert cli("sample", "-w", str(ws.root), "--name", "S", "--size", "2", "--seed", "1").code == 0
    assert yaml.safe_load((ws.root / "evidence/samples/S.yaml").read_text())["drawn_by"] == "supervisor-b"


def test_an_existing_sample_is_never_overwritten(ws, cli):
    with_cases(ws)
    assert cli("sample", "-w", str(ws.root), "--name", "S", "--size", "5", "--seed", "1", "--by", "sup1").code == 0
    before = files_under(ws.root)
    result = cli("sample", "-w", str(ws.root), "--name", "S", "--size", "6", "--seed", "2", "--by", "sup1")
    assert result.code == 1
    assert "sample 'S' already exists (evidence/samples/S.yaml)" in result.err
    assert files_under(ws.root) == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--name", "S", "--size", "61", "--seed", "1"], "sample size 61 is larger than the population of 60 cases"),
        (["--name", "S", "--size", "0", "--seed", "1"], "sample size must be at least 1"),
        (["--name", "S", "--size", "3", "--seed", "1", "--closed-from", "2027-01-01"], "the population is empty"),
        (["--name", "../escape", "--size", "3", "--seed", "1"], "not a safe file name"),
        (["--name", "S", "--size", "3", "--seed", "1", "--strata", "case_ref"], "cannot stratify by case_ref"),
        (["--name", "S", "--size", "3", "--seed", "1", "--closed-from", "2025-12-01", "--closed-to", "2025-11-01"],
         "closed-from 2025-12-01 is after closed-to 2025-11-01"),
    ],
)
def test_bad_requests_are_refused_with_exit_1_and_nothing_written(ws, cli, args, message):
    with_cases(ws)
    before = files_under(ws.root)
    result = cli("sample", "-w", str(ws.root), "--by", "sup1", *args)
    assert result.code == 1
    assert message in result.err
    assert "Traceback" not in result.text
    assert files_under(ws.root) == before


def test_an_invalid_workspace_is_refused_and_nothing_written(ws, cli):
    with_cases(ws)
    ws.write("evidence/register.yaml", "schema: rsqm/register@1\nitems: [\n")
    before = files_under(ws.root)
    result = cli("sample", "-w", str(ws.root), "--name", "S", "--size", "3", "--seed", "1", "--by", "sup1")
    assert result.code == 1
    assert "evidence/register.yaml" in result.err and "workspace has errors" in result.err
    assert files_under(ws.root) == before


def test_a_case_list_with_a_names_column_is_refused_naming_the_column(ws, cli):
    ws.write("evidence/cases.csv", "case_ref,referred_on,closed_on,process,offence_category,initiator,practitioner,outcome,name\n"
             "RT-2025-0001,2025-06-01,2025-11-15,letter,theft,harmed_person,P01,completed,Invented Person\n")
    before = files_under(ws.root)
    result = cli("sample", "-w", str(ws.root), "--name", "S", "--size", "1", "--seed", "1", "--by", "sup1")
    assert result.code == 1
    assert "evidence/cases.csv:1: error: unknown column 'name' (it looks like personal data)" in result.err
    assert files_under(ws.root) == before
    assert not (ws.root / "evidence/samples").exists()


@pytest.mark.parametrize(
    ("value", "kind"),
    [("someone@example.org", "e-mail"), ("Mr Fakename", "name"), ("020 7946 0000", "phone"), ("SW1A 1AA", "postcode"),
     ("DOB 01/02/1990", "date of birth")],
)
def test_a_case_list_with_personal_data_in_a_cell_is_refused_naming_column_and_row(ws, cli, value, kind):
    ws.cases(case("RT-2025-0001"), case("RT-2025-0002", outcome=value), case("RT-2025-0003"))
    before = files_under(ws.root)
    result = cli("sample", "-w", str(ws.root), "--name", "S", "--size", "1", "--seed", "1", "--by", "sup1")
    assert result.code == 1
    line = next(x for x in result.err.splitlines() if x.startswith("evidence/cases.csv:3:"))
    assert "column 'outcome' looks like it holds personal data" in line
    assert kind in line
    assert files_under(ws.root) == before


def test_missing_name_size_or_seed_is_misuse(ws, cli):
    with_cases(ws)
    result = cli("sample", "-w", str(ws.root), "--size", "3")
    assert result.code == 2
    assert "needs --name, --seed" in result.err


def test_advice_gives_35_unlimited_and_32_for_a_population_of_300(ws, cli):
    ws.cases(*[case(f"RT-2025-{n:04d}", "2025-11-15") for n in range(1, 301)],
             *[case(f"RT-2024-{n:04d}", "2024-11-15", referred_on="2024-06-01") for n in range(1, 51)])
    result = cli("sample", "-w", str(ws.root), "--advise", "--expected", "0.9", "--margin", "0.1",
                 "--closed-from", "2025-01-01", "--closed-to", "2025-12-31")
    assert result.code == 0, result.text
    assert "35 cases from an unlimited population" in result.out
    assert "32 cases from the 300 cases closed 2025-01-01 to 2025-12-31" in result.out
    assert not (ws.root / "evidence/samples").exists()


def test_advice_names_cochrans_formula_and_where_it_differs_from_calculators_dividing_by_n_plus_n0(ws, cli):
    # n0 = 1.96² x 0.9 x 0.1 / 0.1² = 34.573. 41 cases: 34.573 / (1 + 33.573 / 41) = 19.008 -> 20, while
    # 34.573 x 41 / (41 + 34.573) = 18.757 -> 19
    ws.cases(*[case(f"RT-2025-{n:04d}", "2025-11-15") for n in range(1, 42)])
    result = cli("sample", "-w", str(ws.root), "--advise", "--expected", "0.9", "--margin", "0.1")
    assert "20 cases from the 41 cases" in result.out
    assert "Formula: Cochran's formula n0 = z² p (1 - p) / E², with the finite population correction n0 / (1 + (n0 - 1) / N)." in result.out
    assert "Calculators that divide by N + n0 instead give 19, one case fewer." in result.out
    # 40 cases: 18.797 -> 19 and 18.545 -> 19, the same
    ws.cases(*[case(f"RT-2025-{n:04d}", "2025-11-15") for n in range(1, 41)])
    same = cli("sample", "-w", str(ws.root), "--advise", "--expected", "0.9", "--margin", "0.1").out
    assert "19 cases from the 40 cases" in same
    assert "It can be one case above calculators that divide by N + n0." in same


def test_advice_with_drawing_options_is_misuse(ws, cli):
    assert cli("sample", "-w", str(ws.root), "--advise", "--expected", "0.9", "--margin", "0.1", "--name", "S").code == 2


def test_advice_without_expected_or_margin_assumes_90_percent_within_10_points_and_says_so(ws, cli):
    result = cli("sample", "-w", str(ws.root), "--advise", "--confidence", "0.95")
    assert result.code == 0, result.text
    assert "(assumed: --expected 0.9, --margin 0.1; give your own to change it)" in result.out
    assert "35 cases from an unlimited population" in result.out
    own = cli("sample", "-w", str(ws.root), "--advise", "--margin", "0.05").out
    assert "assumed: --expected 0.9;" in own and "139 cases from an unlimited population" in own


def test_advice_refuses_impossible_proportions(ws, cli):
    result = cli("sample", "-w", str(ws.root), "--advise", "--expected", "1.5", "--margin", "0.1")
    assert result.code == 1
    assert "expected compliance must be between 0 and 1" in result.err


@pytest.mark.parametrize(("confidence", "unlimited", "finite"), [("0.9", 98, 71), ("0.95", 139, 90), ("0.99", 239, 123)])
def test_advice_at_each_confidence_level_rounds_up_and_says_so(ws, cli, confidence, unlimited, finite):
    ws.cases(*[case(f"RT-2025-{n:04d}", "2025-11-15") for n in range(1, 251)])
    result = cli("sample", "-w", str(ws.root), "--advise", "--expected", "0.9", "--margin", "0.05", "--confidence", confidence)
    assert result.code == 0, result.text
    assert f"for a {float(confidence):.0%} interval of ±5 percentage points" in result.out
    assert f"{unlimited} cases from an unlimited population" in result.out
    assert f"{finite} cases from the 250 cases" in result.out
    assert "rounded up to the next whole case, the conservative choice" in result.out


def test_advice_refuses_other_confidence_levels_and_drawing_with_one(ws, cli):
    assert cli("sample", "-w", str(ws.root), "--advise", "--expected", "0.9", "--margin", "0.1", "--confidence", "0.8").code == 2
    assert cli("sample", "-w", str(ws.root), "--name", "S", "--size", "3", "--seed", "1", "--confidence", "0.9").code == 2
