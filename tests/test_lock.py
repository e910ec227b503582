"""One build at a time per site: a second build waits (or, with --no-wait, stops at once),
and builds that run at the same time never share a staging or cache-writing folder."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from revpages.error_codes import CODES
from revpages.incremental.lock import BuildLock, leftovers, scratch_name
from revpages.reports.engine import Engine
from revpages.settings import EngineOptions
from tests.conftest import write_tree

HOLD = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from revpages.incremental.lock import BuildLock
    BuildLock(Path(sys.argv[1])).acquire()
    print("held", flush=True)
    time.sleep(float(sys.argv[2]))
    """
)


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


@pytest.fixture
def holder(site: Path) -> Iterator[subprocess.Popen]:
    """Another process holding the build lock of ``site/build`` for a few seconds."""
    process = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(site / "build"), "4"], stdout=subprocess.PIPE, text=True
    )
    assert process.stdout.readline().strip() == "held"
    yield process
    process.kill()
    process.wait()


def test_no_wait_stops_at_once_while_another_build_runs(site: Path, build, holder):
    started = time.monotonic()
    result = build(site, "--no-wait")
    assert result.exit_code == 1
    assert time.monotonic() - started < 3
    assert f"build: RP706 another build of this site is running (process {holder.pid}, " in (
        result.output
    )
    masked = [re.sub(r"\d+", "N", line) for line in result.output.splitlines()]
    assert re.sub(r"\d+", "N", CODES["RP706"].example) in masked
    assert not (site / "build").exists()


@pytest.mark.slow  # several whole builds; make test runs it
def test_a_second_build_waits_for_the_first_and_says_so(site: Path, build, holder):
    started = time.monotonic()
    result = build(site)
    assert result.exit_code == 0, result.output
    assert holder.poll() is not None or time.monotonic() - started >= 3
    assert f"Another build of build/ is running (process {holder.pid}, " in result.output
    assert (site / "build/index.html").is_file()


def test_the_lock_is_reentrant_in_one_process_and_freed_when_released(tmp_path: Path):
    outer, inner = BuildLock(tmp_path / "build"), BuildLock(tmp_path / "build")
    outer.acquire(wait=False)
    inner.acquire(wait=False)  # the plugin, inside `revpages build`
    inner.release()
    outer.release()
    run = subprocess.run(
        [sys.executable, "-c", HOLD, str(tmp_path / "build"), "0"], capture_output=True, text=True
    )
    assert run.stdout.strip() == "held", run.stderr


@pytest.mark.slow  # a whole build each; make test runs it
def test_two_builds_at_once_publish_one_whole_site_each(site: Path, build):
    assert build(site).exit_code == 0
    pipeline = site / "queries/sales/pipeline.sql"
    pipeline.write_text(pipeline.read_text().replace("Pipeline by stage", "Both"))
    command = [Path(sys.executable).parent / "revpages", "build", "--force", "-q"]
    runs = [subprocess.Popen(command, cwd=site, stderr=subprocess.PIPE, text=True) for _ in "ab"]
    errors = [run.communicate()[1] for run in runs]
    assert [run.returncode for run in runs] == [0, 0], errors
    built = tree(site / "build")
    assert "index.html" in built and "Both" in built["sales/pipeline/index.html"].decode()
    assert build(site, "--force").exit_code == 0
    assert tree(site / "build").keys() == built.keys()
    assert sorted(p.name for p in site.iterdir() if p.name.startswith(".build")) == [".build.lock"]


def test_two_first_loads_at_once_store_the_data_once(site: Path):
    """Two builds with no cache yet write their stores side by side, then one is kept."""
    write_tree(site / "data", {"more.csv": "n\n" + "".join(f"{i}\n" for i in range(20000))})
    options = EngineOptions(cache_dir=site / ".cache")
    failures: list[BaseException] = []
    start = threading.Barrier(3)

    def load() -> None:
        engine = Engine(options)
        try:
            start.wait()
            engine.load(site / "data")
            assert engine.con.execute("select count(*) from more").fetchone() == (20000,)
        except BaseException as error:
            failures.append(error)
        finally:
            engine.close()

    threads = [threading.Thread(target=load) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    stores = [p.name for p in (site / ".cache").iterdir() if p.name.startswith("data-")]
    assert len(stores) == 1 and ".partial" not in stores[0]
    assert list((site / ".cache/tmp").iterdir()) == []  # each engine removed its spill folder


def test_scratch_names_are_unique_and_leftovers_are_those_of_dead_processes(tmp_path: Path):
    first, second = scratch_name("data-1"), scratch_name("data-1")
    assert first != second and first.startswith("data-1.partial-")
    (tmp_path / first).mkdir()
    (tmp_path / "data-1.partial-999999999-abc").mkdir()  # no such process
    assert leftovers(tmp_path, "data-1.partial-*") == [tmp_path / "data-1.partial-999999999-abc"]
