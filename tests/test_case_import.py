"""Merging mapped export rows into the case list (rsqm/imports/case_import.py): what a large merge holds, and
what a re-import finds changed."""

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


def merged(existing: list[Case], records: list[tuple[int, dict[str, str]]], today: date = date(2026, 1, 1)):
    problems: list = []
    merge = merge_cases(existing, iter(records), export="export.csv", case_ref_pattern=DEFAULT_CASE_REF_PATTERN, today=today,
                        problems=problems)
    return merge, [str(p) for p in problems]


def test_a_reimport_tells_unchanged_from_updated_rows_as_comparing_the_models_would():
    # the rows already there are compared and merged from their packed values, never made into models again
    extra = {"offer_accepted": "yes", "sex": "female", "first_contact_on": "2025-09-30", "outcome": "completed"}
    existing = [Case.model_validate({**record(n), **extra}) for n in range(3)]
    records = [(2, record(0)), (3, {**record(1), "practitioner": "P09"}), (4, record(7)), (5, {**record(2), "offer_accepted": "", "closed_on": "2025-12-01"})]
    merge, problems = merged(existing, records)
    assert problems == []
    assert (merge.added, merge.unchanged) == (["RJ-2025-00007"], 1)
    assert merge.updated == [("RJ-2025-00001", ["practitioner"]), ("RJ-2025-00002", ["closed_on", "offer_accepted"])]
    plain = [Case.model_validate({**old.model_dump(), **rec}) for old, (_, rec) in zip(existing, [records[0], records[1], records[3]], strict=True)]
    rows = list(merge.rows)
    assert rows == [*plain, Case.model_validate(record(7))]
    assert rows[0].sex == "female" and rows[2].offer_accepted is None


def test_an_unchanged_row_is_still_checked_and_a_bad_cell_met_again_is_reported_on_its_own_row():
    existing = [Case.model_validate(record(1))]
    records = [(2, {**record(1), "referred_on": "2026-02-01"}), (3, {**record(2), "process": "=HYPERLINK(1)"}),
               (4, record(3)), (5, {**record(4), "process": "=HYPERLINK(1)"})]
    _, problems = merged(existing, records, today=date(2025, 12, 1))
    assert problems == [
        "export.csv:2: error: RJ-2025-00001: referred_on 2026-02-01 lies in the future",
        "export.csv:3: error: RJ-2025-00002: column 'process' holds a formula-like value '=HYPERLINK(1)'",
        "export.csv:5: error: RJ-2025-00004: column 'process' holds a formula-like value '=HYPERLINK(1)'",
    ]
