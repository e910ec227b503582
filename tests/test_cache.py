"""The serve cache: a saved query re-runs that query only; changed data reloads everything."""

from __future__ import annotations

import os
from pathlib import Path

from revpages.cache import CachedEngine, data_fingerprint, result_key
from revpages.project import build_reports
from revpages.settings import Settings
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
            (f.path, f.content) for f in second.files]
        write_tree(site / "queries/sales", {"count.sql": COUNT_SQL.replace("count(*)",
                                                                            "count(deal_id)")})
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
        deals.write_text(DEALS_CSV + "d9,a9,2025-04-01 10:00:00,2025-05-01,closed_won,700,true,"
                         "true,Avery Chen,email\n")
        output = build_reports(settings_for(site), engine=engine)
        assert stats(engine) == (1, 1, 0)
        assert engine.stats.describe() == "data loaded, 1 query run, 0 from cache"
        assert output.tables["deals"] == 5
    finally:
        engine.shutdown()


def test_the_fingerprint_sees_size_and_mtime(site: Path):
    before = data_fingerprint(site / "data")
    deals = site / "data/deals.csv"
    stat = deals.stat()
    os.utime(deals, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1))
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
