"""rsqm portfolio: services' signed returns side by side, totals that are sums, anything altered or untrusted refused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from builders import build, case
from rsqm.base.suppression import FEWER


def service(tmp_path: Path, cli, name: str, groups: list[str], period: str = "2026Q3") -> Path:
    """A service's workspace with one case per ethnic group given (referred in August 2026), its key, its signed return."""
    ws = build(tmp_path / name)
    ws.settings(service=name)
    ws.cases(*(case(f"RJ-2026-{i:04d}", closed_on="2026-09-20" if i % 3 == 0 else "", referred_on="2026-08-03",
                    ethnic_group=group, offer_accepted="yes" if i % 2 else "no", referral_source="police" if i % 4 else "self")
               for i, group in enumerate(groups, start=1)))
    assert cli("keys", "new", "-w", str(ws.root)).code == 0
    out = tmp_path / f"{name}.json"
    result = cli("return", "--period", period, "--out", str(out), "--sign", "-w", str(ws.root))
    assert result.code == 0, result.text
    return out


def fingerprint(path: Path) -> str:
    return json.loads(path.read_text(encoding="utf-8"))["signature"]["fingerprint"]


@pytest.fixture
def two(tmp_path: Path, cli) -> tuple[Path, Path, Path]:
    """Two services' returns and a keyring naming both keys (with comments and a blank line)."""
    north = service(tmp_path, cli, "North", ["white"] * 20 + ["asian"] * 3 + ["black"] * 9 + ["mixed"] * 6)
    south = service(tmp_path, cli, "South", ["white"] * 25 + ["asian"] * 7 + ["black"] * 2 + ["mixed"] * 5)
    keys = tmp_path / "keys.txt"
    keys.write_text(f"# services we commission\n{fingerprint(north)}  # North\n\n{fingerprint(south).replace('-', '')}\n",
                    encoding="utf-8")
    return north, south, keys


def sheet(path: Path, name: str) -> list[tuple]:
    return list(load_workbook(path)[name].iter_rows(values_only=True))


def test_two_signed_returns_sit_side_by_side_and_every_total_is_the_sum_of_the_services(two, cli, tmp_path):
    north, south, keys = two
    out = tmp_path / "portfolio.xlsx"
    result = cli("portfolio", str(north), str(south), "--keys", str(keys), "--out", str(out))
    assert result.code == 0, result.text
    assert "2 services for 2026Q3 (2 signed, every key in the keyring)" in result.out
    figures = {row[0]: row[1:] for row in sheet(out, "Figures")[1:]}
    n, s = (json.loads(p.read_text(encoding="utf-8"))["current"] for p in (north, south))
    assert figures["referrals"] == (n["referrals"], s["referrals"], n["referrals"] + s["referrals"])
    assert figures["referrals by source: police"][2] == n["by_source"]["police"] + s["by_source"]["police"]
    k, m = n["take_up"]["k"] + s["take_up"]["k"], n["take_up"]["n"] + s["take_up"]["n"]
    assert figures["take up"][2].startswith(f"{k} of {m} (")
    for row in figures.values():  # every count's total is the sum of the services' counts
        if all(isinstance(v, int) for v in row):
            assert row[2] == row[0] + row[1]
    services = sheet(out, "Services")
    assert [r[0] for r in services[1:]] == ["North", "South"] and services[1][2] == fingerprint(north)


def test_equality_totals_pass_through_the_same_suppression_and_hide_the_group_of_3(two, cli, tmp_path):
    north, south, keys = two
    out = tmp_path / "portfolio.xlsx"
    assert cli("portfolio", str(north), str(south), "--keys", str(keys), "--out", str(out)).code == 0
    rows = {(r[0], r[1]): r[2:] for r in sheet(out, "Equality")[1:] if r[0] == "Ethnic group"}
    assert rows[("Ethnic group", "white")] == (20, 25, 45)
    assert rows[("Ethnic group", "asian")][0] == FEWER  # North's 3
    assert rows[("Ethnic group", "asian")][2] == "not shown"  # a total with a hidden part is never a number
    shown_total = sum(t for *_, t in rows.values() if isinstance(t, int))
    assert 77 - shown_total not in (3, 2)  # 38 + 39 referrals: no hidden group is the total less the others
    numbers = [v for row in rows.values() for v in row if isinstance(v, int)]
    assert 3 not in numbers and 2 not in numbers


