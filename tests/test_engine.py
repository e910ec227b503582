from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from revpages.errors import DataLoadError, SQLError
from revpages.reports.engine import Engine
from revpages.reports.queryfile import parse_query_file
from revpages.reports.sandbox import DENIED_FUNCTIONS, DENIED_PREFIXES, DENIED_SCHEMAS
from revpages.settings import EngineOptions
from tests.conftest import DEALS_CSV, write_tree


def query(sql: str, front: str = "title: T"):
    return parse_query_file(
        f"/*\n{front}\n*/\n{sql}", path="queries/s/q.sql", section="s", name="q"
    )


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory):
    """One loaded engine for the tests of this module: they only run queries on it."""
    tmp_path = tmp_path_factory.mktemp("engine")
    write_tree(
        tmp_path / "data",
        {
            "deals.csv": DEALS_CSV,
            "notes.csv": "id,noted_at\n1,2024-01-01 00:00:00\n2,2026-06-30 12:00:00\n",
        },
    )
    engine = Engine()
    engine.load(tmp_path / "data")
    yield engine
    engine.close()


def test_each_file_becomes_a_table(engine: Engine):
    assert {t.name: t.rows for t in engine.tables} == {"deals": 4, "notes": 2}


def test_run_fetches_the_whole_result_with_types(engine: Engine):
    result = engine.run(
        query("select stage, sum(amount) as amount from deals group by stage order by stage")
    )
    assert result.columns == ("stage", "amount")
    assert result.types[0] == "VARCHAR"
    assert result.rows[0] == ("closed_lost", 2000)
    assert result.tables == frozenset({"deals"})


def test_freshness_uses_the_contract_event_column(engine: Engine):
    # deals.closed_at holds a later, planned date; created_at is when rows happened.
    assert engine.freshness(frozenset({"deals"})) == datetime(2025, 3, 20, 9, 30)
    assert engine.freshness(frozenset({"notes"})) == datetime(2026, 6, 30, 12, 0)
    assert engine.freshness() == datetime(2026, 6, 30, 12, 0)


def test_tables_read_through_ctes_and_joins(engine: Engine):
    result = engine.run(
        query("with d as (select * from deals) select count(*) from d join notes on true")
    )
    assert result.tables == frozenset({"deals", "notes"})


def test_syntax_error_points_at_file_line_and_column(engine: Engine):
    with pytest.raises(SQLError) as caught:
        engine.run(query("select stage\nfrom deals\nwher amount > 1"))
    error = caught.value
    assert (error.line, error.column) == (6, 6)
    assert error.message().startswith("queries/s/q.sql:6:6: RP401 Parser error: syntax error")


def test_unknown_column_suggests_a_real_one(engine: Engine):
    with pytest.raises(SQLError) as caught:
        engine.run(query("select stage,\n  sum(amout) as amount\nfrom deals group by 1"))
    assert (caught.value.line, caught.value.column) == (5, 7)
    assert 'Referenced column "amout" not found' in caught.value.text
    assert "'amount'" in caught.value.hint


def test_unknown_table_explains_table_names(engine: Engine):
    with pytest.raises(SQLError, match="Catalog error") as caught:
        engine.run(query("select * from leeds"))
    assert "data/deals.csv -> deals" in caught.value.hint or "Did you mean" in caught.value.hint


@pytest.mark.parametrize(
    "sql",
    [
        "select 1; select 2",
        "create table x as select 1",
        "copy deals to 'out.csv'",
        "attach 'other.db'",
        "install httpfs",
        "pragma version",
        "set threads = 1",
        "load httpfs",
        "call pragma_version()",
        "export database 'out'",
        "detach memory",
        "with x as (select 1) insert into deals select * from deals",
        "select * from query('drop table deals')",
        "select * from query('set lock_configuration = false')",
    ],
)
def test_only_single_selects_run(engine: Engine, sql: str):
    with pytest.raises(SQLError) as caught:
        engine.run(query(sql))
    assert caught.value.line == 4
    assert engine.run(query("select count(*) as n from deals")).rows == [(4,)]


@pytest.mark.parametrize(
    "sql",
    [
        "select * from read_csv('{secret}')",
        "select * from read_text('/etc/passwd')",
        "select * from read_blob('/etc/hostname')",
        "select * from glob('/etc/*')",
        "select * from sniff_csv('{secret}')",
        "select * from read_parquet('http://127.0.0.1:9/x.parquet')",
        "select getenv('HOME')",
    ],
)
def test_queries_cannot_read_files_or_the_environment(engine: Engine, tmp_path: Path, sql: str):
    secret = tmp_path / "secret.csv"
    secret.write_text("password\nhunter2\n")
    with pytest.raises(SQLError) as caught:
        engine.run(query(sql.format(secret=secret)))
    assert caught.value.line == 4 and "hunter2" not in caught.value.message()


