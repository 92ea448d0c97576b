"""Cross-framework mapping (docs/sources.md, "Mappings"): equal relations count, others are shown."""

from __future__ import annotations

import json

import pytest
from test_gaps import evidence

from builders import WorkspaceBuilder, item
from rsqm.assess.mapping import equal_groups, related
from rsqm.files.models import Mapping

OTHER = {
    "schema": "rsqm/framework@1", "id": "other-fw", "title": "Other framework", "version": "2", "source": "tests",
    "evidence_types": {"policy": "Policy"},
    "standards": [{"id": "X", "title": "Xray", "indicators": [
        {"id": "C", "title": "Complaints", "evidence": {"types": ["policy"]}},
        {"id": "D", "title": "Duty", "evidence": {"types": ["policy"]}},
    ]}],
}


def mapping(*relations: tuple[str, str, str], source: str = "test-fw", target: str = "other-fw") -> Mapping:
    return Mapping.model_validate({
        "schema": "rsqm/mapping@1", "from": source, "to": target,
        "relations": [{"from": a, "to": b, "relation": r} for a, b, r in relations],
    })


@pytest.fixture
def two(ws: WorkspaceBuilder) -> WorkspaceBuilder:
    ws.write_yaml("standards/other-fw.yaml", OTHER)
    ws.settings(frameworks=["other-fw"])
    return ws


def write_mapping(ws: WorkspaceBuilder, *relations: str, source: str = "test-fw", target: str = "other-fw", name: str = "") -> None:
    """A mapping file as a person writes it: the relations start on line 5."""
    lines = ["schema: rsqm/mapping@1", f"from: {source}", f"to: {target}", "relations:" + ("" if relations else " []")]
    lines += [f"  - {{{relation}}}" for relation in relations]
    ws.write(f"standards/mappings/{name or f'{source}--{target}'}.yaml", "\n".join(lines) + "\n")


def statuses(cli, ws: WorkspaceBuilder, framework: str) -> dict[str, str]:
    result = cli("gaps", "-w", str(ws.root), "--json", "--framework", framework)
    assert result.code == 0, result.text
    return {i["id"]: i["status"] for i in json.loads(result.out)["indicators"]}


def test_a_link_counts_for_the_indicator_it_is_equal_to_in_another_framework(two, cli):
    write_mapping(two, "from: A1, to: C, relation: equal", "from: A1, to: D, relation: supports")
    evidence(two, item("E001"))  # linked to A1 of the primary framework only

    assert statuses(cli, two, "other-fw") == {"C": "met", "D": "not_met"}
    data = json.loads(cli("gaps", "-w", str(two.root), "--json", "--framework", "other-fw").out)
    [link] = data["indicators"][0]["links"]
    assert link["evidence"] == "E001" and "linked to test-fw:A1, mapped as equal" in link["claim"]


def test_equal_counts_both_ways(two, cli):
    write_mapping(two, "from: A1, to: C, relation: equal")
    evidence(two, item("E001", links=[{"indicator": "other-fw:C", "locator": "p. 1"}]))
    assert statuses(cli, two, "test-fw")["A1"] == "met"


def test_equal_is_followed_through_a_chain_of_mappings():
    groups = equal_groups([mapping(("A1", "C", "equal")), mapping(("C", "K", "equal"), source="other-fw", target="third")])
    assert groups[("test-fw", "A1")] == {("other-fw", "C"), ("third", "K")}
    assert ("test-fw", "A2") not in groups


def test_related_reads_each_relation_from_the_side_asked_about():
    mappings = [mapping(("A1", "C", "subset"), ("A1", "D", "supports"))]
    assert related(mappings, "test-fw", "A1") == [("other-fw", "C", "part of"), ("other-fw", "D", "supports")]
    assert related(mappings, "other-fw", "C") == [("test-fw", "A1", "includes")]
    assert related(mappings, "other-fw", "D") == [("test-fw", "A1", "supported by")]


def test_a_relation_naming_an_unknown_indicator_is_an_error_at_its_line(two, cli):
    write_mapping(two, "from: A1, to: C, relation: equal", "from: A9, to: C, relation: supports")
    result = cli("validate", "-w", str(two.root))
    assert result.code == 1
    assert "standards/mappings/test-fw--other-fw.yaml:6: error: relation names unknown indicator 'A9' in test-fw" in result.out


def test_a_mapping_naming_an_unknown_framework_is_an_error_at_its_line(two, cli):
    write_mapping(two, target="nowhere")
    result = cli("validate", "-w", str(two.root))
    assert result.code == 1
    assert "standards/mappings/test-fw--nowhere.yaml:3: error: mapping names unknown framework 'nowhere'" in result.out


def test_a_mapping_in_a_file_named_for_other_frameworks_is_an_error(two, cli):
    write_mapping(two, source="other-fw", target="test-fw", name="test-fw--other-fw")
    result = cli("validate", "-w", str(two.root))
    assert result.code == 1
    assert "test-fw--other-fw.yaml:2: error: a mapping from other-fw to test-fw belongs in standards/mappings/other-fw--test-fw.yaml" in result.out


def test_an_unknown_relation_kind_is_an_error_at_its_line(two, cli):
    write_mapping(two, "from: A1, to: C, relation: same")
    result = cli("validate", "-w", str(two.root))
    assert result.code == 1
    assert "test-fw--other-fw.yaml:5: error:" in result.out and "Traceback" not in result.text
