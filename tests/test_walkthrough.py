"""A new user's first session, following only the quick start of the guide: init, add a
report, preview it, break it and read the error, fix it, check, and build as CI does."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.test_docs import blocks, section
from tests.test_preview import start_server, stop_server
from tests.test_serve import wait_for

pytestmark = pytest.mark.slow  # init, serve, break, fix, check, build: the CLI in subprocesses

REVPAGES = Path(sys.executable).parent / "revpages"


def run(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([REVPAGES, *args], cwd=cwd, capture_output=True, text=True, timeout=300)


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_quick_start(tmp_path: Path):
    created = run(tmp_path, "init", "reports")
    assert created.returncode == 0, created.stderr
    assert created.stdout == blocks(section("index.md", "## 2. Create a site"), "text")[0]
    site = tmp_path / "reports"

    added = run(site, "new", "sales/won_by_owner")
    assert added.returncode == 0, added.stderr
    assert added.stdout == blocks(section("index.md", "## 4. Add a report"), "text")[0]
    report = site / "queries/sales/won_by_owner.sql"
    assert "# chart: bar" in report.read_text()

    server = start_server(site, tmp_path / "serve.log")
    try:
        page = wait_for(server.url + "sales/won_by_owner/", "Won by owner")
        assert "revpages-table" in page
        guide_sql = blocks(section("index.md", "## 4. Add a report"), "sql")[0]
        report.write_text(guide_sql)
        page = wait_for(server.url + "sales/won_by_owner/", "Won deals by owner")
        assert 'data-figure="sales/won_by_owner.json"' in page

        report.write_text(guide_sql.replace("is_won)", "is_wonn)"))
        page = wait_for(server.url + "sales/won_by_owner/", "could not be built")
        documented = blocks(section("index.md", "## 5. When something is wrong"), "text")[0]
        log = server.wait_log("queries/sales/won_by_owner.sql:")
        error = next(
            line for line in log.splitlines() if line.startswith("queries/sales/won_by_owner.sql:")
        )
        assert flat(error) == flat(documented)
        assert "Binder error: Referenced column &quot;is_wonn&quot; not found" in page

        report.write_text(guide_sql)
        wait_for(server.url + "sales/won_by_owner/", 'data-figure="sales/won_by_owner.json"')
    finally:
        stop_server(server)

    checked = run(site, "check")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "14 query files and 2 pages checked" in checked.stderr

    built = run(site, "build", "--strict")
    assert built.returncode == 0, built.stderr
    lines = built.stderr.splitlines()
    assert re.fullmatch(r"14 reports built, [\d,]+ result rows, 11 data tables\.", lines[0])
    assert lines[2] == "0 warnings." and lines[3].startswith("Site built in build/ in ")
    assert (site / "build/sales/won_by_owner/index.html").is_file()
    assert (site / "build/revpages-manifest.json").is_file()
