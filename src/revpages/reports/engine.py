"""The DuckDB session of one build: load the data, lock it down, run report queries.

The engine is the only place that talks to DuckDB about report SQL, so a
different backend (a warehouse, a cached database) is one new class with the
same three verbs: ``load``, ``run``, ``close``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
from duckdb import ColumnExpression

from revpages.contract import TABLES_BY_NAME
from revpages.derive.attribution import derive_tables, sources_of
from revpages.derive.calendar import Calendar, CalendarOptions
from revpages.derive.calendar_table import (
    MACROS,
    RESERVED_NAMES,
    DataRange,
    build_calendar,
    create_calendar,
    data_range,
)
from revpages.errors import RevpagesError, SQLError, io_error
from revpages.incremental import datastore, fingerprint
from revpages.incremental.damage import discard as damage_notice
from revpages.incremental.lock import leftovers, scratch_name
from revpages.incremental.results import CacheStats, ResultStore, storage
from revpages.ingest.data_dir import load_data_dir, missing_tables
from revpages.ingest.files import check_xlsx_size, data_files, first_line
from revpages.ingest.loaded import LoadedTable
from revpages.ingest.quality import QualityReport, collect_quality
from revpages.reports.audience import restrict, withhold_samples
from revpages.reports.limits import too_many_columns, too_many_rows
from revpages.reports.models import (
    Model,
    SharedModels,
    char_offset,
    cycle_errors,
    in_dependency_order,
    name_clash,
    unreadable_model,
)
from revpages.reports.parameters import bound, check_parameters, parameters_in
from revpages.reports.queryfile import QueryFile
from revpages.reports.result import QueryResult
from revpages.reports.sandbox import denied
from revpages.reports.sql_errors import sql_error
from revpages.settings import EngineOptions
from revpages.sql import quote, syntax_tree, tables_read, walk


class Engine:
    """One DuckDB database holding the exports of one build.

    Without ``cache_dir`` the database lives in memory. With it, the loaded
    database is written to ``cache_dir`` and the next engine whose exports have
    the same fingerprint opens that file read-only instead of parsing again; report
    results are kept there too (``ResultStore``), so an unchanged query over unchanged
    data is read back instead of run. ``stats`` counts queries run and results reused.
    """

    def __init__(self, options: EngineOptions | None = None) -> None:
        options = options or EngineOptions()
        self.options = {"memory_limit": options.memory_limit, "threads": options.threads}
        self.query_timeout = options.query_timeout
        self.limits = options.limits
        self.data = options.data  # export format and mapping overrides
        self.cache_dir = options.cache_dir
        self.spill: Path | None = None  # where DuckDB spills, made by _spill_dir
        self.con = self._connect(":memory:")
        self.tables: list[LoadedTable] = []
        self.quality = QualityReport()
        self.parsed = False  # whether the last load parsed the exports (False: reused)
        self.results: ResultStore | None = None  # set by a load with a cache_dir
        self.stats = CacheStats()
        self.models = SharedModels()  # the views of queries/_models, set by add_models
        self.load_seconds: dict[str, float] = {}  # seconds of each part of the last load
        self.calendar_options = options.calendar
        self.calendar: Calendar | None = None  # set by a load, or by use_calendar
        self.range = DataRange()  # first and latest event of each loaded table
        self._now: datetime | None = None

    def load(self, data_dir: Path, *, now: datetime | None = None) -> list[LoadedTable]:
        """Load every export of ``data_dir``, then forbid files, network and settings.

        ``now`` bounds plausible dates (rows dated later are refused).
        """
        now = now or reference_time()
        self._now, self.calendar = now, None
        if self.cache_dir is None:
            self._parse(data_dir, now)
        else:
            allowed = self._load_cached(data_dir, now)
            # The folders report SQL may touch: the stored data and the stored results.
            self.con.execute("SET allowed_directories = $1", [[f"{f}{os.sep}" for f in allowed]])
        self.con.execute("SET enable_external_access = false")
        self.con.execute("SET lock_configuration = true")
        self.use_calendar(self.calendar_options)
        return self.tables

    def use_calendar(self, options: CalendarOptions) -> Calendar:
        """(Re)make the ``calendar`` table and the parameters' values for ``options``: the
        as-of moment comes from them or from the loaded tables."""
        if self.calendar is not None and self.calendar.options == options:
            return self.calendar
        self.calendar_options = options
        with self._timed("calendar"):
            self.range = data_range(self.con, self.tables)
            self.calendar = build_calendar(options, self.range, now=self._now or reference_time())
            create_calendar(self.con, self.calendar, first_event=self.range.first())
        return self.calendar

    def _parse(self, data_dir: Path, now: datetime) -> None:
        """Parse the exports into this engine's in-memory database, derive, check."""
        for path, reader in data_files(data_dir):
            if reader == "xlsx":  # a zip bomb is refused before DuckDB unpacks it
                check_xlsx_size(path, self.limits.xlsx_mb)
        with self._timed("parse"):
            self.tables = load_data_dir(self.con, data_dir, now=now, options=self.data)
        with self._timed("derive"):
            derive_tables(self.con, self.data.attribution)
        self.parsed = True
        with self._timed("check"):
            missing = [table.name for table in missing_tables(self.tables)]
            self.quality = collect_quality(self.con, self.tables, missing)
        if self.data.privacy.restricted:  # before any report runs, and before it is stored
            with self._timed("restrict"):
                restrict(self.con, self.data.privacy)
                self.quality = withhold_samples(self.quality)

    @contextmanager
    def _timed(self, part: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.load_seconds[part] = time.perf_counter() - started

    def _load_cached(self, data_dir: Path, now: datetime) -> list[Path]:
        """Read the stored data of these exports, parsing and storing it first if there is
        none (or it is damaged); returns the folders report SQL may read."""
        fingerprint.recall(self.cache_dir)
        key = datastore.fingerprint(data_dir, today=now.date(), options=self.data.as_dict())
        folder = datastore.store_path(self.cache_dir, key)
        self.results = ResultStore(self.cache_dir, key)
        self.load_seconds = {}
        self.parsed = False
        if folder.is_dir():
            try:
                return self._open_stored(folder, data_dir)
            except datastore.DamagedStore as damage:
                damage_notice(folder, "the stored data", str(damage), instead=_PARSES)
        self._parse(data_dir, now)
        if not self._store(folder):
            return [self.results.folder]  # a type Parquet cannot hold: kept in memory
        datastore.prune(self.cache_dir, keep=folder)
        return self._open_stored(folder, data_dir)

    def _store(self, folder: Path) -> bool:
        with self._timed("store"):
            try:
                datastore.save_tables(self.con, self.tables)
                datastore.save_quality(self.con, self.quality)
                return datastore.save(self.con, folder)
            except duckdb.IOException as error:
                raise io_error(error, folder) from None

    def _open_stored(self, folder: Path, data_dir: Path) -> list[Path]:
        """Views over the stored files, in a fresh database (the parsed tables are freed)."""
        index = datastore.check(folder)
        self.con.close()
        self.con = self._connect(":memory:")
        try:
            datastore.open_store(self.con, folder, index)
            self.tables = datastore.restore_tables(self.con, data_dir)
            self.quality = datastore.restore_quality(self.con, self.tables)
        except duckdb.Error as error:
            self.con.close()
            self.con = self._connect(":memory:")
            raise datastore.DamagedStore(first_line(error).rstrip(".")) from None
        self.results.discard_stale(datastore.cached_keys(self.cache_dir))
        fingerprint.remember(self.cache_dir)
        return [folder, self.results.folder]

    def _connect(self, database: str, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
        con = duckdb.connect(database, read_only=read_only)
        if self.cache_dir is not None:  # where DuckDB spills what exceeds memory_limit
            con.execute("SET temp_directory = $1", [str(self._spill_dir())])
        # GLOBAL: the cursors of a preview's background queries (``worker``) start from them.
        con.execute("SET GLOBAL errors_as_json = true")
        con.execute("SET GLOBAL TimeZone = 'UTC'")
        con.execute("SET enable_progress_bar = false")
        if self.options["memory_limit"]:
            con.execute("SET memory_limit = $1", [self.options["memory_limit"]])
        if self.options["threads"]:
            con.execute("SET threads = $1", [self.options["threads"]])
        return con

    def waiting_for(self, query: QueryFile) -> list[str]:
        """The contract tables ``query`` needs (directly, through the models or the derived
        tables) that no export filled: the report waits for them instead of running."""
        missing = set(self.quality.missing_tables)
        if not missing:
            return []
        try:
            reads = self._names_read_by(query.sql)
        except duckdb.Error:
            return []  # it does not parse: running it says where
        return sorted(sources_of(self.models.tables_under(reads)) & missing)

    def columns_used(self, query: QueryFile) -> set[tuple[str, str]]:
        """(contract table, column) pairs ``query`` reads, directly or through the models:
        a column named in its SQL (or a model's) of a table it reads."""
        reads = self._names_read_by(query.sql)
        texts = [query.sql, *(model.query.sql for model in self.models.reached(reads))]
        names: set[str] = set()
        for sql in texts:
            names |= {
                str(node["column_names"][-1]).lower()
                for node in walk(syntax_tree(self.con, sql))
                if node.get("class") == "COLUMN_REF" and node.get("column_names")
            }
        return {
            (table, column)
            for table in sorted(self.models.tables_under(reads))
            if table in TABLES_BY_NAME
            for column in TABLES_BY_NAME[table].column_names
            if column in names
        }

    def freshness(self, tables: frozenset[str] | None = None) -> datetime | None:
        """Latest event time in the given tables (all tables when none are named)."""
        stamps = [
            t.freshness for t in self.tables if t.freshness and (not tables or t.name in tables)
        ]
        return max(stamps) if stamps else None

    def run(
        self,
        query: QueryFile,
        *,
        compare: str | None = None,
        con: duckdb.DuckDBPyConnection | None = None,
    ) -> QueryResult:
        """Run one report query and fetch its whole result, within the time limit; on
        ``con`` (a ``worker``) when given, else on the engine's own connection; with
        ``compare`` (prior, last_year) its calendar parameters are those of that period.

        With a result store, the result stored for the same SQL, parameters and calendar
        over the same data is read back instead (``cached``), and a new result is stored
        as it is fetched.
        """
        started = time.perf_counter()
        con = con or self.con
        reads, names = self._parse_sql(query.sql, query=query, con=con)
        self.models.check_reads(query, reads)
        check_parameters(query, names)
        params = bound(names, self._calendar_of(query), compare, query.bindings)
        text = self.models.cache_text(query.sql, reads)
        key = self.results.key(text, self._key_params(text, reads, params)) if self.results else ""
        stored = self.results.get(con, key, most=self.limits.csv_rows + 1) if key else None
        if stored is not None:
            self.stats.hits += 1
            self._check_width(query, len(stored.columns))
            if len(stored.rows) > self.limits.csv_rows:
                raise too_many_rows(query, self.limits)
            return replace(stored, seconds=time.perf_counter() - started)
        self._check_single_select(query, con=con)
        self.stats.runs += 1
        # Through the models it reads, too: they say how fresh the result is.
        tables = frozenset(
            sources_of(self.models.tables_under(reads)) & {t.name for t in self.tables}
        )
        timer = threading.Timer(self.query_timeout, con.interrupt)
        timer.daemon = True
        timer.start()
        try:
            columns, types, rows = self._fetch(con, query, key, tables, params)
        except duckdb.InterruptException:
            line, column = query.sql_position(0)
            raise SQLError(
                f"the query ran longer than the limit of {self.query_timeout:g} s and was stopped.",
                code="RP406",
                path=query.path,
                line=line,
                column=column,
                hint="aggregate earlier or filter more, or raise query_timeout in mkdocs.yml.",
            ) from None
        except duckdb.Error as error:
            raise sql_error(query, error) from None
        finally:
            timer.cancel()
        if len(rows) > self.limits.csv_rows:
            raise too_many_rows(query, self.limits)
        return QueryResult(
            columns=columns,
            types=types,
            rows=rows,
            seconds=time.perf_counter() - started,
            tables=tables,
        )

    def _fetch(
        self,
        con: duckdb.DuckDBPyConnection,
        query: QueryFile,
        key: str,
        tables: frozenset[str],
        params: dict[str, Any],
    ) -> tuple[tuple[str, ...], tuple[str, ...], list[tuple[Any, ...]]]:
        """Columns, type names and rows (one more than ``limit_csv_rows`` at most) of one
        query; stored under ``key`` when given."""
        most = self.limits.csv_rows + 1
        if key and self.results is not None:
            try:
                relation = con.sql(query.sql, params=params or None)
            except duckdb.Error:  # binding failed; execute() below says where, as JSON
                relation = None
            kinds = storage(relation.types) if relation is not None else None
            if relation is not None and kinds is not None:  # else not held exactly: not stored
                self._check_width(query, len(relation.columns))
                rows = self.results.put(con, key, relation, kinds, tables=tables, most=most)
                return tuple(relation.columns), tuple(str(t) for t in relation.types), rows
        cursor = con.execute(query.sql, params or None)
        self._check_width(query, len(cursor.description))
        columns = tuple(d[0] for d in cursor.description)
        types = tuple(str(d[1]) for d in cursor.description)
        return columns, types, cursor.fetchmany(most)

    def _check_width(self, query: QueryFile, columns: int) -> None:
        if columns > self.limits.columns:
            raise too_many_columns(query, columns, self.limits)

    def _spill_dir(self) -> Path:
        """This engine's own spill folder (builds at the same time never share one), made
        once; those of killed builds are removed."""
        if self.spill is None:
            root = self.cache_dir / "tmp"
            root.mkdir(parents=True, exist_ok=True)
            for leftover in leftovers(root, "spill.partial-*"):
                shutil.rmtree(leftover, ignore_errors=True)
            self.spill = root / scratch_name("spill")
        return self.spill

    def worker(self) -> duckdb.DuckDBPyConnection:
        """A second connection to this engine's database, with the shared models, for a
        query run in another thread (``revpages serve``); interrupting it stops that query
        only. Made in the calling thread; close it when done."""
        con = self.con.cursor()
        # The calendar table and macro are temporary, so each connection makes its own.
        create_calendar(con, self._calendar(), first_event=self.range.first())
        for model in self.models.models:
            if model.name not in self.models.failed:
                con.execute(f"CREATE TEMP VIEW {quote(model.name)} AS " + model.query.sql)
        return con

    def close(self) -> None:
        self.con.close()
        if self.spill is not None:
            shutil.rmtree(self.spill, ignore_errors=True)

    def _check_single_select(
        self, query: QueryFile, *, con: duckdb.DuckDBPyConnection | None = None
    ) -> None:
        try:
            statements = (con or self.con).extract_statements(query.sql)
        except duckdb.Error as error:
            raise sql_error(query, error) from None
        if len(statements) != 1:
            line, column = query.sql_position(0)
            raise SQLError(
                f"the file holds {len(statements)} SQL statements; a report runs exactly one.",
                code="RP408",
                path=query.path,
                line=line,
                column=column,
                hint="keep one SELECT statement; put shared logic in a WITH clause.",
            )
        # PRAGMA and SHOW parse as SELECTs of table functions; the first word tells them apart.
        first_word = _first_word(query.sql)
        if statements[0].type != duckdb.StatementType.SELECT or first_word not in _READ_WORDS:
            line, column = query.sql_position(0)
            kind = first_word.upper() or statements[0].type.name
            raise SQLError(
                f"only SELECT or WITH queries may run in a report, not {kind}.",
                code="RP409",
                path=query.path,
                line=line,
                column=column,
                hint="report queries are read-only; write a SELECT statement.",
            )

    def _parse_sql(
        self,
        sql: str,
        *,
        query: QueryFile | None = None,
        con: duckdb.DuckDBPyConnection | None = None,
    ) -> tuple[dict[str, int], list[str]]:
        """Tables and views the SQL reads (by the character offset of their first mention)
        and the names of the parameters it uses; with ``query``, after checking it uses
        nothing the sandbox denies (RP413)."""
        con = con or self.con
        tree = syntax_tree(con, sql)
        if query is not None:
            self._check_sandbox(query, tree, con)
        reads = {name: char_offset(sql, at) for name, at in tables_read(tree).items()}
        return reads, parameters_in(tree)

    def _names_read_by(self, sql: str) -> dict[str, int]:
        return self._parse_sql(sql)[0]

    def _check_sandbox(self, query: QueryFile, tree: Any, con: duckdb.DuckDBPyConnection) -> None:
        own, system = self._catalogue(con)
        name, at = denied(tree, own=own, system_views=system)
        if name:
            line, column = query.sql_position(char_offset(query.sql, at))
            raise SQLError(
                f"the query uses '{name}', which reports may not use.",
                code="RP413",
                path=query.path,
                line=line,
                column=column,
                hint="reports read the data tables and shared models only; the guide's "
                "Query files page lists what the sandbox denies.",
            )

    def _catalogue(self, con: duckdb.DuckDBPyConnection) -> tuple[frozenset[str], frozenset[str]]:
        """The names of this site's tables and views, and those of DuckDB's own views."""
        rows = con.execute(
            "SELECT table_name, false FROM duckdb_tables() UNION ALL "
            "SELECT view_name, internal FROM duckdb_views()"
        ).fetchall()
        own = frozenset(name.lower() for name, internal in rows if not internal)
        return own, frozenset(name.lower() for name, internal in rows if internal)

    def values_of(self, table: str, column: str) -> list[str]:
        """The distinct values of a contract column as text, in order (``per:`` pages);
        an empty list when no export filled the table."""
        if table not in {t.name for t in self.tables}:
            return []
        found = (
            self.con.table(table)
            .filter(ColumnExpression(column).isnotnull())
            .select(ColumnExpression(column).cast("VARCHAR").alias("value"))
            .distinct()
            .order("value")
            .fetchall()
        )
        return [row[0] for row in found if row[0] != ""]

    def parameters_of(self, query: QueryFile) -> list[str]:
        """The calendar parameters ``query`` uses (checked: each one is bound)."""
        names = self._parse_sql(query.sql)[1]
        check_parameters(query, names)
        return names

    def _calendar(self) -> Calendar:
        if self.calendar is None:  # an engine whose tables were made by hand (check, tests)
            self.use_calendar(self.calendar_options)
        assert self.calendar is not None
        return self.calendar

    def _calendar_of(self, query: QueryFile) -> Calendar:
        """The site's calendar, or that of the query's view period."""
        calendar = self._calendar()
        return calendar.with_period(query.period) if query.period else calendar

    def _key_params(self, text: str, reads: dict[str, int], params: dict[str, Any]) -> dict:
        """A result's parameters, and the calendar when the query (or a model it reads)
        reads the calendar table or macro: other options, other rows."""
        calendar = "calendar" in self.models.tables_under(reads) or any(m in text for m in MACROS)
        return {**params, "$calendar": self._calendar().fingerprint()} if calendar else params

    def cache_text(self, query: QueryFile, *, compare: str | None = None) -> str:
        """What a result of ``query`` is cached under: its SQL and that of the models it
        reads, and the values of its parameters and calendar."""
        reads, names = self._parse_sql(query.sql)
        text = self.models.cache_text(query.sql, reads)
        params = self._key_params(
            text, reads, bound(names, self._calendar_of(query), compare, query.bindings)
        )
        if not params:
            return text  # the same key as before parameters existed
        return json.dumps([text, params], sort_keys=True, default=str)

    def add_models(self, files: list[QueryFile]) -> list[RevpagesError]:
        """Create the shared models (queries/_models) as views, each after the models it
        reads, replacing those of an earlier build; returns their problems. A model that
        fails is left out, and so is every model that reads it."""
        for model in reversed(self.models.models):
            self.con.execute(f"DROP VIEW IF EXISTS temp.main.{quote(model.name)}")
        errors: list[RevpagesError] = []
        tables = {
            row[0]
            for row in self.con.execute(
                "SELECT table_name FROM duckdb_tables() WHERE NOT temporary UNION ALL "
                "SELECT view_name FROM duckdb_views() WHERE NOT temporary AND NOT internal"
            ).fetchall()
        }
        checked = []
        for file in files:
            try:
                if file.name in tables | RESERVED_NAMES:
                    raise name_clash(file)
                self._check_single_select(file)
                reads, names = self._parse_sql(file.sql, query=file)
                check_parameters(file, names, model=True)
            except RevpagesError as error:
                errors.append(error)
                continue
            checked.append(Model(file, reads))
        ordered, stuck = in_dependency_order(checked)
        errors += cycle_errors(stuck)
        failed = {model.name: model for model in stuck}
        for model in ordered:
            error = self._create_view(model, failed)
            if error is not None:
                errors.append(error)
                failed[model.name] = model
        self.models = SharedModels((*ordered, *stuck), frozenset(failed))
        return errors

    def _create_view(self, model: Model, failed: dict[str, Model]) -> RevpagesError | None:
        blocked = [name for name in model.reads if name in failed]
        if blocked:
            return unreadable_model(model.query, failed[blocked[0]], model.reads[blocked[0]])
        # A view cannot be a prepared statement: the DDL is our prefix (a checked name) and
        # the model's own SQL, checked above to be exactly one SELECT. Temporary, because
        # models belong to one build.
        prefix = f"CREATE TEMP VIEW {quote(model.name)} AS "
        try:
            self.con.execute(prefix + model.query.sql)
        except duckdb.Error as error:
            return sql_error(model.query, error, prefix=prefix)
        return None


_PARSES = "reads the exports again"

_READ_WORDS = ("select", "with", "from", "values", "(")
_COMMENTS = re.compile(r"\A(?:\s+|--[^\n]*(?:\n|\Z)|/\*.*?\*/)*", re.DOTALL)


def _first_word(sql: str) -> str:
    rest = sql[_COMMENTS.match(sql).end() :]
    if rest.startswith("("):
        return "("
    match = re.match(r"[A-Za-z_]+", rest)
    return match.group(0).lower() if match else ""


def reference_time() -> datetime:
    """ "Now" for plausibility checks: SOURCE_DATE_EPOCH when set, so builds reproduce."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    moment = datetime.fromtimestamp(int(epoch), UTC) if epoch.isdigit() else datetime.now(UTC)
    return moment.replace(tzinfo=None)
