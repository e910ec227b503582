"""A failed or killed build never replaces the last good site."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from revpages.site import publish
from revpages.site.publish import clear_leftovers, staging_dir


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def make_site(folder: Path, marker: str) -> None:
    (folder / "sub").mkdir(parents=True)
    (folder / "index.html").write_text(marker)
    (folder / "sub/page.html").write_text(marker)


def test_publish_swaps_and_removes_the_old_site(tmp_path: Path):
    site = tmp_path / "build"
    make_site(site, "old")
    staging = staging_dir(site)
    make_site(staging, "new")
    publish.publish(staging, site)
    assert tree(site) == {"index.html": b"new", "sub/page.html": b"new"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["build"]


def test_first_publish_just_renames(tmp_path: Path):
    staging = staging_dir(tmp_path / "build")
    make_site(staging, "new")
    publish.publish(staging, tmp_path / "build")
    assert tree(tmp_path / "build")["index.html"] == b"new"


def test_two_rename_fallback_when_exchange_is_unavailable(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(publish, "_exchange", lambda a, b: False)
    site = tmp_path / "build"
    make_site(site, "old")
    staging = staging_dir(site)
    make_site(staging, "new")
    publish.publish(staging, site)
    assert tree(site)["index.html"] == b"new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["build"]


def test_a_swap_killed_between_renames_is_recovered(tmp_path: Path):
    site = tmp_path / "build"
    make_site(tmp_path / ".build.previous", "old")  # site renamed away, then killed
    clear_leftovers(site)
    assert tree(site)["index.html"] == b"old"


def test_leftover_staging_of_a_killed_build_is_cleared(tmp_path: Path):
    for name in (".build.staging", ".build.staging.partial-1-abc"):
        make_site(tmp_path / name, "half")
    clear_leftovers(tmp_path / "build")
    assert list(tmp_path.iterdir()) == []


def test_each_build_stages_in_a_folder_of_its_own(tmp_path: Path):
    assert staging_dir(tmp_path / "build") != staging_dir(tmp_path / "build")


@pytest.mark.slow  # a real build in a subprocess, killed at each moment
@pytest.mark.parametrize("delay", [0.3, 0.8, 1.5, 2.5])
def test_sigkill_at_any_moment_leaves_a_whole_site(site: Path, build, delay: float):
    assert build(site).exit_code == 0
    before = tree(site / "build")
    (site / "queries/sales/pipeline.sql").write_text(
        (site / "queries/sales/pipeline.sql").read_text().replace("Pipeline by stage", "New")
    )
    process = subprocess.Popen(
        [Path(sys.executable).parent / "revpages", "build", "-q"], cwd=site, start_new_session=True
    )
    time.sleep(delay)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    after = tree(site / "build")
    # Either the old site, untouched, or (if the build finished first) the whole new one.
    if after != before:
        assert "New" in after["sales/pipeline/index.html"].decode()
        assert after.keys() == before.keys()
    assert build(site).exit_code == 0  # and the next build recovers
    assert "New" in (site / "build/sales/pipeline/index.html").read_text()


@pytest.mark.parametrize(
    "number, code", [(errno.EROFS, "RP703"), (errno.ENOSPC, "RP702"), (errno.EIO, "RP705")]
)
def test_a_disk_that_refuses_the_site_is_a_coded_error(
    site: Path, build, monkeypatch, number: int, code: str
):
    assert build(site).exit_code == 0
    before = tree(site / "build")

    def refuse(staging: Path, site_dir: Path) -> None:
        raise OSError(number, os.strerror(number), str(site_dir))

    monkeypatch.setattr("revpages.site.plugin.publish", refuse)
    result = build(site, "--force")
    assert result.exit_code == 1
    assert f"build: {code} the operating system refused: " in result.output
    assert "Traceback" not in result.output and " Hint: " in result.output
    assert tree(site / "build") == before
    assert sorted(p.name for p in site.iterdir() if p.name.startswith(".build")) == [".build.lock"]