def test_empty_data_folder_is_a_clear_error(tmp_path: Path):
    (tmp_path / "data").mkdir()
    with pytest.raises(DataLoadError, match="no CSV, Excel or Parquet files") as caught:
        Engine().load(tmp_path / "data")
    assert "revpages sample-data" in caught.value.hint


def test_two_files_for_one_table_are_refused(tmp_path: Path):
    write_tree(tmp_path / "data", {"deals.csv": DEALS_CSV, "Deals.tsv": DEALS_CSV})
    with pytest.raises(DataLoadError, match="would both become table 'deals'"):
        Engine().load(tmp_path / "data")


def test_a_slow_query_is_stopped_at_the_time_limit(tmp_path: Path):
    write_tree(tmp_path / "data", {"deals.csv": DEALS_CSV})
    engine = Engine(EngineOptions(query_timeout=0.5))
    engine.load(tmp_path / "data")
    with pytest.raises(SQLError, match=r"ran longer than the limit of 0\.5 s") as caught:
        engine.run(query("select count(*) from range(100000000) a, range(100000) b"))
    assert "query_timeout" in caught.value.hint
    # the connection is usable again after the interrupt
    assert engine.run(query("select count(*) as n from deals")).rows == [(4,)]
    engine.close()


def test_a_query_over_the_memory_limit_says_what_to_do(tmp_path: Path):
    write_tree(tmp_path / "data", {"deals.csv": DEALS_CSV})
    engine = Engine(EngineOptions(memory_limit="64MB", threads=1))
    engine.load(tmp_path / "data")
    with pytest.raises(SQLError, match="Out of Memory error") as caught:
        engine.run(query("select list(range) from range(100000000)"))
    assert "duckdb_memory_limit" in caught.value.hint
    engine.close()


def test_source_date_epoch_sets_the_reference_time(tmp_path: Path, monkeypatch):
    # 2025-02-01: deals created later than that are "in the future" for this build: kept,
    # their created_at flagged
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1738368000")
    write_tree(tmp_path / "data", {"deals.csv": DEALS_CSV})
    engine = Engine()
    engine.load(tmp_path / "data")
    assert engine.con.execute("SELECT count(*) FROM revpages_rejects").fetchone()[0] == 0
    flagged = engine.con.execute(
        "SELECT reason, count(*) FROM revpages_flags GROUP BY reason ORDER BY reason"
    ).fetchall()
    assert flagged == [
        ("closed_at is after the as-of date 2025-02-01 (in the future)", 2),  # closed deals
        ("created_at is after the as-of date 2025-02-01 (in the future)", 3),
    ]
    engine.close()


@pytest.mark.parametrize(
    "sql, name",
    [
        ("select value from duckdb_settings() where name = 'temp_directory'", "duckdb_settings"),
        ("select current_setting('temp_directory') as dir", "current_setting"),
        ("select lower(current_setting('allowed_directories')::varchar) as d", "current_setting"),
        ("select * from pragma_database_list", "pragma_database_list"),
        ("select * from pragma_show('deals')", "pragma_show"),
        ("select sql from duckdb_views()", "duckdb_views"),
        ("select view_definition from information_schema.views", "information_schema.views"),
        ("select * from pg_settings", "pg_settings"),
        ("select * from main.duckdb_databases", "duckdb_databases"),
        ("select * from query('select * from duckdb_settings()')", "query"),
        ("with s as (select * from duckdb_temporary_files()) select * from s", "duckdb_"),
        ("select * from glob('*')", "glob"),
    ],
)
def test_settings_catalogue_and_sql_from_strings_are_denied(engine: Engine, sql: str, name: str):
    query = parse_query_file(f"/* title: T */\n{sql}", path="q.sql", section="s", name="q")
    with pytest.raises(SQLError) as caught:
        engine.run(query)
    assert caught.value.code == "RP413" and f"'{name}" in caught.value.text
    assert caught.value.line == 2


def test_a_data_table_may_share_a_catalogue_view_name(tmp_path: Path):
    write_tree(tmp_path / "data", {"tables.csv": "n\n1\n"})
    engine = Engine()
    engine.load(tmp_path / "data")
    query = parse_query_file(
        "/* title: T */ select n from tables", path="q.sql", section="s", name="q"
    )
    assert engine.run(query).rows == [(1,)]
    engine.close()


def test_the_guide_lists_what_the_sandbox_denies():
    guide = (Path(__file__).resolve().parents[1] / "site_src/guide/queries.md").read_text()
    for name in (*DENIED_FUNCTIONS, *DENIED_PREFIXES, *DENIED_SCHEMAS):
        assert f"`{name}" in guide, f"guide/queries.md does not list '{name}'"
