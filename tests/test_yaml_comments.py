"""A person's comments in a YAML file survive rsqm's rewrites; a value is never traded for a comment (rsqm/files/yaml_comments.py)."""

from __future__ import annotations

import yaml

from rsqm.files.yaml_comments import keep_comments
from rsqm.workspace.store import Store

OLD = """\
schema: rsqm/actions@1
# Agreed at the March board; review monthly.
actions:
- id: A1
  title: Renew the insurance certificate  # broker chases in January
  owner: Service manager
  due: '2027-02-01'
  status: not_started
- id: A2
  title: Write the complex-case guidance
  owner: Practice lead  # with the supervisor
  due: '2027-03-01'
  status: in_progress
"""


def dump(data: dict) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


def test_comments_stay_beside_their_entries_when_a_value_changes():
    data = yaml.safe_load(OLD)
    data["actions"][0]["status"] = "done"
    kept = keep_comments(OLD, dump(data))
    assert yaml.safe_load(kept) == data
    for note in ("# Agreed at the March board", "# broker chases in January", "# with the supervisor"):
        assert note in kept
    assert "status: done" in kept.split("- id: A2")[0]


def test_records_are_matched_by_id_when_one_is_removed_and_another_added():
    data = yaml.safe_load(OLD)
    data["actions"] = [data["actions"][1], {"id": "A3", "title": "Observe practice", "owner": "Practice lead", "due": "2027-01-15",
                                            "status": "not_started"}]
    kept = keep_comments(OLD, dump(data))
    assert yaml.safe_load(kept) == data
    assert "# with the supervisor" in kept and "broker chases" not in kept  # A1's note went with A1


def test_without_comments_the_new_text_is_written_exactly():
    plain = OLD.replace("# Agreed at the March board; review monthly.\n", "").replace("  # broker chases in January", "")
    plain = plain.replace("  # with the supervisor", "")
    new = dump({"schema": "rsqm/actions@1", "actions": []})
    assert keep_comments(plain, new) == new


def test_a_file_that_cannot_be_read_back_gives_the_new_text():
    new = dump({"schema": "rsqm/actions@1", "actions": []})
    assert keep_comments("# a note\nkey: [unclosed\n", new) == new


def test_a_count_is_never_turned_into_a_yes():
    old = "# counts\nenabled: true\nlimit: 1\n"
    new = dump({"enabled": 1, "limit": True})
    kept = keep_comments(old, new)
    assert [type(v) for v in yaml.safe_load(kept).values()] == [int, bool]


def test_a_save_through_the_store_keeps_the_hand_written_notes(tmp_path):
    (tmp_path / "evidence").mkdir()
    (tmp_path / "evidence/actions.yaml").write_text(OLD, encoding="utf-8")
    data = yaml.safe_load(OLD)
    data["actions"][1]["owner"] = "Service manager"
    Store(tmp_path, "p07").write("evidence/actions.yaml", dump(data), change="A2 owner changed")
    written = (tmp_path / "evidence/actions.yaml").read_text(encoding="utf-8")
    assert yaml.safe_load(written) == data and "# broker chases in January" in written
