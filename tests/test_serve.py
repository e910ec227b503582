"""`revpages serve` rebuilds when a query or data file changes."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from revpages.error_codes import CODES
from tests.conftest import DEALS_CSV, write_tree

pytestmark = pytest.mark.slow  # a live `revpages serve` per test


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, ""
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return 0, ""


def wait_for(url: str, text: str, timeout: float = 40.0) -> str:
    deadline = time.monotonic() + timeout
    body = ""
    while time.monotonic() < deadline:
        status, body = fetch(url)
        if status == 200 and text in body:
            return body
        time.sleep(0.3)
    raise AssertionError(f"{url} never showed {text!r}; last body: {body[:300]!r}")


@pytest.fixture
def server(site: Path) -> Iterator[str]:
    port = free_port()
    process = subprocess.Popen(
        [Path(sys.executable).parent / "revpages", "serve", "-a", f"127.0.0.1:{port}"],
        cwd=site,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_new_query_file_is_served_without_restart(site: Path, server: str):
    wait_for(server + "sales/pipeline/", "Pipeline by stage")
    write_tree(
        site / "queries/sales",
        {"deal_count.sql": "/*\ntitle: Deal count\n*/\nselect count(*) as deals from deals"},
    )
    page = wait_for(server + "sales/deal_count/", "Deal count")
    assert "1 row." in page


def test_changed_data_file_is_served_without_restart(site: Path, server: str):
    wait_for(server + "sales/pipeline/", "$5,000")
    extra = "d9,a9,2025-04-01 10:00:00,2025-05-01,closed_won,700,true,true,Avery Chen,email\n"
    (site / "data/deals.csv").write_text(DEALS_CSV + extra)
    wait_for(server + "sales/pipeline/", "$5,700")


def test_changed_model_file_is_served_without_restart(site: Path, server: str):
    wait_for(server + "sales/pipeline/", "Pipeline by stage")
    model = "/*\ndescription: Won deals.\n*/\nselect * from deals where is_won\n"
    write_tree(
        site / "queries",
        {
            "_models": {"won_deals.sql": model},
            "sales": {
                "won.sql": "/*\ntitle: Won total\nformat: {won: currency}\n*/\n"
                "select sum(amount) as won from won_deals"
            },
        },
    )
    wait_for(server + "sales/won/", "$5,000")
    (site / "queries/_models/won_deals.sql").write_text(model.replace("is_won", "amount > 3000"))
    wait_for(server + "sales/won/", "$4,000")


def test_a_port_in_use_is_a_coded_error(site: Path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        run = subprocess.run(
            [Path(sys.executable).parent / "revpages", "serve", "-a", f"127.0.0.1:{port}"],
            cwd=site,
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    expected = CODES["RP805"].example.replace("8000", str(port), 1)
    assert f"Error: {expected}" in run.stderr.splitlines()


def test_sigterm_stops_the_server_and_removes_its_temporary_folders(site: Path, tmp_path: Path):
    temp = tmp_path / "tmp"
    temp.mkdir()
    port = free_port()
    process = subprocess.Popen(
        [Path(sys.executable).parent / "revpages", "serve", "-a", f"127.0.0.1:{port}"],
        cwd=site,
        env={**os.environ, "TMPDIR": str(temp)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for(f"http://127.0.0.1:{port}/sales/pipeline/", "Pipeline by stage")
        assert list(temp.iterdir())  # the server's site folder
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
    finally:
        process.kill()
    assert list(temp.iterdir()) == []


SLOW = "/*\ntitle: Slow\n*/\nselect count(*) as n from range(100000000) a, range(100000) b\n"


def test_a_slow_query_never_freezes_the_preview(site: Path):
    write_tree(site / "queries/sales", {"slow.sql": SLOW})
    port = free_port()
    process = subprocess.Popen(
        [Path(sys.executable).parent / "revpages", "serve", "-a", f"127.0.0.1:{port}"],
        cwd=site,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    server = f"http://127.0.0.1:{port}/"
    try:
        started = time.monotonic()
        wait_for(server + "sales/pipeline/", "Pipeline by stage", timeout=60)
        page = wait_for(server + "sales/slow/", "RP414")
        assert "the query has been running for" in page
        assert time.monotonic() - started < 45  # the slow query runs on, the preview does not wait
        # Saved again: the running query stops, the new one shows without waiting for the old.
        (site / "queries/sales/slow.sql").write_text(SLOW.replace("range(100000000) a, ", ""))
        saved = time.monotonic()
        wait_for(server + "sales/slow/", ">100,000<", timeout=40)  # the count, grouped
        assert time.monotonic() - saved < 40
        # An option of mkdocs.yml takes effect without a restart: a slow query meets the new
        # time limit.
        (site / "queries/sales/slow.sql").write_text(SLOW)
        wait_for(server + "sales/slow/", "RP414")
        yml = site / "mkdocs.yml"
        yml.write_text(yml.read_text().replace("- revpages", "- revpages:\n    query_timeout: 1"))
        wait_for(server + "sales/slow/", "the limit of 1 s", timeout=60)
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_saving_a_running_query_again_interrupts_it(site: Path):
    from revpages.errors import QueryFileError
    from revpages.reports.queryfile import parse_query_file
    from revpages.reports.session import CachedEngine

    engine = CachedEngine(background=True)
    engine.load(site / "data")

    def report(sql: str):
        return parse_query_file(sql, path="queries/sales/slow.sql", section="sales", name="slow")

    try:
        with pytest.raises(QueryFileError) as caught:
            engine.run(report(SLOW))
        assert caught.value.code == "RP414"
        (first,) = engine._jobs.values()
        engine.load(site / "data")  # the next build, after the file was saved again
        result = engine.run(report(SLOW.replace("range(100000000) a, ", "")))
        assert result.rows == [(100000,)]
        first.join(timeout=10)
        assert first.cancelled and first.wait(0) and first.seconds < 15
    finally:
        engine.shutdown()
