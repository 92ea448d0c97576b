"""Merging mapped export rows into the case list (rsqm/imports/case_import.py): what a large merge holds."""

from __future__ import annotations

import tracemalloc
from datetime import date

from rsqm.files.models import DEFAULT_CASE_REF_PATTERN, Case
from rsqm.imports.case_import import merge_cases


def record(n: int) -> dict[str, str]:
    return {"case_ref": f"RJ-2025-{n:05d}", "referred_on": f"2025-0{n % 9 + 1}-1{n % 10}", "closed_on": "", "process": "shuttle",
            "offence_category": "theft", "initiator": "harmed_person", "practitioner": f"P{n % 60:02d}"}


def test_a_merge_holds_each_row_in_a_fraction_of_a_models_memory():
    # a Case model costs about 2 KB (its __dict__ and its set of fields): a million of them took 2 GB
    records = [(n + 2, record(n)) for n in range(5_000)]
    merge_cases([], iter(records[:10]), export="export.xlsx", case_ref_pattern=DEFAULT_CASE_REF_PATTERN, today=date(2026, 1, 1), problems=[])
    tracemalloc.start()
    try:
        merge = merge_cases([], iter(records), export="export.xlsx", case_ref_pattern=DEFAULT_CASE_REF_PATTERN,
                            today=date(2026, 1, 1), problems=[])
        held = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    assert len(merge.added) == 5_000
    assert held / 5_000 < 700, f"{held / 5_000:.0f} bytes a row"
    assert list(merge.rows)[1234] == Case.model_validate(records[1234][1])
