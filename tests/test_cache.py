"""Result caches: a saved or unchanged query does not run again; changed data runs all."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

import revpages.incremental.results
from revpages.incremental import datastore
from revpages.incremental.results import data_fingerprint, result_key, stored_key
from revpages.pipeline import build_reports
from revpages.reports.engine import Engine
from revpages.reports.queryfile import parse_query_file
from revpages.reports.session import CachedEngine
from revpages.settings import EngineOptions, Settings
from tests.conftest import DEALS_CSV, write_tree

COUNT_SQL = "/*\ntitle: Deal count\n*/\nselect count(*) as deals from deals"


def settings_for(root: Path) -> Settings:
    return Settings(root=root, queries_dir=root / "queries", data_dir=root / "data")


def stats(engine: CachedEngine) -> tuple[int, int, int]:
    return engine.stats.loads, engine.stats.runs, engine.stats.hits


def test_only_the_changed_query_runs_again(site: Path):
    write_tree(site / "queries/sales", {"count.sql": COUNT_SQL})
    engine = CachedEngine()
    try:
        first = build_reports(settings_for(site), engine=engine)
        assert stats(engine) == (1, 2, 0)
        second = build_reports(settings_for(site), engine=engine)
        assert stats(engine) == (0, 0, 2)
        assert [(f.path, f.content) for f in first.files] == [
            (f.path, f.content) for f in second.files
        ]
        write_tree(
            site / "queries/sales", {"count.sql": COUNT_SQL.replace("count(*)", "count(deal_id)")}
        )
        build_reports(settings_for(site), engine=engine)
        assert stats(engine) == (0, 1, 1)
        assert engine.stats.describe() == "1 query run, 1 from cache"
    finally:
        engine.shutdown()


def test_changed_data_reloads_and_reruns(site: Path):
    engine = CachedEngine()
    try:
        build_reports(settings_for(site), engine=engine)
        deals = site / "data/deals.csv"
        deals.write_text(
            DEALS_CSV + "d9,a9,2025-04-01 10:00:00,2025-05-01,closed_won,700,true,"
            "true,Avery Chen,email\n"
        )
        output = build_reports(settings_for(site), engine=engine)
        assert stats(engine) == (1, 1, 0)
        assert engine.stats.describe() == "data loaded, 1 query run, 0 from cache"
        assert output.tables["deals"] == 5
    finally:
        engine.shutdown()


def test_the_fingerprint_sees_content_not_dates(site: Path):
    before = data_fingerprint(site / "data")
    deals = site / "data/deals.csv"
    stat = deals.stat()
    os.utime(deals, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    assert data_fingerprint(site / "data") == before  # touched, same bytes: same data
    deals.write_text(deals.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    after = data_fingerprint(site / "data")
    assert before != after
    assert result_key("select 1", before) != result_key("select 1", after)
    assert result_key("select 1", before) != result_key("select 2", before)


def test_unused_results_are_dropped_after_one_build(site: Path):
    write_tree(site / "queries/sales", {"count.sql": COUNT_SQL})
    engine = CachedEngine()
    try:
        build_reports(settings_for(site), engine=engine)
        (site / "queries/sales/count.sql").unlink()
        build_reports(settings_for(site), engine=engine)
        build_reports(settings_for(site), engine=engine)
        write_tree(site / "queries/sales", {"count.sql": COUNT_SQL})
        build_reports(settings_for(site), engine=engine)
        assert stats(engine) == (0, 1, 1)
    finally:
        engine.shutdown()


# The on-disk result store: every `revpages build` reuses results across processes.

PIPELINE = "queries/sales/pipeline.sql"


def manifest_of(site: Path, build, *args: str) -> dict:
    target = site / "manifest.json"
    result = build(site, "--quiet", "--manifest", str(target), *args)
    assert result.exit_code == 0, result.output
    return json.loads(target.read_text())


def ran(manifest: dict) -> list[str]:
    return [r["id"] for r in manifest["reports"] if not r["cached"]]


def site_files(site: Path) -> dict[str, bytes]:
    return {
        p.relative_to(site / "build").as_posix(): p.read_bytes()
        for p in sorted((site / "build").rglob("*"))
        if p.is_file()
    }


def test_a_second_build_runs_no_query_and_publishes_the_same_site(site: Path, build):
    write_tree(site / "queries/sales", {"count.sql": COUNT_SQL})
    first = manifest_of(site, build)
    assert (first["queries_run"], first["queries_cached"]) == (2, 0)
    published = site_files(site)
    second = manifest_of(site, build)
    assert (second["queries_run"], second["queries_cached"]) == (0, 2)
    assert ran(second) == []
    assert site_files(site) == published


def test_editing_one_query_file_runs_that_query_only(site: Path, build):
    write_tree(site / "queries/sales", {"count.sql": COUNT_SQL})
    manifest_of(site, build)
    path = site / PIPELINE
    path.write_text(path.read_text().replace("from deals", "from deals where amount > 1000"))
    assert ran(manifest_of(site, build)) == ["sales/pipeline"]
    # Front matter is not part of the result: a new title re-renders, but runs nothing.
    path.write_text(path.read_text().replace("title: Pipeline by stage", "title: Pipeline"))
    assert ran(manifest_of(site, build)) == []


def test_a_changed_data_file_runs_every_query_again(site: Path, build):
    write_tree(site / "queries/sales", {"count.sql": COUNT_SQL})
    manifest_of(site, build)
    (site / "data/deals.csv").write_text(
        DEALS_CSV + "d9,a9,2025-04-01 10:00:00,2025-05-01,"
        "closed_won,700,true,true,Avery Chen,email\n"
    )
    again = manifest_of(site, build)
    assert ran(again) == ["sales/count", "sales/pipeline"]
    assert "5" in (site / "build/sales/count.csv").read_text()


@pytest.mark.slow  # several whole builds; make test runs it
def test_results_of_data_no_longer_cached_are_deleted(site: Path, build):
    manifest_of(site, build)
    results = site / ".cache/revpages/results"
    (site / "data/deals.csv").write_text(DEALS_CSV.replace("1000", "1100"))
    manifest_of(site, build)
    (site / "data/deals.csv").write_text(DEALS_CSV.replace("1000", "1200"))
    manifest_of(site, build)
    databases = datastore.cached_keys(site / ".cache/revpages")
    assert len(databases) == datastore.KEEP
    assert {p.name for p in results.iterdir()} == databases


def stored_engine(tmp_path: Path) -> Engine:
    write_tree(tmp_path / "data", {"deals.csv": DEALS_CSV})
    engine = Engine(EngineOptions(cache_dir=tmp_path / "cache"))
    engine.load(tmp_path / "data")
    return engine


TYPES_SQL = """select
    sum(amount) as total, 12345678901234567890123::hugeint as huge, 7::uhugeint as uhuge,
    count(*) as n, avg(amount)::double as mean, 0.1::float as f, 'nan'::double as nan,
    1.5::decimal(4, 1) as d, 'x' as s, null::varchar as missing, true as b,
    date '2025-01-02' as day, timestamp '2025-01-02 03:04:05.123456' as ts,
    timestamp_ns '2025-01-02 03:04:05.123456789' as ts_ns, time '01:02:03' as t,
    interval '1 month 2 days' as iv, uuid '6f1c1b3e-8d0b-4b8e-9a6f-1d2c3b4a5f6e' as id,
    'ab'::blob as bytes, 'a'::enum('a', 'b') as e, [1, 2] as l, {'k': 1, 'v': [2.5]} as st,
    map {'k': 1} as m, list(stage order by stage) as stages, 1 as dup, 2 as dup
