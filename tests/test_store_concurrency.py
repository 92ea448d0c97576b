"""Concurrent writers: four processes each add 15 audit records and 15 evidence items at once.

Audits are one file each (created with expected=None); evidence items share the
register, rewritten with the token read beside it and retried on conflict. Nothing
may be lost, duplicated or truncated, and the change log has one line per write.
"""

from __future__ import annotations

import multiprocessing
from pathlib import Path

from builders import build, case
from rsqm.audit.sampling import population, population_sha256
from rsqm.base.paths import REGISTER_FILE
from rsqm.files.models import Register
from rsqm.files.yamlio import dump_yaml, load_yaml_text
from rsqm.workspace.load import load_workspace
from rsqm.workspace.store import Store, WriteConflict, read_change_log

PROCESSES = 4
WRITES = 15


def refs() -> list[str]:
    return [f"RT-2025-{n:03d}" for n in range(1, PROCESSES * WRITES + 1)]


def add_evidence(store: Store, evidence_id: str) -> int:
    """Append one item to the register, re-reading and retrying on conflict; returns the conflicts met."""
    conflicts = 0
    while True:
        token = store.token(REGISTER_FILE)
        loaded = load_yaml_text((store.root / REGISTER_FILE).read_text(encoding="utf-8"), REGISTER_FILE)
        register = Register.model_validate(loaded.data)
        new = {"id": evidence_id, "title": f"Supervision notes {evidence_id}", "type": "supervision_record",
               "file": f"files/{evidence_id}.pdf", "owner": "Practice lead", "dated": "2026-01-02", "status": "draft",
               "links": [{"indicator": "B1", "locator": "p. 1"}]}
        data = register.model_dump(mode="json", by_alias=True, exclude_none=True)
        data["items"].append(new)
        try:
            store.write(REGISTER_FILE, dump_yaml(data), change="add evidence", item=evidence_id, expected=token)
            return conflicts
        except WriteConflict:
            conflicts += 1


def writer(root: str, worker: int, conflicts) -> None:
    store = Store(Path(root), f"sup{worker}")
    for n in range(WRITES):
        number = worker * WRITES + n + 1
        ref = f"RT-2025-{number:03d}"
        audit = {"schema": "rsqm/audit@1", "case_ref": ref, "sample": "s1", "auditor": f"sup{worker}",
                 "audited_on": "2026-01-20", "answers": {"risk_checked": {"result": "met", "note": "seen"}}}
        store.write(f"evidence/audits/{ref}.yaml", dump_yaml(audit), change="complete audit", item=ref, expected=None)
        conflicts.value += add_evidence(store, f"E{number}")


def test_four_writers_at_once_lose_nothing_and_log_every_write(tmp_path):
    ws = build(tmp_path / "ws")
    ws.cases(*(case(ref) for ref in refs()))
    rows = population(load_workspace(ws.root).cases, None, None)
    ws.write_yaml("evidence/samples/s1.yaml", {
        "schema": "rsqm/sample@1", "name": "s1", "drawn_on": "2026-01-05", "drawn_by": "sup0",
        "population": {"size": len(rows), "sha256": population_sha256(rows)},
        "method": {"kind": "simple", "size": len(rows), "seed": 1}, "cases": refs(),
    })
    context = multiprocessing.get_context("fork")
    conflicts = context.Value("i", 0, lock=True)
    workers = [context.Process(target=writer, args=(str(ws.root), w, conflicts)) for w in range(PROCESSES)]
    for process in workers:
        process.start()
    for process in workers:
        process.join(60)
    assert [p.exitcode for p in workers] == [0] * PROCESSES

    loaded = load_workspace(ws.root)
    assert loaded.errors == [], [str(p) for p in loaded.errors]
    assert sorted(loaded.audits) == refs()
    assert all(a.answers["risk_checked"].note == "seen" for a in loaded.audits.values())
    ids = [item.id for item in loaded.register.items]
    assert sorted(ids) == sorted(f"E{n}" for n in range(1, PROCESSES * WRITES + 1))
    log = read_change_log(ws.root)
    assert len(log) == 2 * PROCESSES * WRITES
    assert sorted(e.item for e in log if e.change == "add evidence") == sorted(ids)
    assert sorted(e.item for e in log if e.change == "complete audit") == refs()
