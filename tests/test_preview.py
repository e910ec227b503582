"""`revpages serve` keeps going when a report breaks: the error shows on the page and in the
terminal, the server stays up, and a saved query re-runs that query only."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import DEALS_CSV, write_tree
from tests.test_serve import fetch, free_port, wait_for

pytestmark = pytest.mark.slow  # a live `revpages serve` per test

BROKEN_SQL = (
    '/*\ntitle: "Broken <b>report</b>"\n*/\nselect stage,\n'
    "  sum(amout) as total from deals group by 1"
)


@dataclass
class Server:
    url: str
    log: Path
    process: subprocess.Popen

    def wait_log(self, text: str, timeout: float = 40.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            content = self.log.read_text(errors="replace")
            if text in content:
                return content
            assert self.process.poll() is None, f"the server stopped:\n{content}"
            time.sleep(0.2)
        raise AssertionError(f"the log never showed {text!r}:\n{self.log.read_text()}")


def start_server(site: Path, log: Path) -> Server:
    port = free_port()
    with log.open("w") as sink:
        process = subprocess.Popen(
            [Path(sys.executable).parent / "revpages", "serve", "-a", f"127.0.0.1:{port}"],
            cwd=site,
            stdout=sink,
            stderr=subprocess.STDOUT,
            text=True,
        )
    return Server(f"http://127.0.0.1:{port}/", log, process)


def stop_server(server: Server) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait(timeout=10)


@pytest.fixture
def preview(site: Path, tmp_path: Path) -> Iterator[Server]:
    write_tree(site / "queries/sales", {"broken.sql": BROKEN_SQL})
    server = start_server(site, tmp_path / "serve.log")
    try:
        yield server
    finally:
        stop_server(server)


def test_a_broken_report_shows_its_error_and_the_server_keeps_going(site: Path, preview: Server):
    page = wait_for(preview.url + "sales/broken/", "could not be built")
    assert "queries/sales/broken.sql:5:7: RP402 Binder error" in page
    assert "Broken &lt;b&gt;report&lt;/b&gt;" in page and "<b>report</b>" not in page
    assert "Did you mean &#x27;amount&#x27;" in page
    log = preview.wait_log("queries/sales/broken.sql:5:7: RP402 Binder error")
    assert "Traceback" not in log
    # The other reports are unaffected.
    assert "$5,000" in wait_for(preview.url + "sales/pipeline/", "Pipeline by stage")
    # Fixing the file brings the report back; only that query runs again.
    write_tree(site / "queries/sales", {"broken.sql": BROKEN_SQL.replace("amout", "amount")})
    wait_for(preview.url + "sales/broken/", "All 3 rows.")
    preview.wait_log("1 query run, 1 from cache")


def test_site_wide_problems_show_on_every_page(site: Path, preview: Server):
    wait_for(preview.url + "sales/broken/", "could not be built")
    write_tree(site / "site_src", {"story.md": "# Story\n\n[[chart sales/pipelin]]\n"})
    story = wait_for(preview.url + "story/", "This embed is broken")
    assert "site_src/story.md:3:9: RP603 unknown report" in story
    preview.wait_log("site_src/story.md:3:9: RP603 unknown report 'sales/pipelin'")
    write_tree(site / "queries", {"loose.sql": "/* title: Loose */ select 1"})
    home = wait_for(preview.url, "queries/loose.sql: RP202 this query file is not directly")
    assert "revpages: problem" in home
    # `revpages build` still fails on the same problems, with exit code 1.
    run = subprocess.run(
        [Path(sys.executable).parent / "revpages", "build"],
        cwd=site,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 1
    assert "queries/sales/broken.sql:5:7: RP402 Binder error" in run.stderr
    assert fetch(preview.url)[0] == 200


def test_the_server_starts_even_when_the_data_is_broken(site: Path, tmp_path: Path):
    for path in (site / "data").iterdir():
        path.unlink()
    server = start_server(site, tmp_path / "serve.log")
    try:
        page = wait_for(server.url + "sales/pipeline/", "could not be built")
        assert "the data could not be loaded" in page
        assert "no CSV, Excel or Parquet files" in wait_for(server.url, "revpages: problem")
        write_tree(site / "data", {"deals.csv": DEALS_CSV})
        wait_for(server.url + "sales/pipeline/", "$5,000")
    finally:
        stop_server(server)
