"""rsqm return: the commissioner's return, every figure the same as rsqm outcomes / rsqm measures give for the period."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import subprocess
from datetime import date
from pathlib import Path

import docx
import jsonschema
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from openpyxl import load_workbook
from pypdf import PdfReader

from builders import case
from rsqm.base.suppression import FEWER
from rsqm.pack.signing import PRIVATE_KEY_FILE
from rsqm.privacy.detectors import scan_line

PERIODS = {"2026Q3": ("2026-07-01", "2026-09-30"), "2026Q2": ("2026-04-01", "2026-06-30")}


def read_json(cli, *args: str) -> dict:
    result = cli(*args)
    assert result.code == 0, result.text
    return json.loads(result.out)


@pytest.fixture
def demo_return(cli, demo_copy: Path, tmp_path: Path) -> tuple[Path, dict]:
    """The demo's 2026Q3 return as JSON."""
    out = tmp_path / "return.json"
    result = cli("return", "--period", "2026Q3", "--out", str(out), "-w", str(demo_copy))
    assert result.code == 0, result.text
    return demo_copy, json.loads(out.read_text(encoding="utf-8"))


def pairs(shares: list[dict], key: str = "question") -> dict[str, tuple[int, int]]:
    return {s[key]: (s["share"]["k"], s["share"]["n"]) for s in shares}


def kn(share: dict) -> tuple[int, int]:
    return share["k"], share["n"]


@pytest.mark.parametrize(("side", "label"), [("current", "2026Q3"), ("previous", "2026Q2")])
def test_every_case_and_feedback_figure_is_rsqm_outcomes_for_the_same_period(demo_return, cli, side, label):
    root, found = demo_return
    figures = found[side]
    start, end = PERIODS[label]
    assert figures["period"] == {"label": label, "start": start, "end": end}
    o = read_json(cli, "outcomes", "--from", start, "--to", end, "--json", "-w", str(root))["current"]
    assert figures["referrals"] == o["referrals"] and figures["closed"] == o["closed"]
    assert figures["by_source"] == {c["label"]: c["count"] for c in o["by_source"]}
    assert figures["by_offence"] == {c["label"]: c["count"] for c in o["by_offence"]}
    assert figures["by_outcome"] == {c["label"]: c["count"] for c in o["by_outcome"]}
    assert figures["processes"] == {c["label"]: c["count"] for c in o["processes"]}
    for key in ("offers", "take_up", "agreements_reached", "agreements_completed"):
        assert figures[key] == o[key], key
    assert figures["first_contact_median_days"] == o["first_contact"]["median_days"]
    assert figures["feedback"]["responses"] == o["responses"]
    assert {q: kn(s) for q, s in figures["feedback"]["all"].items()} == pairs(o["feedback"])
    for party in ("harmed", "responsible"):
        expected = pairs([f for f in o["feedback_by_party"] if f["party"] == party])
        assert {q: kn(s) for q, s in figures["feedback"][party].items()} == expected
    assert figures["equality"] == {e["column"]: e for e in o["equality"]}
    assert figures["referrals"] > 0 and figures["feedback"]["responses"] > 0  # the demo has something to compare


@pytest.mark.parametrize(("side", "label"), [("current", "2026Q3"), ("previous", "2026Q2")])
def test_time_limits_and_workforce_are_rsqm_measures_on_the_periods_last_day(demo_return, cli, side, label):
    root, found = demo_return
    figures = found[side]
    measures = read_json(cli, "measures", "--as-of", PERIODS[label][1], "--json", "-w", str(root))["measures"]
    working_days = {f"{m['framework']}:{m['indicator']}": (m["k"], m["n"]) for m in measures if m["measure"] == "working_days"}
    assert {key: kn(m) for key, m in figures["time_limits"].items()} == working_days
    assert {"victims-code-2020:R3a", "victims-code-2020:R4a", "local:first-contact"} <= set(working_days)
    first = {}
    for m in measures:
        first.setdefault(m["measure"], m)
    assert kn(figures["workforce"]["registered"]) == (first["registered_practitioners"]["k"], first["registered_practitioners"]["n"])
    assert kn(figures["workforce"]["supervised"]) == (first["supervision_every_12_weeks"]["k"], first["supervision_every_12_weeks"]["n"])
    assert figures["workforce"]["practitioners"] == first["supervision_every_12_weeks"]["n"]


