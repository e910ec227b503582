"""Caches are keyed by what files hold: an edit that keeps size and dates still counts."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from revpages.incremental import fingerprint
from revpages.incremental.results import data_fingerprint


@pytest.fixture(autouse=True)
def fresh_memory():
    fingerprint._known.clear()
    fingerprint._trusting[0] = True
    fingerprint._unsaved[0] = False
    yield
    fingerprint._known.clear()
    fingerprint._trusting[0] = True


def edit_keeping_size_and_mtime(path: Path, text: str) -> None:
    stat = path.stat()
    assert len(text.encode()) == stat.st_size
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert path.stat().st_mtime_ns == stat.st_mtime_ns


def test_an_edit_in_place_with_the_same_size_and_mtime_changes_the_fingerprint(tmp_path: Path):
    (tmp_path / "deals.csv").write_text("deal_id,amount\nd1,100\n", encoding="utf-8")
    before = data_fingerprint(tmp_path)
    edit_keeping_size_and_mtime(tmp_path / "deals.csv", "deal_id,amount\nd1,900\n")
    assert data_fingerprint(tmp_path) != before


def test_a_remembered_digest_is_used_only_for_the_same_file_identity(tmp_path: Path):
    export = tmp_path / "deals.csv"
    export.write_text("a\n1\n", encoding="utf-8")
    first = fingerprint.file_digest(export)
    fingerprint.remember(tmp_path / "cache")
    fingerprint._known.clear()
    fingerprint.recall(tmp_path / "cache")
    assert fingerprint.file_digest(export) == first
    edit_keeping_size_and_mtime(export, "a\n2\n")
    assert fingerprint.file_digest(export) != first  # the change time moved


def test_a_damaged_record_is_ignored(tmp_path: Path):
    (tmp_path / "cache").mkdir()
    (tmp_path / "cache" / fingerprint.RECORD).write_text('{"x": [1', encoding="utf-8")
    fingerprint.recall(tmp_path / "cache")
    export = tmp_path / "deals.csv"
    export.write_text("a\n1\n", encoding="utf-8")
    assert len(fingerprint.file_digest(export)) == 64


def test_forget_reads_every_file_again_and_recalls_nothing(tmp_path: Path):
    export = tmp_path / "deals.csv"
    export.write_text("a\n1\n", encoding="utf-8")
    fingerprint.file_digest(export)
    fingerprint.remember(tmp_path / "cache")
    fingerprint.forget()
    fingerprint.recall(tmp_path / "cache")
    assert fingerprint._known == {}


def test_renaming_a_file_changes_the_fingerprint(tmp_path: Path):
    (tmp_path / "deals.csv").write_text("a\n1\n", encoding="utf-8")
    before = data_fingerprint(tmp_path)
    (tmp_path / "deals.csv").rename(tmp_path / "leads.csv")
    assert data_fingerprint(tmp_path) != before


def test_the_record_is_written_only_when_a_file_was_read(tmp_path: Path):
    export = tmp_path / "deals.csv"
    export.write_text("a\n1\n", encoding="utf-8")
    fingerprint.file_digest(export)
    fingerprint.remember(tmp_path / "cache")
    record = tmp_path / "cache" / fingerprint.RECORD
    written = record.stat().st_mtime_ns
    fingerprint.file_digest(export)  # remembered: not read again
    fingerprint.remember(tmp_path / "cache")
    assert record.stat().st_mtime_ns == written


@pytest.mark.slow  # several whole builds; make test runs it
@pytest.mark.parametrize("force", [False, True], ids=["build", "build --force"])
def test_an_export_edited_in_place_with_the_same_size_and_mtime_shows_new_numbers(
    site: Path, build, force: bool
):
    assert build(site).exit_code == 0
    assert "closed_won,5000.00" in (site / "build/sales/pipeline.csv").read_text()
    deals = site / "data/deals.csv"
    before = deals.stat()
    text = deals.read_text()
    edited = text.replace(",1000,true,true,", ",9000,true,true,")  # same length
    assert len(edited) == len(text) and edited != text
    with deals.open("r+") as handle:  # in place: same inode
        handle.write(edited)
    os.utime(deals, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = deals.stat()
    assert (after.st_size, after.st_mtime_ns, after.st_ino) == (
        before.st_size,
        before.st_mtime_ns,
        before.st_ino,
    )
    result = build(site, *(["--force"] if force else []))
    assert result.exit_code == 0, result.output
    assert "closed_won,13000.00" in (site / "build/sales/pipeline.csv").read_text()


@pytest.mark.slow  # seconds of threads racing; make test runs it
def test_digests_are_shared_safely_by_threads(tmp_path: Path):
    """Builds in threads (serve's background queries, two first loads at once) digest files
    while another writes the record: the record is written from a snapshot."""
    import threading

    files = []
    for i in range(100):
        files.append(tmp_path / f"f{i}.csv")
        files[-1].write_text(str(i), encoding="utf-8")
    failures: list[BaseException] = []

    def digest() -> None:
        try:
            for path in files:
                fingerprint.file_digest(path)
        except BaseException as error:
            failures.append(error)

    def save() -> None:
        try:
            for _ in range(50):
                fingerprint._unsaved[0] = True
                fingerprint.remember(tmp_path / "cache")
        except BaseException as error:
            failures.append(error)

    for _ in range(5):
        fingerprint.forget()
        fingerprint._trusting[0] = True
        threads = [threading.Thread(target=digest) for _ in range(3)]
        threads.append(threading.Thread(target=save))
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert failures == []
