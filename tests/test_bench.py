"""The benchmark harness runs: bench/run.py at a tiny size writes a complete RESULTS.md.

The benchmarks themselves are `make bench`; this only proves the harness works."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # the whole harness at a tiny size

REPO = Path(__file__).resolve().parents[1]


def test_the_harness_writes_every_section(tmp_path: Path):
    results = tmp_path / "RESULTS.md"
    subprocess.run(
        [
            sys.executable,
            str(REPO / "bench/run.py"),
            "--leads",
            "300",
            "--quick",
            "--data-dir",
            str(tmp_path / "data"),
            "--output",
            str(results),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    text = results.read_text(encoding="utf-8")
    for section in (
        "# Benchmark results",
        "## Machine",
        "## 300 leads",
        "Where revpages' time goes",
        "Output:",
        "Content fingerprints",
        "Views (params:): 32 views of 2 reports built",
        "with the digests an earlier build remembered",
        "Targets:",
    ):
        assert section in text, section
    for run in (
        "(a) raw DuckDB",
        "(b) `revpages build`, cold",
        "(c) rebuild, nothing changed",
        "(c′) `revpages build --force`",
        "(d) rebuild after editing",
    ):
        assert run in text, run
    for target in (
        "cold build ≤ 1.5× raw DuckDB",
        "no-change rebuild ≤ 5%",
        "one-query change ≤ 10%",
        "each report page",
        "plotly.js loaded once",
        "peak RSS ≤ 2 GiB",
    ):
        assert target in text, target
    assert "(0 queries run)" in text and "(1 query run)" in text
