"""`revpages check`: every query planned against empty contract tables, no data loaded."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from revpages.commands.check import check_project, create_empty_tables
from revpages.contract import TABLES
from revpages.reports.engine import Engine
from revpages.settings import EngineOptions, Settings
from tests.conftest import write_tree


def check(site: Path, monkeypatch: pytest.MonkeyPatch):
    from revpages.commands.cli import cli

    monkeypatch.chdir(site)
    return CliRunner().invoke(cli, ["check"], catch_exceptions=False)


def settings_for(root: Path) -> Settings:
    return Settings(root=root, queries_dir=root / "queries", data_dir=root / "data")


def test_a_good_site_passes(site: Path, monkeypatch):
    result = check(site, monkeypatch)
    assert result.exit_code == 0, result.output
    assert "1 query files and 1 pages checked in" in result.output
    assert result.output.rstrip().endswith("no problems.")


def test_every_problem_is_printed_with_its_location(site: Path, monkeypatch):
    write_tree(
        site / "queries/sales",
        {
            "a_key.sql": "/*\ntitle: A\ncahrt: bar\n*/\nselect 1",
            "b_sql.sql": "/*\ntitle: B\n*/\nselect stage,\n  sum(amout) from deals group by 1",
            "c_column.sql": "/*\ntitle: C\nchart: bar\nx: stage\ny: amount\n*/\n"
            "select stage, sum(amount) as total from deals group by 1",
            "d_numeric.sql": "/*\ntitle: D\nchart: line\n*/\nselect stage, owner from deals",
        },
    )
    write_tree(site / "site_src", {"story.md": "# Story\n\nText.\n\n[[chart sales/pipelin]]\n"})
    result = check(site, monkeypatch)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[:5] == [
        "queries/sales/a_key.sql:3:1: RP210 unknown front-matter key 'cahrt'. "
        "Hint: Did you mean 'chart'?",
        'queries/sales/b_sql.sql:5:7: RP402 Binder error: Referenced column "amout" not found in '
        "FROM clause. Hint: Did you mean 'amount' or 'account_id' or 'product'?",
        "queries/sales/c_column.sql:5:1: RP301 'y' names the column 'amount', which the query does "
        "not return. Hint: the query returns stage, total.",
        "queries/sales/d_numeric.sql:1:1: RP302 the chart has no numeric column to draw. "
        "Hint: name the value column with 'y: column'.",
        "site_src/story.md:5:9: RP603 unknown report 'sales/pipelin' in '[[chart sales/pipelin]]'. "
        "Hint: Did you mean 'sales/pipeline'?",
    ]
    assert lines[-1].endswith("5 problems.")


def test_check_uses_the_contract_not_the_data(site: Path):
    # No data at all, yet queries on contract columns the fixture CSV lacks are fine.
    shutil.rmtree(site / "data")
    write_tree(
        site / "queries/sales",
        {
            "margin.sql": "/*\ntitle: Margin\nchart: kpi\n*/\n"
            "select sum(margin) as margin from deals"
        },
    )
    result = check_project(settings_for(site))
    assert result.errors == []
    assert [q.report_id for q in result.queries] == ["sales/margin", "sales/pipeline"]


def test_other_exports_are_planned_from_their_header(site: Path):
    # Not a contract table: its columns come from the file's header.
    write_tree(site / "data", {"board_goals.csv": "quarter,target\n2025-Q1,100000\n"})
    write_tree(
        site / "queries/sales",
        {
            "board_goals.sql": "/*\ntitle: Board goals\nchart: bar\n"
            "x: quarter\ny: target\n*/\nselect * from board_goals"
        },
    )
    assert check_project(settings_for(site)).errors == []


def test_check_does_not_load_the_data(site: Path):
    # A contract export with a million rows: check reads none of them.
    rows = "".join(
        f"d{i},a1,2025-01-03 10:00:00,,proposal,1,false,false,A,B\n" for i in range(200_000)
    )
    (site / "data/deals.csv").write_text((site / "data/deals.csv").read_text() + rows)
    started = time.perf_counter()
    result = check_project(settings_for(site))
    assert result.errors == []
    assert time.perf_counter() - started < 2.0


def test_queries_stay_sandboxed(site: Path):
    write_tree(
        site / "queries/sales",
        {"leak.sql": "/*\ntitle: Leak\n*/\nselect * from read_text('/etc/passwd')"},
    )
    errors = check_project(settings_for(site)).errors
    assert len(errors) == 1 and errors[0].path == "queries/sales/leak.sql"
    assert errors[0].code == "RP413"  # denied before DuckDB's own lock-down (RP407) is tried


def test_empty_tables_have_the_contract_columns_and_types():
    engine = Engine()
    try:
        create_empty_tables(engine)
        for table in TABLES:
            described = engine.con.execute(
                "SELECT column_name, data_type FROM information_schema.columns "
                "WHERE table_name = $1 ORDER BY ordinal_position",
                [table.name],
            ).fetchall()
            assert described == [(c.name, c.type) for c in table.loaded_columns], table.name
            assert engine.con.table(table.name).shape[0] == 0
    finally:
        engine.close()


def test_excel_exports_are_planned_from_their_header(site: Path):
    import duckdb

    from revpages.ingest.files import load_excel_extension

    writer = duckdb.connect()
    load_excel_extension(writer)
    target = site / "data" / "board_goals.xlsx"
    writer.execute(
        f"COPY (SELECT '2025-Q1' AS quarter, 100000 AS target) TO '{target}' "
        "(FORMAT xlsx, HEADER true)"
    )
    write_tree(
        site / "queries/sales",
        {
            "board_goals.sql": "/*\ntitle: Board goals\nchart: bar\n"
            "x: quarter\ny: target\n*/\nselect * from board_goals"
        },
    )
    assert check_project(settings_for(site)).errors == []


def test_crm_export_files_do_not_become_tables(site: Path):
    from revpages.settings import DataOptions

    write_tree(site / "data", {"contacts.csv": "hs_object_id,createdate\n1,2025-01-01\n"})
    write_tree(site / "queries/sales", {"raw.sql": "/* title: Raw */ select * from contacts"})
    settings = Settings(
        root=site,
        queries_dir=site / "queries",
        data_dir=site / "data",
        engine=EngineOptions(data=DataOptions.of("hubspot")),
    )
    errors = check_project(settings).errors
    assert [e.path for e in errors] == ["queries/sales/raw.sql"]
    assert "contacts" in errors[0].text


def test_check_validates_the_judgement_keys_and_chart_kinds(site: Path, monkeypatch):
    """Without data: a misspelt kind, a key the kind does not draw, a column of the wrong
    type and a missing column, each at its key with a hint."""
    sql = "select source, count(*) as deals, avg(is_won::int) as win_rate from deals group by 1"
    write_tree(
        site / "queries/sales",
        {
            "a_kind.sql": f"/*\ntitle: A\nchart: horizontal_bars\n*/\n{sql}",
            "b_heatmap.sql": f"/*\ntitle: B\nchart: heatmap\ny: win_rate\n*/\n{sql}",
            "c_flag.sql": "/*\ntitle: C\nchart: horizontal_bar\nx: source\ny: win_rate\n"
            f"highlight: source\n*/\n{sql}",
            "d_error.sql": "/*\ntitle: D\nchart: horizontal_bar\nx: source\ny: win_rate\n"
            f"n: deals\nerror: [win_rate_low, win_rate_high]\n*/\n{sql}",
        },
    )
    result = check(site, monkeypatch)
    assert result.exit_code == 1
    assert result.output.splitlines()[:4] == [
        "queries/sales/a_kind.sql:3:1: RP211 the value 'horizontal_bars' of 'chart' is invalid: "
        "expected one of kpi, line, bar, horizontal_bar, stacked_bar, area, scatter, dumbbell, "
        "heatmap, funnel, paths, table. Hint: Did you mean 'horizontal_bar'?",
        "queries/sales/b_heatmap.sql:3:1: RP315 a heatmap draws the grid of 'pivot', which the "
        "front matter does not set. Hint: add 'pivot: {rows: model, columns: channel, values: "
        "share}'.",
        "queries/sales/c_flag.sql:6:1: RP314 'highlight' names the column 'source', which holds "
        "VARCHAR values; it needs true/false values. Hint: cast the column in SQL, or name "
        "another one.",
        "queries/sales/d_error.sql:7:1: RP301 'error' names the column 'win_rate_low', which the "
        "query does not return. Hint: Did you mean 'win_rate'?",
    ]