def test_the_json_return_follows_the_published_schema_and_holds_no_case_reference_or_staff_code(demo_return, cli):
    _, found = demo_return
    jsonschema.validate(found, json.loads(cli("schema", "return").out))
    text = json.dumps(found)
    assert not re.search(r"RJ-\d{4}-\d{3,5}", text)
    assert not re.search(r'"P\d{2}"', text)
    assert found["schema"] == "rsqm/return@1" and found["signature"] is None


@pytest.mark.parametrize(("period", "start", "end", "before"), [
    ("2026-27", "2026-04-01", "2027-03-31", ("2025-26", "2025-04-01", "2026-03-31")),
    ("2026-10..2026-12", "2026-10-01", "2026-12-31", ("2026-07..2026-09", "2026-07-01", "2026-09-30")),
])
def test_a_financial_year_or_a_run_of_months_has_the_period_of_the_same_kind_before_it(cli, demo_copy, tmp_path, period, start, end, before):
    out = tmp_path / "r.json"
    result = cli("return", "--period", period, "--out", str(out), "-w", str(demo_copy))
    assert result.code == 0, result.text
    found = json.loads(out.read_text(encoding="utf-8"))
    assert found["current"]["period"] == {"label": period, "start": start, "end": end}
    assert found["previous"]["period"] == dict(zip(("label", "start", "end"), before, strict=True))


def test_a_period_past_the_end_of_the_records_is_marked_as_a_part_period_everywhere(cli, demo_copy, tmp_path):
    out = tmp_path / "r.xlsx"
    result = cli("return", "--period", "2026Q4", "--out", str(out), "-w", str(demo_copy))
    assert result.code == 0, result.text
    outcomes = read_json(cli, "outcomes", "--from", "2026-10-01", "--to", "2026-12-31", "--json", "-w", str(demo_copy))
    covered_to = date.fromisoformat(outcomes["covered_to"])
    assert "a part period: the records end on" in result.out
    book = load_workbook(out)
    summary = {row[0]: row[1] for row in book["Summary"].iter_rows(values_only=True)}
    assert f"a part period: the records end on {covered_to.day} {covered_to:%B %Y}" in summary["Period"]
    assert book["Referrals"]["B1"].value == "This period (2026Q4, part)"
    json_out = tmp_path / "r.json"
    assert cli("return", "--period", "2026Q4", "--out", str(json_out), "-w", str(demo_copy)).code == 0
    found = json.loads(json_out.read_text(encoding="utf-8"))
    assert found["current"]["covered_to"] == outcomes["covered_to"] and found["previous"]["covered_to"] is None


def test_the_workbook_has_a_sheet_per_section_and_definitions_with_the_json_figures(cli, demo_copy, tmp_path):
    xlsx, js = tmp_path / "r.xlsx", tmp_path / "r.json"
    for out in (xlsx, js):
        assert cli("return", "--period", "2026Q3", "--out", str(out), "-w", str(demo_copy)).code == 0
    book = load_workbook(xlsx)
    assert book.sheetnames == ["Summary", "Referrals", "Processes and agreements", "Time limits", "Feedback", "Equality",
                               "Workforce", "Definitions"]
    found = json.loads(js.read_text(encoding="utf-8"))["current"]
    referrals = {row[0]: row for row in book["Referrals"].iter_rows(min_row=2, values_only=True)}
    assert referrals["Referrals received"][1] == str(found["referrals"])
    take_up = found["take_up"]
    assert referrals["Took up the offer"][2] == f"{take_up['k']} of {take_up['n']}"
    limits = [row for row in book["Time limits"].iter_rows(min_row=2, values_only=True)]
    r3 = next(row for row in limits if "(victims-code-2020:R3a)" in row[0])
    assert r3[2] == f"{found['time_limits']['victims-code-2020:R3a']['k']} of {found['time_limits']['victims-code-2020:R3a']['n']}"
    definitions = [row[0] for row in book["Definitions"].iter_rows(min_row=2, values_only=True)]
    assert {"Referrals", "Time limits", "Equality monitoring", "Part period"} <= set(definitions)


