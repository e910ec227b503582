"""Unchanged exports are parsed once: later builds reuse the loaded database."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import pytest

import revpages.reports.engine
from revpages.error_codes import CODES
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


def _store(site: Path) -> Path:
    (store,) = datastore._stores(site / ".cache/revpages")
    return store


def _truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def _flip_a_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))


DAMAGE = {
    "a truncated table": lambda store: _truncate(store / "t0.parquet"),
    "a flipped byte": lambda store: _flip_a_byte(max(store.glob("*.parquet"), key=_size)),
    "a deleted table": lambda store: (store / "t1.parquet").unlink(),
    "a bad tables.json": lambda store: (store / datastore.INDEX).write_text("{not json"),
    "a tables.json of another shape": lambda store: (store / datastore.INDEX).write_text("[1]"),
    "a tables.json changed but still JSON": lambda store: (store / datastore.INDEX).write_text(
        (store / datastore.INDEX).read_text().replace("deal_id", "deal_iD")
    ),
}


def _size(path: Path) -> int:
    return path.stat().st_size


@pytest.mark.slow  # a whole build each; make test runs it
@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_a_damaged_store_is_discarded_with_one_line_and_rebuilt(
    site: Path, build, parses, damage: str
):
    assert build(site).exit_code == 0
    good = (site / "build/sales/pipeline.csv").read_text()
    DAMAGE[damage](_store(site))
    result = build(site, "--force", "--strict")
    assert result.exit_code == 0, result.output
    notices = [line for line in result.output.splitlines() if "RP707" in line]
    assert len(notices) == 1 and notices[0].startswith("warning: .cache/revpages/data-")
    if damage == "a truncated table":
        masked = re.sub(r"data-[0-9a-f]+", "data-KEY", notices[0].removeprefix("warning: "))
        assert masked == re.sub(r"data-[0-9a-f]+", "data-KEY", CODES["RP707"].example)
    assert "Traceback" not in result.output
    assert len(parses) == 2 and (site / "build/sales/pipeline.csv").read_text() == good
    again = build(site, "--force")
    assert again.exit_code == 0 and "RP707" not in again.output and len(parses) == 2


def _garble_code(path: Path) -> None:
    """One byte changed in the middle of the compiled code (found by the soak test: the
    code still loads, and runs as broken code)."""
    _flip_a_byte(path)


@pytest.mark.parametrize("damage", ["truncated", "garbled"])
def test_a_damaged_template_bytecode_is_discarded_and_rebuilt(site: Path, build, damage: str):
    assert build(site).exit_code == 0
    cached = sorted((site / ".cache/revpages/templates").iterdir())
    assert cached
    for path in cached:
        if damage == "truncated":
            path.write_bytes(path.read_bytes()[:30])
        else:
            _garble_code(path)
    result = build(site, "--force", "--strict")
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    assert sum("RP707" in line for line in result.output.splitlines()) == 1
    assert build(site, "--force").exit_code == 0


def test_damaged_build_records_are_ignored(site: Path, build):
    assert build(site).exit_code == 0
    for name in ("digests.json", "last-build.json"):
        (site / ".cache/revpages" / name).write_text('{"half')
    result = build(site)
    assert result.exit_code == 0, result.output
    assert (site / "build/sales/pipeline.csv").is_file()