from deals"""


def query(sql: str):
    return parse_query_file(
        f"/*\ntitle: T\n*/\n{sql}", path="queries/s/q.sql", section="s", name="q"
    )


def test_stored_results_are_exact(tmp_path: Path):
    plain = Engine()
    plain.load(write_data(tmp_path / "plain"))
    engine = stored_engine(tmp_path)
    try:
        expected = plain.run(query(TYPES_SQL))
        first, second = engine.run(query(TYPES_SQL)), engine.run(query(TYPES_SQL))
        assert (first.cached, second.cached) == (False, True)
        for result in (first, second):
            assert (result.columns, result.types) == (expected.columns, expected.types)
            assert repr(result.rows) == repr(expected.rows)  # same values, same Python types
            assert result.tables == expected.tables
    finally:
        plain.close()
        engine.close()


def write_data(folder: Path) -> Path:
    write_tree(folder, {"deals.csv": DEALS_CSV})
    return folder


def test_types_parquet_cannot_hold_exactly_are_run_every_time(tmp_path: Path):
    engine = stored_engine(tmp_path)
    try:
        sql = "select [1, 2]::integer[2] as pair, union_value(k := 1) as u"
        first, second = engine.run(query(sql)), engine.run(query(sql))
        assert first.rows == second.rows == [((1, 2), 1)]
        assert (second.cached, engine.stats.runs) == (False, 2)
    finally:
        engine.close()


def test_a_damaged_result_is_run_again(tmp_path: Path):
    engine = stored_engine(tmp_path)
    try:
        engine.run(query("select count(*) as n from deals"))
        for stored in engine.results.folder.glob("*.parquet"):
            stored.write_bytes(b"not parquet")
        assert engine.run(query("select count(*) as n from deals")).rows == [(4,)]
        assert (engine.stats.runs, engine.stats.hits) == (2, 0)
        assert engine.run(query("select count(*) as n from deals")).cached
    finally:
        engine.close()


def test_the_store_keeps_the_most_recently_used_results(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(revpages.incremental.results, "MAX_RESULTS", 2)
    engine = stored_engine(tmp_path)
    try:
        for n in (1, 2, 3):
            engine.run(query(f"select {n} as n"))
            time.sleep(0.01)  # distinct modification times
        assert len(list(engine.results.folder.glob("*.json"))) == 2
        assert not engine.run(query("select 1 as n")).cached  # the oldest went
        assert engine.run(query("select 3 as n")).cached
    finally:
        engine.close()


def test_the_store_key_covers_sql_parameters_and_data():
    key = stored_key("select 1", data_key="a")
    assert key != stored_key("select 2", data_key="a")
    assert key != stored_key("select 1", data_key="b")
    assert key != stored_key("select 1", data_key="a", params={"competitor": "Acme"})
    assert key == stored_key("select 1", data_key="a", params={})


def test_a_restarted_preview_reads_the_results_of_earlier_builds(site: Path):
    settings = Settings(
        root=site,
        queries_dir=site / "queries",
        data_dir=site / "data",
        engine=EngineOptions(cache_dir=site / ".cache/revpages"),
    )
    for expected in ((1, 1, 0), (1, 0, 1)):  # a new server each time: data loads again
        engine = CachedEngine(settings.engine)
        try:
            build_reports(settings, engine=engine)
            assert stats(engine) == expected
        finally:
            engine.shutdown()


@pytest.mark.parametrize("part", ["parquet", "json"])
def test_a_result_changed_by_one_byte_is_never_read_back(tmp_path: Path, part: str):
    """Found by the soak test: a stored result whose bytes changed but still read is run
    again, not published."""
    engine = stored_engine(tmp_path)
    try:
        engine.run(query("select stage, sum(amount) as amount from deals group by all"))
        for stored in engine.results.folder.glob(f"*.{part}"):
            data = stored.read_bytes()
            if part == "json":
                data = data.replace(b"amount", b"amounT")  # still JSON
            else:
                at = len(data) // 2
                data = data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1 :]
            stored.write_bytes(data)
        again = engine.run(query("select stage, sum(amount) as amount from deals group by all"))
        assert not again.cached and again.columns == ("stage", "amount")
    finally:
        engine.close()
