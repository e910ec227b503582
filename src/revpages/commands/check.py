"""``revpages check``: every query planned against the data contract, without the data.

Each contract table is created EMPTY, with the contract's columns and types, in an
in-memory DuckDB (other export files in the data folder become empty tables with the
columns DuckDB detects from their first lines), and the shared models of
``queries/_models`` become views over them. Then every query runs through the
same ``Engine`` as a build, so SQL errors are located the same way, and the front
matter is checked against the columns the query returns. Nothing is loaded: it takes
a fraction of a second however large the exports are.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

import duckdb

from revpages.contract import TABLES, TABLES_BY_NAME
from revpages.derive.attribution import derive_tables
from revpages.errors import RevpagesError
from revpages.ingest.conform import install_readers
from revpages.ingest.data_dir import create_empty_table
from revpages.ingest.files import data_files, load_excel_extension, table_name_for, unreadable
from revpages.pages.charts import build_figure, check_columns
from revpages.pages.glossary import check_glossary, load_glossary
from revpages.pages.narrative import check_pages
from revpages.pages.palette import ColorMap
from revpages.pipeline import discover_models, discover_queries
from revpages.reports.engine import Engine
from revpages.reports.parameters import check_compare, own_parameters
from revpages.reports.queryfile import QueryFile
from revpages.reports.result import QueryResult
from revpages.settings import Settings
from revpages.sql import quote

_NO_ROWS = "SELECT 1 WHERE false"


@dataclass
class CheckResult:
    """What ``check_project`` looked at and every problem it found, in file order."""

    queries: list[QueryFile] = field(default_factory=list)
    pages: int = 0
    errors: list[RevpagesError] = field(default_factory=list)
    seconds: float = 0.0


def create_empty_tables(
    engine: Engine, data_dir: Path | None = None, *, shown: Callable[[Path], str] = str
) -> list[str]:
    """Empty contract tables (and empty tables shaped like other exports) on the engine's
    connection, then the same lock-down as a build; returns the table names."""
    con = engine.con
    install_readers(con)
    names = []
    for table in TABLES:
        create_empty_table(con, table)  # with its flags column, as loaded
        names.append(table.name)
    # CRM exports (hubspot, salesforce) only feed the contract tables; native folders may
    # hold extra files that become tables of their own.
    extra_files = data_files(data_dir) if data_dir and engine.data.format == "native" else []
    for path, reader in extra_files:
        name = table_name_for(path)
        if name not in TABLES_BY_NAME and name not in names:
            _empty_like_file(con, path, reader, name, shown(path))
            names.append(name)
    derive_tables(con, engine.data.attribution)  # fast on empty tables; reports read them
    con.execute("SET enable_external_access = false")
    con.execute("SET lock_configuration = true")
    # The calendar table and parameters, as a build makes them: with no data, the as-of
    # moment is the configured one or the current time (any value plans the same).
    engine.use_calendar(engine.calendar_options)
    return names


def check_project(settings: Settings, *, pages: Iterable[tuple[str, str]] = ()) -> CheckResult:
    """Parse, validate and plan every query file; check the embeds of ``pages``
    ((display path, Markdown) pairs). Problems are collected, never raised."""
    started = time.perf_counter()
    result = CheckResult()
    _sections, result.queries, result.errors = discover_queries(settings)
    models, model_errors = discover_models(settings)
    result.errors += model_errors
    # Planning reads no data: nothing to cache.
    engine = Engine(replace(settings.engine, cache_dir=None))
    try:
        try:
            create_empty_tables(engine, settings.data_dir, shown=settings.display_path)
        except RevpagesError as error:
            result.errors.append(error)
        result.errors += engine.add_models(models)  # views over the empty tables
        for query in result.queries:
            try:
                plan_query(engine, query, settings)
            except RevpagesError as error:
                result.errors.append(error)
    finally:
        engine.close()
    pages = list(pages)
    result.pages = len(pages)
    result.errors += check_glossary(result.queries, settings, load_glossary(settings))
    reports = {q.report_id: q.spec.chart != "table" for q in result.queries}
    result.errors += check_pages(pages, reports)
    result.seconds = time.perf_counter() - started
    return result


def plan_query(engine: Engine, query: QueryFile, settings: Settings) -> QueryResult:
    """Run ``query`` over empty tables, with the calendar parameters it uses bound, and
    check its front matter against the result (a ``per:`` report with an empty value: the
    plan, not the rows, is what is checked)."""
    if not query.bindings:
        query = replace(query, bindings=tuple((name, "") for name in own_parameters(query)))
    result = engine.run(query)
    check_compare(query, engine.parameters_of(query))
    check_columns(query, result)
    # One row of NULLs lets the chart builder check x, y and color without any data.
    probe = QueryResult(result.columns, result.types, [(None,) * len(result.columns)], 0.0)
    build_figure(
        query,
        probe,
        colors=ColorMap(),
        currency=settings.currency,
        max_points=settings.chart_max_points,
    )
    return result


def _empty_like_file(
    con: duckdb.DuckDBPyConnection, path: Path, reader: str, name: str, shown: str
) -> None:
    """An empty table with the columns and types DuckDB detects from the file's first lines."""
    try:
        if reader == "xlsx":
            load_excel_extension(con)
            con.execute(
                f"CREATE TABLE {quote(name)} AS SELECT * FROM read_xlsx($1) LIMIT 0", [str(path)]
            )
            return
        relation = (
            con.read_parquet(str(path))
            if reader == "parquet"
            else con.read_csv(str(path), encoding=_encoding(path))
        )
        relation.limit(0).create(name)
    except duckdb.Error as error:
        raise unreadable(path, error, shown=shown) from None


def _encoding(path: Path) -> str:
    with path.open("rb") as handle:
        head = handle.read(1 << 16)
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.start < len(head) - 4:  # not just a character cut at the end of the sample
            return "latin-1"
    return "utf-8"
