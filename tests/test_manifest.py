"""The build manifest, the end-of-build summary and the progress reports of a build."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from rich.console import Console

from revpages.commands.console import RichProgress
from revpages.incremental.manifest import content_hash, summary_lines
from revpages.pipeline import build_reports
from revpages.progress import RecordingProgress
from revpages.settings import Settings
from tests.conftest import write_tree

EMPTY_SQL = "/*\ntitle: None\n*/\nselect * from deals where amount < 0"


def settings_for(root: Path) -> Settings:
    return Settings(root=root, queries_dir=root / "queries", data_dir=root / "data")


def test_the_site_holds_a_manifest_without_timings(site: Path, build):
    write_tree(site / "queries/sales", {"none.sql": EMPTY_SQL})
    assert build(site).exit_code == 0
    manifest = json.loads((site / "build/revpages-manifest.json").read_text())
    csv = (site / "build/sales/pipeline.csv").read_bytes()
    assert manifest["reports"] == [
        {
            "id": "sales/none",
            "title": "None",
            "source": "queries/sales/none.sql",
            "page": "sales/none.md",
            "chart": "table",
            "rows": 0,
            "sha256": content_hash((site / "build/sales/none.csv").read_bytes()),
            "warnings": [
                "queries/sales/none.sql:4:1: RP410 the query returned no rows; the page "
                "shows an empty table. Hint: check the filters, or the data folder."
            ],
        },
        {
            "id": "sales/pipeline",
            "title": "Pipeline by stage",
            "source": "queries/sales/pipeline.sql",
            "page": "sales/pipeline.md",
            "chart": "bar",
            "rows": 3,
            "sha256": content_hash(csv),
            "warnings": [],
        },
    ]
    assert manifest["tables"] == {"deal_competitors": 4, "deals": 4}
    assert "seconds" not in json.dumps(manifest)


def test_build_manifest_option_writes_seconds(site: Path, build, tmp_path: Path):
    target = tmp_path / "out/manifest.json"
    target.parent.mkdir()
    result = build(site, "--quiet", "--manifest", str(target))
    assert result.exit_code == 0 and result.output == ""
    manifest = json.loads(target.read_text())
    report = manifest["reports"][0]
    assert report["id"] == "sales/pipeline" and report["rows"] == 3
    assert isinstance(report["seconds"], float) and manifest["query_seconds"] >= 0
    assert (report["cached"], manifest["queries_run"], manifest["queries_cached"]) == (False, 1, 0)
    assert set(manifest["step_seconds"]) == {
        "Loading data",
        "Running queries",
        "Rendering reports",
        "Writing pages",
    }
    # what "Loading data" spent: the first build parses, derives, checks and stores...
    assert set(manifest["load_seconds"]) == {"parse", "derive", "check", "store", "calendar"}
    assert build(site, "--quiet", "--manifest", str(target)).exit_code == 0
    assert json.loads(target.read_text())["load_seconds"] == {}  # ...the next reuses it


@pytest.mark.slow  # whole builds; make test runs it
def test_result_hash_changes_with_the_result_only(site: Path, build):
    assert build(site).exit_code == 0
    first = json.loads((site / "build/revpages-manifest.json").read_text())
    pipeline = site / "queries/sales/pipeline.sql"
    pipeline.write_text(pipeline.read_text().replace("description:", "description: New."))
    assert build(site).exit_code == 0
    second = json.loads((site / "build/revpages-manifest.json").read_text())
    assert first["reports"][0]["sha256"] == second["reports"][0]["sha256"]
    pipeline.write_text(
        pipeline.read_text().replace("from deals", "from deals where deal_id <> 'd1'")
    )
    assert build(site).exit_code == 0
    third = json.loads((site / "build/revpages-manifest.json").read_text())
    assert third["reports"][0]["sha256"] != second["reports"][0]["sha256"]


def test_summary_after_a_build(site: Path, build):
    write_tree(site / "queries/sales", {"none.sql": EMPTY_SQL})
    result = build(site)
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert "2 reports built, 3 result rows, 2 data tables." in lines
    assert any(line.startswith("Slowest queries: ") for line in lines)
    assert "1 warning:" in lines
    assert lines[-1].startswith("Site built in build/ in ")


def test_summary_lines_rank_the_slowest_queries(site: Path):
    write_tree(site / "queries/sales", {"none.sql": EMPTY_SQL})
    output = build_reports(settings_for(site))
    output.reports = [
        type(r)(r.query, r.rows, s, r.digest)
        for r, s in zip(output.reports, (0.5, 2.25), strict=True)
    ]
    lines = summary_lines(output, slowest=1)
    assert lines[1] == "Slowest queries: sales/pipeline 2.250 s."


def test_build_reports_tells_its_progress(site: Path):
    write_tree(site / "queries/sales", {"none.sql": EMPTY_SQL})
    progress = RecordingProgress()
    build_reports(settings_for(site), progress=progress)
    assert progress.calls == [
        ("step", "Loading data", "0"),
        ("step", "Running queries", "2"),
        ("item", "sales/none"),
        ("item", "sales/pipeline"),
        ("step", "Rendering reports", "2"),
        ("item", "sales/none"),
        ("item", "sales/pipeline"),
    ]


def test_progress_bar_shows_step_and_report():
    stream = io.StringIO()
    bar = RichProgress(Console(file=stream, force_terminal=True, width=100))
    bar.step("Running queries", 2)
    bar.item("sales/pipeline")
    bar._bar.refresh()
    bar.item("sales/win_rate")
    bar._bar.refresh()
    bar.finish()
    text = stream.getvalue()
    assert "Running queries" in text and "sales/pipeline" in text and "1/2" in text
