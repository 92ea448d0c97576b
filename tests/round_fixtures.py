"""Workspaces with several audit rounds, whose answers are known: Newcombe's published examples among them."""

from __future__ import annotations

import yaml

from builders import WorkspaceBuilder, case

POPULATION_HASH = "0" * 64


def add_round(b: WorkspaceBuilder, name: str, drawn_on: str, answers: list[dict[str, str]], *,
              unaudited: int = 0, prefix: str | None = None) -> list[str]:
    """A sample of len(answers) + ``unaudited`` cases; the first len(answers) audited with the given results."""
    prefix = prefix or f"RJ-{drawn_on[:4]}"
    start = len(list((b.root / "evidence" / "samples").glob("*.yaml"))) * 1000 + 1
    refs = [f"{prefix}-{n:04d}" for n in range(start, start + len(answers) + unaudited)]
    b.write_yaml(f"evidence/samples/{name}.yaml", {
        "schema": "rsqm/sample@1", "name": name, "drawn_on": drawn_on, "drawn_by": "S01",
        "population": {"size": len(refs), "sha256": POPULATION_HASH},
        "method": {"kind": "simple", "size": len(refs), "seed": 1}, "cases": refs,
    })
    for ref, given in zip(refs, answers, strict=False):
        b.write_yaml(f"evidence/audits/{ref}.yaml", {
            "schema": "rsqm/audit@1", "case_ref": ref, "sample": name, "auditor": "S01", "audited_on": drawn_on,
            "answers": {item: {"result": result} for item, result in given.items()},
        })
    return refs


def results(item: str, met: int, not_met: int, n_a: int = 0, **others: str) -> list[dict[str, str]]:
    rows = ["met"] * met + ["not_met"] * not_met + ["n_a"] * n_a
    return [{"risk_checked": "met", "consent_recorded": "met", "closed_properly": "met", **others, item: r} for r in rows]


def cases_for(b: WorkspaceBuilder) -> None:
    """Every sampled case in the case list, so the workspace validates."""
    refs = sorted({ref for path in (b.root / "evidence" / "samples").glob("*.yaml")
                   for ref in yaml.safe_load(path.read_text())["cases"]})
    b.cases(*(case(ref, "2025-11-15") for ref in refs))


def newcombe_rounds(ws: WorkspaceBuilder) -> WorkspaceBuilder:
    """Newcombe's (1998) examples as two audit rounds.

    risk_checked: 48/80 in r1, 56/70 in r2 (his example a, read as a later minus an earlier round);
    consent_recorded: 3/10 then 9/10 (example b; the other cases n_a); closed_properly: 10/10 then 2/10.
    """
    r1 = results("risk_checked", 48, 32)
    for row, value in zip(r1, ["met"] * 3 + ["not_met"] * 7 + ["n_a"] * 70, strict=True):
        row["consent_recorded"] = value
    for row, value in zip(r1, ["met"] * 10 + ["n_a"] * 70, strict=True):
        row["closed_properly"] = value
    r2 = results("risk_checked", 56, 14)
    for row, value in zip(r2, ["met"] * 9 + ["not_met"] * 1 + ["n_a"] * 60, strict=True):
        row["consent_recorded"] = value
    for row, value in zip(r2, ["met"] * 2 + ["not_met"] * 8 + ["n_a"] * 60, strict=True):
        row["closed_properly"] = value
    add_round(ws, "r2", "2026-04-05", r2)  # written first: the order comes from drawn_on, not from the files
    add_round(ws, "r1", "2026-01-05", r1)
    cases_for(ws)
    return ws
