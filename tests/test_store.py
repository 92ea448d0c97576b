"""The store: atomic, locked writes that refuse lost updates, one change-log line per write;
and uploaded files, named safely, typed by content, never overwriting another file."""

from __future__ import annotations

import io
import threading
import time
import zipfile

import pytest

from rsqm.base.paths import CHANGE_LOG
from rsqm.workspace.store import Store, WriteConflict, WriteRefused, content_token, read_change_log
from rsqm.workspace.uploads import check_upload, safe_filename, store_upload, type_mismatch


@pytest.fixture
def store(tmp_path) -> Store:
    return Store(tmp_path, "coord1")


def log_lines(store: Store) -> list[str]:
    return (store.root / CHANGE_LOG).read_text(encoding="utf-8").splitlines()


# --- writes and conflicts ------------------------------------------------------


def test_a_write_replaces_the_file_and_returns_its_token(store):
    token = store.write("evidence/actions.yaml", "a: 1\n", change="add action", item="A1", expected=None)
    assert (store.root / "evidence/actions.yaml").read_text() == "a: 1\n"
    assert token == store.token("evidence/actions.yaml") == content_token(store.root / "evidence/actions.yaml")


def test_a_write_is_refused_when_the_file_changed_since_it_was_read(store):
    token = store.write("evidence/register.yaml", "v1\n", change="create", expected=None)
    (store.root / "evidence/register.yaml").write_text("edited by hand\n")
    with pytest.raises(WriteConflict, match="changed by someone else since you opened it; reload"):
        store.write("evidence/register.yaml", "v2\n", change="edit", expected=token)
    assert (store.root / "evidence/register.yaml").read_text() == "edited by hand\n"
    assert len(log_lines(store)) == 1


def test_creating_a_file_that_now_exists_is_refused(store):
    store.write("evidence/audits/RT-2025-001.yaml", "first\n", change="start audit", expected=None)
    with pytest.raises(WriteConflict, match="already exists; not overwriting it"):
        store.write("evidence/audits/RT-2025-001.yaml", "second\n", change="start audit", expected=None)
    assert (store.root / "evidence/audits/RT-2025-001.yaml").read_text() == "first\n"


def test_a_write_with_the_current_token_succeeds(store):
    token = store.write("f.yaml", "v1\n", change="create", expected=None)
    store.write("f.yaml", "v2\n", change="edit", expected=token)
    assert (store.root / "f.yaml").read_text() == "v2\n"


@pytest.mark.parametrize("rel", ["../outside.yaml", "/etc/passwd", "evidence/../../x", "."])
def test_a_write_leaving_the_workspace_is_refused(store, rel):
    with pytest.raises(WriteRefused, match="path leaves the workspace"):
        store.write(rel, "x", change="escape")
    assert not (store.root / CHANGE_LOG).exists()


def test_no_temporary_files_are_left_behind(store):
    for n in range(5):
        store.write("evidence/register.yaml", f"v{n}\n", change="edit")
    assert sorted(p.name for p in (store.root / "evidence").iterdir()) == ["register.yaml"]


# --- the change log ------------------------------------------------------------


def test_each_write_adds_exactly_one_change_log_line(store):
    store.write("a.yaml", "1", change="create a", item="A1", expected=None)
    store.write("b.yaml", "2", change="create b", expected=None)
    with pytest.raises(WriteConflict):
        store.write("b.yaml", "3", change="create b again", expected=None)
    assert len(log_lines(store)) == 2
    newest, oldest = read_change_log(store.root)
    assert (oldest.who, oldest.file, oldest.change, oldest.item) == ("coord1", "a.yaml", "create a", "A1")
    assert newest.file == "b.yaml" and newest.sha256 == store.token("b.yaml")
    assert read_change_log(store.root, limit=1) == [newest]


def test_a_torn_last_change_log_line_is_skipped(store):
    store.write("a.yaml", "1", change="create", expected=None)
    with open(store.root / CHANGE_LOG, "a") as log:
        log.write('{"when": "2026-')
    assert [e.file for e in read_change_log(store.root)] == ["a.yaml"]


# --- the lock ------------------------------------------------------------------


def test_a_writer_waits_for_the_lock_held_by_another(store):
    released = threading.Event()
    finished: list[float] = []

    def hold() -> None:
        with store.locked():
            released.wait(5)

    holder = threading.Thread(target=hold)
    holder.start()
    time.sleep(0.1)
    other = Store(store.root, "sup1")
    writer = threading.Thread(target=lambda: (other.write("a.yaml", "x", change="w"), finished.append(time.monotonic())))
    writer.start()
    time.sleep(0.3)
    assert not finished  # still waiting
    opened = time.monotonic()
    released.set()
    writer.join(5)
    holder.join(5)
    assert finished and finished[0] >= opened


def test_a_busy_workspace_gives_a_clear_message_after_the_timeout(store):
    entered = threading.Event()
    release = threading.Event()

    def hold() -> None:
        with Store(store.root, "x").locked():
            entered.set()
            release.wait(5)

    holder = threading.Thread(target=hold)
    holder.start()
    entered.wait(5)
    try:
        with pytest.raises(WriteConflict, match="the workspace is busy"), Store(store.root, "y").locked(timeout=0.2):
            pass
    finally:
        release.set()
        holder.join(5)