def test_a_figure_changed_after_signing_is_refused_naming_the_file(two, cli, tmp_path):
    north, south, keys = two
    data = json.loads(north.read_text(encoding="utf-8"))
    data["current"]["referrals"] += 1
    altered = tmp_path / "north-altered.json"
    altered.write_text(json.dumps(data, indent=2), encoding="utf-8")
    out = tmp_path / "portfolio.xlsx"
    for extra in ([], ["--keys", str(keys)]):
        result = cli("portfolio", str(altered), str(south), *extra, "--out", str(out))
        assert result.code == 1
        assert f"{altered}: changed after it was signed" in result.err
    assert not out.exists()


def test_a_return_signed_by_another_key_is_refused(two, cli, tmp_path):
    north, south, _ = two
    keys = tmp_path / "north-only.txt"
    keys.write_text(fingerprint(north) + "\n", encoding="utf-8")
    result = cli("portfolio", str(north), str(south), "--keys", str(keys), "--out", str(tmp_path / "p.xlsx"))
    assert result.code == 1 and f"{south}: signed by a key not in the keyring ({fingerprint(south)})" in result.err


def test_a_return_re_signed_with_another_key_under_the_trusted_fingerprint_is_refused(two, cli, tmp_path):
    north, south, keys = two
    forged = json.loads(south.read_text(encoding="utf-8"))  # South's valid signature, presented as North's key
    forged["signature"]["fingerprint"] = fingerprint(north)
    path = tmp_path / "forged.json"
    path.write_text(json.dumps(forged), encoding="utf-8")
    result = cli("portfolio", str(north), str(path), "--keys", str(keys), "--out", str(tmp_path / "p.xlsx"))
    assert result.code == 1 and f"{path}: its fingerprint field says" in result.err


def test_an_unsigned_return_is_refused_when_keys_are_given_and_read_without(two, cli, tmp_path):
    north, _, keys = two
    unsigned = json.loads(north.read_text(encoding="utf-8")) | {"signature": None}
    path = tmp_path / "unsigned.json"
    path.write_text(json.dumps(unsigned), encoding="utf-8")
    result = cli("portfolio", str(path), "--keys", str(keys), "--out", str(tmp_path / "p.xlsx"))
    assert result.code == 1 and f"{path}: unsigned" in result.err
    result = cli("portfolio", str(path), "--out", str(tmp_path / "p.xlsx"))
    assert result.code == 0 and "0 signed" in result.out


def test_a_return_for_another_period_is_refused_naming_the_file(two, cli, tmp_path):
    north, _, keys = two
    earlier = service(tmp_path, cli, "East", ["white"] * 6, period="2026Q2")
    keys.write_text(keys.read_text(encoding="utf-8") + fingerprint(earlier) + "\n", encoding="utf-8")
    result = cli("portfolio", str(north), str(earlier), "--keys", str(keys), "--out", str(tmp_path / "p.xlsx"))
    assert result.code == 1 and f"{earlier}: a return for 2026Q2, not 2026Q3" in result.err
    result = cli("portfolio", str(north), "--period", "2026Q2", "--out", str(tmp_path / "p.xlsx"))
    assert result.code == 1 and f"{north}: a return for 2026Q3, not 2026Q2" in result.err


def test_the_same_service_twice_is_refused(two, cli, tmp_path):
    north, _, _ = two
    result = cli("portfolio", str(north), str(north), "--out", str(tmp_path / "p.xlsx"))
    assert result.code == 1 and "North again" in result.err


@pytest.mark.parametrize(("content", "says"), [
    ("not-a-key\n", "keys.txt:1: not a key fingerprint"), ("# only a comment\n", "no key fingerprint in the keyring"),
])
def test_a_keyring_line_that_is_not_a_fingerprint_is_refused_at_its_line(two, cli, tmp_path, content, says):
    north, _, keys = two
    keys.write_text(content, encoding="utf-8")
    result = cli("portfolio", str(north), "--keys", str(keys), "--out", str(tmp_path / "p.xlsx"))
    assert result.code == 1 and says in result.err


@pytest.mark.parametrize("content", [b"{not json", b'{"schema": "rsqm/workspace@1"}', b'{"schema": "rsqm/return@1"}'])
def test_a_file_that_is_not_a_return_is_refused_naming_it(cli, tmp_path, content):
    path = tmp_path / "x.json"
    path.write_bytes(content)
    result = cli("portfolio", str(path), "--out", str(tmp_path / "p.xlsx"))
    assert result.code == 1 and result.err.startswith(f"rsqm portfolio: error: {path}: not a")
