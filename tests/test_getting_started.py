"""docs/getting-started.md works: every command in it parses, and following it reaches a verified pack."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
import yaml

from rsqm.cli import build_full_parser

DOC = Path(__file__).resolve().parent.parent / "docs" / "getting-started.md"


def doc_commands() -> list[str]:
    """Every `rsqm ...` line of the page's code blocks, continuation lines joined."""
    text = DOC.read_text(encoding="utf-8").replace("\\\n", " ")
    return [m.group(1).strip() for m in re.finditer(r"^ {4}(rsqm [^#\n]+)", text, re.MULTILINE)]


def advised_on_the_page() -> list[str]:
    """The output of `rsqm sample --advise` the page shows, as '#' lines under the command."""
    text = DOC.read_text(encoding="utf-8")
    shown = text.split("rsqm sample --advise", 1)[1].split("\n\n", 1)[0]
    return [line.strip().lstrip("#").strip() for line in shown.splitlines()[1:]]


@pytest.mark.parametrize("command", doc_commands())
def test_every_command_on_the_page_is_one_rsqm_understands(command):
    if command.strip() == "rsqm --help":
        return
    args = shlex.split(command.replace("~", "/home/someone"))[1:]
    assert build_full_parser().parse_args(args).func


def test_following_the_page_reaches_a_verified_pack(cli, tmp_path, monkeypatch):
    monkeypatch.setenv("RSQM_USER", "P07")
    ws = tmp_path / "rj-evidence"
    assert cli("init", str(ws), "--service", "Northshire Restorative Service").code == 0
    monkeypatch.setenv("RSQM_WORKSPACE", str(ws))
    assert cli("validate").code == 0
    docs = tmp_path / "Documents"
    docs.mkdir()
    (docs / "rj-strategy.md").write_text("# Restorative justice strategy\n\n## 2. Our aims\n")
    (docs / "delivery-plan.md").write_text("# Delivery plan 2026-27\n\nTable 1: targets.\n")
    first = cli("evidence", "add", str(docs / "rj-strategy.md"), "--type", "strategy", "--title", "Restorative justice strategy 2026-2029",
                "--dated", "2026-03-01", "--review-by", "2029-03-01", "--owner", "Service manager")
    second = cli("evidence", "add", str(docs / "delivery-plan.md"), "--type", "business_plan", "--title", "Delivery plan 2026-27",
                 "--dated", "2026-04-01")
    e1, e2 = first.out.strip(), second.out.strip()
    assert (e1, e2) == ("E001", "E002")
    for eid in (e1, e2):
        assert cli("evidence", "link", eid, "1.2", "--locator", "section 2", "--claim", "restorative justice in the plans").code == 0
        assert cli("evidence", "approve", eid, "--by", "Management board").code == 0
    (ws / "evidence/narratives").mkdir(exist_ok=True)
    (ws / "evidence/narratives/1.2.md").write_text("Restorative justice is one of our aims (E001) with yearly targets (E002).\n")
    assert "1.2    met" in cli("gaps").out

    header = "case_ref,referred_on,closed_on,process,offence_category,initiator,practitioner,outcome"
    rows = [f"NRS-2026-{n:03d},2026-02-01,2026-07-{n:02d},{('letter', 'shuttle')[n % 2]},theft,harmed_person,P0{n % 5 + 1},agreement"
            for n in range(1, 21)]
    (ws / "evidence/cases.csv").write_text("\n".join([header, *rows]) + "\n")
    advised = cli("sample", "--advise", "--expected", "0.9", "--margin", "0.1").out
    for line in advised_on_the_page():  # the page shows what the command says
        assert line in advised
    draw = next(shlex.split(c)[1:] for c in doc_commands() if c.startswith("rsqm sample --name"))
    assert draw[draw.index("--size") + 1] in advised_on_the_page()[-1]  # and draws the size advised
    assert cli(*draw).code == 0
    case_ref = yaml.safe_load((ws / "evidence/samples/2026-Q3.yaml").read_text())["cases"][0]
    assert cli("audit", "new", case_ref, "--auditor", "P07").code == 0
    items = list(yaml.safe_load((ws / f"evidence/audits/{case_ref}.yaml").read_text())["answers"])
    assert "first_contact_within_target" in items  # the item the page answers
    for item in items:
        assert cli("audit", "answer", case_ref, item, "met", "--by", "P07").code == 0
    assert cli("audit", "complete", case_ref, "--on", "2026-11-20").code == 0
    assert cli("validate").code == 0
    for item in items:
        assert cli("audit", "second-answer", case_ref, item, "partly met" if item == items[0] else "met", "--by", "P03").code == 0
    assert case_ref in cli("audit", "list", "--awaiting", "agreement").out
    assert cli("audit", "agree", case_ref, items[0], "partly met").code == 0
    assert case_ref not in cli("audit", "list", "--awaiting", "agreement").out
    assert "agreement" in cli("audit-summary").out

    for command in (["workforce", "add", "P07", "--paid", "--started", "2022-03-01", "--training", "intermediate", "--trained-on",
                     "2022-04-20", "--registered", "intermediate", "--expires", "2027-03-31"],
                    ["workforce", "add", "V01", "--volunteer", "--started", "2026-01-05", "--probation-until", "2026-07-05"],
                    ["workforce", "log", "P07", "--supervision", "2026-11-02"],
                    ["config", "set", "assessment_date", "2027-03-31"],
                    ["config", "set", "public_contacts", "01632 960000, hello@northshire.example"],
                    ["config", "set", "feedback_questions.felt_safe", "Did you feel safe taking part?"]):
        done = cli(*command)
        assert done.code == 0, (command, done.text)

    assert cli("export", "--check").code == 0
    pack = tmp_path / "northshire-pack.zip"
    exported = cli("export", "--out", str(pack))
    assert exported.code == 0, exported.text
    verified = cli("verify", str(pack))
    assert verified.code == 0 and verified.out.startswith("pack intact")
