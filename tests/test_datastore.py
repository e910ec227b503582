"""Unchanged exports are parsed once: later builds reuse the loaded database."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

import revpages.reports.engine
from revpages.incremental import datastore
from revpages.reports.engine import Engine
from revpages.settings import EngineOptions
from tests.conftest import DEALS_CSV, write_tree


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every call of the real export parser, by data folder."""
    calls: list[Path] = []
    real = revpages.reports.engine.load_data_dir

    def counting(con, data_dir, **kwargs):
        calls.append(data_dir)
        return real(con, data_dir, **kwargs)

    monkeypatch.setattr(revpages.reports.engine, "load_data_dir", counting)
    return calls


def test_second_build_does_not_parse_unchanged_exports(site: Path, build, parses):
    assert build(site).exit_code == 0
    first = (site / "build/sales/pipeline.csv").read_text()
    assert build(site).exit_code == 0
    assert len(parses) == 1
    assert (site / "build/sales/pipeline.csv").read_text() == first
    assert (site / "build/data-quality/index.html").exists()


def test_a_changed_export_is_parsed_again(site: Path, build, parses):
    assert build(site).exit_code == 0
    extra = "d9,a9,2025-04-01 10:00:00,2025-05-01,closed_won,700,true,true,Avery Chen,email\n"
    (site / "data/deals.csv").write_text(DEALS_CSV + extra)
    assert build(site).exit_code == 0
    assert len(parses) == 2
    assert "closed_won,5700.00" in (site / "build/sales/pipeline.csv").read_text()
    # the previous store is kept as a fallback, older ones are pruned
    assert len(datastore.cached_keys(site / ".cache/revpages")) == 2


def test_engine_reuses_and_restores_metadata(tmp_path: Path):
    write_tree(tmp_path / "data", {"deals.csv": DEALS_CSV})
    first = Engine(EngineOptions(cache_dir=tmp_path / "cache"))
    tables = first.load(tmp_path / "data")
    first.close()
    second = Engine(EngineOptions(cache_dir=tmp_path / "cache"))
    assert second.load(tmp_path / "data") == tables
    assert (first.parsed, second.parsed) == (True, False)
    assert second.quality.files[0].table.rows_read == 4
    second.close()


def test_an_interrupted_save_is_never_used(tmp_path: Path):
    """A build killed while writing leaves only a '.partial' folder, which is never read."""
    write_tree(tmp_path / "data", {"deals.csv": DEALS_CSV})
    cache = tmp_path / "cache"
    cache.mkdir()
    now = datetime(2026, 11, 1)
    key = datastore.fingerprint(tmp_path / "data", today=now.date(), options={})
    partial = datastore.store_path(cache, key).with_name(f"data-{key}.partial")
    partial.mkdir()
    (partial / "t0.parquet").write_text("half a file")
    engine = Engine(EngineOptions(cache_dir=cache))
    engine.load(tmp_path / "data", now=now)
    assert engine.parsed
    assert engine.con.execute("SELECT count(*) FROM deals").fetchone() == (4,)
    engine.close()
    assert datastore.cached_keys(cache) == {key}