# --- uploads -------------------------------------------------------------------


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Policy 2025 (final).PDF", "policy-2025-final.pdf"),
        ("../../etc/passwd", "passwd"),
        ("..\\..\\windows\\win.ini", "win.ini"),
        ("Rapport annuel – été.docx", "rapport-annuel-ete.docx"),
        ("....", "file"),
        (".hidden.md", "hidden.md"),
        ("/", "file"),
        ("a" * 300 + ".txt", "a" * 80 + ".txt"),
    ],
)
def test_safe_filename_gives_a_slug_that_cannot_leave_its_folder(name, slug):
    assert safe_filename(name) == slug


@pytest.mark.parametrize(
    ("name", "data"),
    [("policy.pdf", b"%PDF-1.7\n..."), ("notes.md", "# Notes – café\n".encode()), ("list.csv", b"a,b\n1,2\n"), ("plan.txt", b"plan\n")],
)
def test_uploads_whose_content_matches_their_type_are_accepted(name, data):
    assert check_upload(name, data) == []


def test_a_real_word_document_is_accepted():
    assert check_upload("minutes.docx", docx_bytes()) == []


@pytest.mark.parametrize(
    ("name", "data", "why"),
    [
        ("policy.pdf", b"MZ\x90\x00not a pdf", "is not a PDF"),
        ("policy.pdf", b"<html><script>", "is not a PDF"),
        ("minutes.docx", b"%PDF-1.4", "is not a Word document"),
        ("minutes.docx", b"PK\x03\x04 broken zip", "is not a Word document"),
        ("notes.md", "notes".encode("utf-16"), "not a text file"),
        ("notes.txt", b"caf\xe9\n", "is not UTF-8 text"),
        ("tool.exe", b"MZ", "only pdf, docx, md, txt, csv files can be uploaded"),
        ("noextension", b"data", "only pdf"),
        ("empty.pdf", b"", "is empty"),
    ],
)
def test_uploads_are_refused_when_type_or_content_is_wrong(name, data, why):
    problems = check_upload(name, data)
    assert len(problems) == 1 and why in problems[0], problems


def test_uploads_over_the_size_limit_are_refused():
    assert check_upload("big.pdf", b"%PDF-" + b"0" * 2**21, max_bytes=2**20) == ["'big.pdf' is 2.0 MB; the limit is 1 MB"]
    assert check_upload("a.txt", b"abc", allowed_types=("pdf",)) == ["'a.txt': only pdf files can be uploaded"]


def test_storing_an_upload_never_overwrites_another_file(store):
    first = store_upload(store, b"%PDF-one", "Policy.pdf")
    second = store_upload(store, b"%PDF-two", "policy.pdf")
    third = store_upload(store, b"%PDF-three", "../policy.pdf")
    assert (first, second, third) == ("files/policy.pdf", "files/policy-2.pdf", "files/policy-3.pdf")
    assert (store.root / "evidence/files/policy.pdf").read_bytes() == b"%PDF-one"
    assert (store.root / "evidence/files/policy-3.pdf").read_bytes() == b"%PDF-three"
    assert [e.change for e in read_change_log(store.root)] == ["upload evidence file"] * 3


def test_registered_files_are_checked_by_their_first_bytes():
    assert type_mismatch("files/a.pdf", b"%PDF-1.4") is None
    assert type_mismatch("files/a.md", b"anything") is None
    assert type_mismatch("files/a.pdf", b"PK\x03\x04") == (True, "content is a ZIP archive, not a .pdf file")
    assert type_mismatch("files/a.docx", b"hello") == (False, "content does not look like a .docx file")


def test_a_temporary_file_left_by_a_killed_writer_is_cleared_by_the_next_write(store):
    store.write("evidence/register.yaml", "v1\n", change="create", expected=None)
    stale = store.root / "evidence/.register.yaml.abc123.tmp"
    stale.write_text("half a reg")
    unrelated = store.root / "evidence/.actions.yaml.abc123.tmp"
    unrelated.write_text("another file's")
    store.write("evidence/register.yaml", "v2\n", change="edit")
    assert not stale.exists()
    assert unrelated.exists()  # only the file being written is cleaned


def test_a_write_through_a_link_leaving_the_workspace_is_refused(store, tmp_path_factory):
    outside = tmp_path_factory.mktemp("outside")
    (store.root / "evidence").mkdir()
    (store.root / "evidence/files").symlink_to(outside, target_is_directory=True)
    with pytest.raises(WriteRefused, match="path leaves the workspace"):
        store.write("evidence/files/x.pdf", b"%PDF-", change="upload")
    assert list(outside.iterdir()) == []


def test_the_state_folder_and_the_change_log_rsqm_creates_are_its_owners_alone(tmp_path):
    Store(tmp_path, "p07").write("evidence/actions.yaml", "schema: rsqm/actions@1\nactions: []\n", change="new plan")
    assert (tmp_path / ".rsqm").stat().st_mode & 0o777 == 0o700  # accounts, sessions and who changed what live here
    for name in ("changes.jsonl", "workspace.lock"):
        assert (tmp_path / ".rsqm" / name).stat().st_mode & 0o777 == 0o600