def test_the_same_records_give_the_same_bytes(cli, demo_copy, tmp_path):
    for name in ("a.xlsx", "b.xlsx", "a.docx", "b.docx"):
        assert cli("return", "--period", "2026Q3", "--out", str(tmp_path / name), "-w", str(demo_copy)).code == 0
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()
    assert (tmp_path / "a.docx").read_bytes() == (tmp_path / "b.docx").read_bytes()


# --- an equality group of 3 ------------------------------------------------------

ETHNIC = ["white"] * 30 + ["asian"] * 3 + ["black"] * 8 + ["mixed"] * 6  # 47 referrals, a group of 3


@pytest.fixture
def small_group(ws):
    ws.cases(*(case(f"RJ-2026-{i:04d}", closed_on="", referred_on="2026-08-03", ethnic_group=group)
               for i, group in enumerate(ETHNIC, start=1)))
    return ws


def test_a_group_of_3_appears_nowhere_as_a_number_nor_as_the_total_less_the_others(small_group, cli, tmp_path):
    outs = {kind: tmp_path / f"r.{kind}" for kind in ("json", "xlsx", "docx")}
    for out in outs.values():
        result = cli("return", "--period", "2026Q3", "--out", str(out), "-w", str(small_group.root))
        assert result.code == 0, result.text
    ethnic = json.loads(outs["json"].read_text(encoding="utf-8"))["current"]["equality"]["ethnic_group"]
    shown = [c["count"] for c in ethnic["cells"].values() if c["count"] is not None]
    assert ethnic["cells"]["asian"] == {"count": None, "shown": FEWER}
    assert 3 not in shown and ethnic["total"] - sum(shown) != 3
    rows = list(load_workbook(outs["xlsx"])["Equality"].iter_rows(min_row=2, values_only=True))
    group = {row[0].strip(): row[1] for row in rows}
    assert group["asian"] == FEWER and group["Ethnic group"] == "47"
    numbers = [int(value) for value in group.values() if str(value).isdigit()]
    assert 3 not in numbers
    tables = docx.Document(str(outs["docx"])).tables
    cells = [[c.text for c in row.cells] for t in tables for row in t.rows]
    assert next(row[:2] for row in cells if row[0] == "asian") == ["asian", FEWER]


# --- signing, privacy and bad input ----------------------------------------------


def test_a_signed_json_return_carries_the_key_and_a_signature_over_the_rest(ws, cli, tmp_path):
    made = cli("keys", "new", "-w", str(ws.root))
    assert made.code == 0, made.text
    out = tmp_path / "r.json"
    result = cli("return", "--period", "2026Q3", "--out", str(out), "--sign", "-w", str(ws.root))
    assert result.code == 0, result.text
    signature = json.loads(out.read_text(encoding="utf-8"))["signature"]
    assert signature["algorithm"] == "ed25519" and signature["fingerprint"] in made.out
    assert f"signed with the key {signature['fingerprint']}" in result.out


def a_key_whose_public_half_reads_as_personal_data() -> Ed25519PrivateKey:
    """The first of a fixed series of keys whose public key, in base64, holds something the detectors flag."""
    for seed in range(10_000):
        key = Ed25519PrivateKey.from_private_bytes(hashlib.sha256(f"seed {seed}".encode()).digest())
        raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        if list(scan_line(base64.b64encode(raw).decode("ascii"))):
            return key
    raise AssertionError("no such key in the series")


