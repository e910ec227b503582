"""A build with nothing changed since the last one stops at once; any change builds."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from revpages.incremental import uptodate

UP_TO_DATE = "Nothing changed since the last build"


def site_files(site: Path) -> dict[str, int]:
    return {
        p.relative_to(site).as_posix(): p.stat().st_mtime_ns
        for p in (site / "build").rglob("*")
        if p.is_file()
    }


def test_a_build_with_nothing_changed_does_nothing(site: Path, build, tmp_path: Path):
    assert build(site).exit_code == 0
    before = site_files(site)
    result = build(site, "--manifest", str(tmp_path / "manifest.json"))
    assert result.exit_code == 0 and UP_TO_DATE in result.output
    assert site_files(site) == before  # not one file written
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert (manifest["up_to_date"], manifest["queries_run"]) == (True, 0)
    assert [r["id"] for r in manifest["reports"]] == ["sales/pipeline"]


def test_force_builds_anyway(site: Path, build):
    assert build(site).exit_code == 0
    result = build(site, "--force")
    assert result.exit_code == 0 and UP_TO_DATE not in result.output


@pytest.mark.slow  # several whole builds; make test runs it
def test_any_changed_input_builds(site: Path, build):
    assert build(site).exit_code == 0
    query = site / "queries/sales/pipeline.sql"
    query.write_text(query.read_text() + "\n-- edited\n")
    assert UP_TO_DATE not in build(site).output
    (site / "site_src/extra.md").write_text("# Extra\n")
    assert UP_TO_DATE not in build(site).output
    assert (site / "build/extra/index.html").is_file()
    assert UP_TO_DATE not in build(site, "--strict").output  # other options
    assert UP_TO_DATE in build(site, "--strict").output


def test_a_touched_site_is_built_again(site: Path, build):
    assert build(site).exit_code == 0
    (site / "build/index.html").unlink()
    assert UP_TO_DATE not in build(site).output
    assert (site / "build/index.html").is_file()


def test_no_cache_no_skipping(site: Path, build):
    config = site / "mkdocs.yml"
    config.write_text(config.read_text().replace("- revpages", "- revpages:\n    cache_dir: ''"))
    assert build(site).exit_code == 0
    assert UP_TO_DATE not in build(site).output


def test_the_key_follows_files_and_leaves_out_hidden_and_skipped_ones(tmp_path: Path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.md").write_text("a")

    def key() -> str:
        return uptodate.inputs_key([docs], skip=[docs / "out"], options={}, today=_DAY)

    first = key()
    (docs / ".hidden").write_text("x")
    (docs / "out").mkdir()
    (docs / "out/page.html").write_text("x")
    assert key() == first
    (docs / "a.md").write_text("b")
    assert key() != first


_DAY = date(2026, 11, 1)
