"""The DuckDB session of one build: load the data, lock it down, run report queries.

The engine is the only place that talks to DuckDB about report SQL, so a
different backend (a warehouse, a cached database) is one new class with the
same three verbs: ``load``, ``run``, ``close``.
"""

from __future__ import annotations

import json
import os
import re
import threading
import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from revpages import datastore
from revpages.cache import CacheStats, ResultStore, storage
from revpages.errors import SQLError
from revpages.exports import DataOptions
from revpages.load import LoadedTable, load_data_dir
from revpages.quality import QualityReport, collect_quality
from revpages.queryfile import QueryFile
from revpages.result import QueryResult


class Engine:
    """One DuckDB database holding the exports of one build.

    Without ``cache_dir`` the database lives in memory. With it, the loaded
    database is written to ``cache_dir`` and the next engine whose exports have
    the same fingerprint opens that file read-only instead of parsing again; report
    results are kept there too (``ResultStore``), so an unchanged query over unchanged
    data is read back instead of run. ``stats`` counts queries run and results reused.
    """

    def __init__(
        self,
        *,
        memory_limit: str | None = None,
        threads: int | None = None,
        cache_dir: Path | None = None,
        query_timeout: float = 300.0,
        data: DataOptions | None = None,
    ) -> None:
        self.options = {"memory_limit": memory_limit, "threads": threads}
        self.query_timeout = query_timeout
        self.data = data or DataOptions()  # export format and mapping overrides
        self.cache_dir = cache_dir
        self.con = self._connect(":memory:")
        self.tables: list[LoadedTable] = []
        self.quality = QualityReport()
        self.parsed = False  # whether the last load parsed the exports (False: reused)
        self.results: ResultStore | None = None  # set by a load with a cache_dir
        self.stats = CacheStats()

    def load(self, data_dir: Path, *, now: datetime | None = None) -> list[LoadedTable]:
        """Load every export of ``data_dir``, then forbid files, network and settings.

        ``now`` bounds plausible dates (rows dated later are refused).
        """
        now = now or reference_time()
        if self.cache_dir is None:
            self.tables = load_data_dir(self.con, data_dir, now=now, options=self.data)
            self.parsed = True
            self.quality = collect_quality(self.con, self.tables)
        else:
            self._load_cached(data_dir, now)
            # The one folder report SQL may touch: where its results are stored.
            self.con.execute("SET allowed_directories = $1", [[f"{self.results.folder}{os.sep}"]])
        self.con.execute("SET enable_external_access = false")
        self.con.execute("SET lock_configuration = true")
        return self.tables

    def _load_cached(self, data_dir: Path, now: datetime) -> None:
        key = datastore.fingerprint(data_dir, today=now.date(), options=self.data.as_dict())
        path = datastore.database_path(self.cache_dir, key)
        self.parsed = not path.exists()
        if self.parsed:
            self.cache_dir.mkdir(parents=True, exist_ok=True)
            partial = path.with_suffix(".partial")
            partial.unlink(missing_ok=True)
            writer = self._connect(str(partial))
            try:
                tables = load_data_dir(writer, data_dir, now=now, options=self.data)
                datastore.save_tables(writer, tables)
                datastore.save_quality(writer, collect_quality(writer, tables))
                writer.execute("CHECKPOINT")
            finally:
                writer.close()
            partial.rename(path)  # only complete databases carry the final name
            datastore.prune(self.cache_dir, keep=path)
        self.con.close()
        self.con = self._connect(str(path), read_only=True)
        self.tables = datastore.restore_tables(self.con, data_dir)
        self.quality = datastore.restore_quality(self.con, self.tables)
        self.results = ResultStore(self.cache_dir, key)
        self.results.discard_stale(datastore.cached_keys(self.cache_dir))

    def _connect(self, database: str, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
        con = duckdb.connect(database, read_only=read_only)
        con.execute("SET errors_as_json = true")
        con.execute("SET TimeZone = 'UTC'")
        con.execute("SET enable_progress_bar = false")
        if self.options["memory_limit"]:
            con.execute("SET memory_limit = $1", [self.options["memory_limit"]])
        if self.options["threads"]:
            con.execute("SET threads = $1", [self.options["threads"]])
        return con

    def freshness(self, tables: frozenset[str] | None = None) -> datetime | None:
        """Latest event time in the given tables (all tables when none are named)."""
        stamps = [
            t.freshness
            for t in self.tables
            if t.freshness and (not tables or t.name in tables)
        ]
        return max(stamps) if stamps else None

    def run(self, query: QueryFile) -> QueryResult:
        """Run one report query and fetch its whole result, within the time limit.

        With a result store, the result stored for the same SQL over the same data is
        read back instead (``cached``), and a new result is stored as it is fetched.
        """
        started = time.perf_counter()
        key = self.results.key(query.sql) if self.results else ""
        stored = self.results.get(self.con, key) if self.results else None
        if stored is not None:
            self.stats.hits += 1
            return replace(stored, seconds=time.perf_counter() - started)
        self._check_single_select(query)
        self.stats.runs += 1
        tables = self._tables_read_by(query.sql)
        timer = threading.Timer(self.query_timeout, self.con.interrupt)
        timer.daemon = True
        timer.start()
        try:
            columns, types, rows = self._fetch(query.sql, key, tables)
        except duckdb.InterruptException:
            line, column = query.sql_position(0)
            raise SQLError(
                f"the query ran longer than the limit of {self.query_timeout:g} s and was "
                "stopped.", path=query.path, line=line, column=column,
                hint="aggregate earlier or filter more, or raise query_timeout in mkdocs.yml.",
            ) from None
        except duckdb.Error as error:
            raise _sql_error(query, error) from None
        finally:
            timer.cancel()
        return QueryResult(
            columns=columns,
            types=types,
            rows=rows,
            seconds=time.perf_counter() - started,
            tables=tables,
        )

    def _fetch(self, sql: str, key: str, tables: frozenset[str]
               ) -> tuple[tuple[str, ...], tuple[str, ...], list[tuple[Any, ...]]]:
        """Columns, type names and rows of one query; stored under ``key`` when given."""
        if key and self.results is not None:
            try:
                relation = self.con.sql(sql)
            except duckdb.Error:  # binding failed; execute() below says where, as JSON
                relation = None
            kinds = storage(relation.types) if relation is not None else None
            if relation is not None and kinds is not None:  # else not held exactly: not stored
                rows = self.results.put(self.con, key, relation, kinds, tables=tables)
                return tuple(relation.columns), tuple(str(t) for t in relation.types), rows
        cursor = self.con.execute(sql)
        columns = tuple(d[0] for d in cursor.description)
        types = tuple(str(d[1]) for d in cursor.description)
        return columns, types, cursor.fetchall()

    def close(self) -> None:
        self.con.close()

    def _check_single_select(self, query: QueryFile) -> None:
        try:
            statements = self.con.extract_statements(query.sql)
        except duckdb.Error as error:
            raise _sql_error(query, error) from None
        if len(statements) != 1:
            line, column = query.sql_position(0)
            raise SQLError(
                f"the file holds {len(statements)} SQL statements; a report runs exactly one.",
                path=query.path, line=line, column=column,
                hint="keep one SELECT statement; put shared logic in a WITH clause.",
            )
        # PRAGMA and SHOW parse as SELECTs of table functions; the first word tells them apart.
        first_word = _first_word(query.sql)
        if statements[0].type != duckdb.StatementType.SELECT or first_word not in _READ_WORDS:
            line, column = query.sql_position(0)
            kind = first_word.upper() or statements[0].type.name
            raise SQLError(
                f"only SELECT or WITH queries may run in a report, not {kind}.",
                path=query.path, line=line, column=column,
                hint="report queries are read-only; write a SELECT statement.",
            )

    def _tables_read_by(self, sql: str) -> frozenset[str]:
        tree = self.con.execute("SELECT json_serialize_sql($1)", [sql]).fetchone()[0]
        loaded = {t.name for t in self.tables}
        return frozenset(name for name in _base_tables(json.loads(tree)) if name in loaded)


_READ_WORDS = ("select", "with", "from", "values", "(")
_COMMENTS = re.compile(r"\A(?:\s+|--[^\n]*(?:\n|\Z)|/\*.*?\*/)*", re.DOTALL)


def _first_word(sql: str) -> str:
    rest = sql[_COMMENTS.match(sql).end():]
    if rest.startswith("("):
        return "("
    match = re.match(r"[A-Za-z_]+", rest)
    return match.group(0).lower() if match else ""


def reference_time() -> datetime:
    """"Now" for plausibility checks: SOURCE_DATE_EPOCH when set, so builds reproduce."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    moment = datetime.fromtimestamp(int(epoch), UTC) if epoch.isdigit() else datetime.now(UTC)
    return moment.replace(tzinfo=None)


def _base_tables(node: Any) -> set[str]:
    """Names of the tables a parsed statement reads (CTE names included, filtered later)."""
    found: set[str] = set()
    if isinstance(node, dict):
        if node.get("type") == "BASE_TABLE" and node.get("table_name"):
            found.add(node["table_name"])
        for value in node.values():
            found |= _base_tables(value)
    elif isinstance(node, list):
        for value in node:
            found |= _base_tables(value)
    return found


def _sql_error(query: QueryFile, error: duckdb.Error) -> SQLError:
    """Turn a DuckDB error (JSON, thanks to errors_as_json) into a located SQLError."""
    details = _error_details(error)
    message = details.get("exception_message") or str(error)
    message = message.split("\n")[0].rstrip(".!")
    kind = details.get("exception_type", "SQL")
    hint = _hint_for(details)
    offset = int(details["position"]) if str(details.get("position", "")).isdigit() else 0
    line, column = query.sql_position(offset)
    return SQLError(f"{kind} error: {message}.", path=query.path, line=line, column=column,
                    hint=hint)


def _error_details(error: duckdb.Error) -> dict[str, Any]:
    text = str(error)
    start = text.find("{")
    if start < 0:
        return {}
    try:
        details = json.loads(text[start:])
    except json.JSONDecodeError:
        return {}
    return details if isinstance(details, dict) else {}


def _hint_for(details: dict[str, Any]) -> str:
    subtype = details.get("error_subtype")
    candidates = [c for c in str(details.get("candidates", "")).split(",") if c.strip()]
    candidates = [c.strip() for c in candidates if not c.strip().startswith(("pg_", "duckdb_"))]
    if details.get("exception_type") == "Out of Memory":
        return "aggregate earlier in the query, or raise duckdb_memory_limit in mkdocs.yml."
    if subtype == "COLUMN_NOT_FOUND" and candidates:
        return "Did you mean " + " or ".join(f"'{c}'" for c in candidates[:3]) + "?"
    if subtype == "MISSING_ENTRY" and details.get("type") == "Table":
        if candidates:
            return "Did you mean " + " or ".join(f"'{c}'" for c in candidates[:3]) + "?"
        return "tables are named after the files in the data folder, e.g. data/deals.csv -> deals."
    if subtype == "SYNTAX_ERROR":
        return "check the SQL near this position."
    return "fix the query and build again."