def test_the_signature_block_is_not_read_as_personal_data(ws, cli, tmp_path):
    assert cli("keys", "new", "-w", str(ws.root)).code == 0
    key = a_key_whose_public_half_reads_as_personal_data()
    (ws.root / PRIVATE_KEY_FILE).write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    out = tmp_path / "r.json"
    result = cli("return", "--period", "2026Q3", "--out", str(out), "--sign", "-w", str(ws.root))
    assert result.code == 0, result.text
    public = base64.b64decode(json.loads(out.read_text(encoding="utf-8"))["signature"]["public_key"])
    assert public == key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def test_signing_without_a_key_or_a_workbook_is_refused_and_writes_nothing(ws, cli, tmp_path):
    out = tmp_path / "r.json"
    result = cli("return", "--period", "2026Q3", "--out", str(out), "--sign", "-w", str(ws.root))
    assert result.code == 1 and "rsqm keys new" in result.err and not out.exists()
    result = cli("return", "--period", "2026Q3", "--out", str(tmp_path / "r.xlsx"), "--sign", "-w", str(ws.root))
    assert result.code == 2 and "--sign signs a .json return" in result.err


def test_a_case_reference_in_what_would_leave_blocks_the_return(ws, cli, tmp_path):
    ws.cases(case("RJ-2026-0001", closed_on="2026-08-10", referred_on="2026-07-01", outcome="as RJ-2025-0007"))
    out = tmp_path / "r.json"
    result = cli("return", "--period", "2026Q3", "--out", str(out), "-w", str(ws.root))
    assert result.code == 1
    assert re.search(r"^r\.json:\d+: error: case reference 'RJ-2025-0007'", result.out, re.M)
    assert "nothing was written" in result.err and not out.exists()


@pytest.mark.parametrize(("period", "says"), [
    ("2026Q5", "write a quarter (2026Q3)"), ("2026-28", "such as 2026-27"), ("2026-10", "2026-10..2026-10"),
    ("2026-12..2026-10", "the last month is before the first"), ("2026-13..2026-14", "months run from 01 to 12"),
])
def test_a_period_that_is_not_one_is_a_usage_error_saying_what_is_accepted(ws, cli, tmp_path, period, says):
    result = cli("return", "--period", period, "--out", str(tmp_path / "r.json"), "-w", str(ws.root))
    assert result.code == 2 and says in result.err


def test_an_existing_file_is_kept_unless_forced_and_an_unknown_kind_is_refused(ws, cli, tmp_path):
    out = tmp_path / "r.json"
    out.write_text("keep me", encoding="utf-8")
    result = cli("return", "--period", "2026Q3", "--out", str(out), "-w", str(ws.root))
    assert result.code == 1 and "--force" in result.err and out.read_text(encoding="utf-8") == "keep me"
    assert cli("return", "--period", "2026Q3", "--out", str(out), "--force", "-w", str(ws.root)).code == 0
    result = cli("return", "--period", "2026Q3", "--out", str(tmp_path / "r.pdf"), "-w", str(ws.root))
    assert result.code == 2 and ".xlsx" in result.err


def test_the_workbook_and_the_covering_report_open_in_libreoffice(cli, demo_copy, tmp_path, soffice):
    for name in ("return.xlsx", "return.docx"):
        assert cli("return", "--period", "2026Q3", "--out", str(tmp_path / name), "-w", str(demo_copy)).code == 0
        subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile", "--convert-to", "pdf",
                        "--outdir", str(tmp_path / name.split(".")[1]), str(tmp_path / name)],
                       check=True, capture_output=True, timeout=180)
    report = " ".join(" ".join(p.extract_text() for p in PdfReader(str(tmp_path / "docx" / "return.pdf")).pages).split())
    assert "Monitoring return 2026Q3" in report and "Equality" in report and "Definitions" in report
    workbook = " ".join(" ".join(p.extract_text() for p in PdfReader(str(tmp_path / "xlsx" / "return.pdf")).pages).split())
    assert "Referrals received" in workbook and "Example Restorative Service" in workbook
