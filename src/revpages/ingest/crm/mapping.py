"""HubSpot and Salesforce exports -> the contract tables, through mapping SQL files.

1. Every export file is read once as text (malformed rows are refused with their line)
   into a raw table named after its object (``hubspot.deals``), headers turned into the
   object's column names (internal names and display labels both work). Files of one
   object are stacked; then, per object (``records``): a header line repeated inside a
   file is refused, a repeated id keeps the row modified last (the others merge into
   it), records the CRM marks deleted are excluded, and the same record under another
   id (``natural_keys``) merges like a repeated id.
2. For each contract table, ``ingest/crm/<format>/<table>.sql`` selects contract
   columns as text plus ``__file``/``__rec`` from the raw tables (``data_columns``
   can point one column at another export column).
3. ``conform`` translates stages (``data_stage_map``), types, checks, flags and merges
   the rows like a native export; every row keeps its file and line.

Spend, forecasts and targets have no CRM export: they come as native files in every format.
On the data-quality page each file is one line (the table its rows are counted in);
the other tables it feeds get their own line, ``deals.csv → stage_history``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from revpages.contract import TABLES, TABLES_BY_NAME
from revpages.errors import DataLoadError
from revpages.ingest.conform import Checks, conform
from revpages.ingest.crm.catalog import ExportFormat, ExportObject, export_format, key
from revpages.ingest.crm.lineage import branch_reads, lost_columns
from revpages.ingest.crm.overrides import override_columns
from revpages.ingest.crm.records import settle_records
from revpages.ingest.files import (
    TextScan,
    as_utf8,
    drop_raw,
    file_scan,
    first_line,
    read_text,
    table_name_for,
    unreadable,
)
from revpages.ingest.loaded import LoadedTable, scan_notes, table_freshness
from revpages.ingest.native import load_files
from revpages.ingest.rejects import record_missing_columns
from revpages.settings import DataOptions
from revpages.sql import quote

ARROW = " → "
_HELPERS = (
    "CREATE OR REPLACE TEMP MACRO rp_snake(s) AS "
    "nullif(trim(lower(regexp_replace(rp_text(s), '[^A-Za-z0-9]+', '_', 'g')), '_'), '')",
)


@dataclass
class ReadFile:
    """One export file of an object, as read."""

    path: Path
    obj: ExportObject
    scan: TextScan
    records: int = 0  # well-formed rows
    malformed: int = 0
    settled: int = 0  # records merged, excluded or refused before the mapping
    headers: dict[str, str] = field(default_factory=dict)  # export header -> column

    @property
    def columns(self) -> set[str]:
        return set(self.headers.values())


def load_mapped(
    con: duckdb.DuckDBPyConnection,
    files: list[tuple[Path, str]],
    options: DataOptions,
    *,
    scratch: Path,
    checks: Checks,
) -> list[LoadedTable]:
    """Load the exports of a HubSpot or Salesforce data folder into the contract tables."""
    options.check()
    fmt = export_format(options.format)
    exports, native = _sort_files(fmt, files)
    schema = quote(fmt.name)
    con.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
    con.execute(f"CREATE SCHEMA {schema}")
    for sql in _HELPERS:
        con.execute(sql)
    read: list[ReadFile] = []
    for obj in fmt.objects.values():
        read += _raw_object(con, fmt, obj, exports.get(obj.name, []), scratch)
    con.execute(fmt.macros)
    loaded: dict[str, dict[str, int]] = {}
    flows: dict[str, dict[str, int]] = {}
    columns: dict[str, set[str]] = {name: set() for name in fmt.objects}
    for f in read:
        columns[f.obj.name] |= f.columns
    for table in TABLES:
        sql = fmt.mappings.get(table.name)
        if sql and any(obj.name in exports for obj in fmt.sources_of(table.name)):
            flows[table.name], loaded[table.name] = _map_table(
                con, fmt, table.name, sql, options, read, columns, checks
            )
    con.execute(f"DROP SCHEMA {schema} CASCADE")
    result = _loaded_tables(con, read, flows, loaded)
    return result + load_files(con, native, scratch=scratch, checks=checks)


def _sort_files(
    fmt: ExportFormat, files: list[tuple[Path, str]]
) -> tuple[dict[str, list[tuple[Path, str]]], list[tuple[Path, str]]]:
    """Export files by object; the rest are native files (spend, forecasts, targets, others)."""
    exports: dict[str, list[tuple[Path, str]]] = {}
    native = []
    for path, reader in files:
        stem = table_name_for(path)
        obj = fmt.object_for(stem)
        if obj is not None:
            exports.setdefault(obj.name, []).append((path, reader))
        elif stem in fmt.mappings:
            raise DataLoadError(
                f"'{path.name}' is named like a native export, but data_format is "
                f"'{fmt.name}', which builds table '{stem}' from the {fmt.name} exports.",
                code="RP506",
                path=path,
                hint=f"name the files after {fmt.name} objects "
                f"({', '.join(o.files[0] + '.csv' for o in fmt.objects.values())}), "
                "or set data_format: native.",
            )
        else:
            native.append((path, reader))
    if not exports:
        names = ", ".join(o.files[0] + ".csv" for o in fmt.objects.values())
        raise DataLoadError(
            f"data_format is '{fmt.name}', but no file of the data folder is a {fmt.name} "
            f"export (expected names like {names}).",
            code="RP507",
            path=files[0][0].parent,
            hint="see the 'CRM exports' page of the user guide.",
        )
    return exports, native


def _raw_object(
    con: duckdb.DuckDBPyConnection,
    fmt: ExportFormat,
    obj: ExportObject,
    files: list[tuple[Path, str]],
    scratch: Path,
) -> list[ReadFile]:
    """All files of ``obj`` as one text table ``<format>.<object>`` with ``__file``,
    ``__order`` (file position) and ``__rec``; its known columns are always there."""
    count_in = obj.tables[0] if obj.tables else obj.name
    read, parts = [], []
    for order, (path, reader) in enumerate(files):
        f = ReadFile(path, obj, file_scan(path, reader))
        raw = f"__raw_{order}"
        try:
            f.malformed = read_text(
                con, raw, as_utf8(path, f.scan, scratch), reader, path.name, count_in
            )
        except duckdb.Error as error:
            raise unreadable(path, error) from None
        f.headers = _column_names(obj, path, [c for c in con.table(raw).columns if c != "__rec"])
        f.records = con.table(raw).shape[0]
        read.append(f)
        parts.append(raw)
    table = f"{quote(fmt.name)}.{quote(obj.name)}"
    every = list(dict.fromkeys([*obj.columns, *(n for f in read for n in f.headers.values())]))
    con.execute(
        f"CREATE TABLE {table} (__file VARCHAR, __order INTEGER, __rec BIGINT, "
        + ", ".join(f"{quote(c)} VARCHAR" for c in every)
        + ")"
    )
    for order, (raw, f) in enumerate(zip(parts, read, strict=True)):
        select = ", ".join(f"{quote(h)} AS {quote(n)}" for h, n in f.headers.items())
        con.execute(
            f"INSERT INTO {table} BY NAME SELECT $1 AS __file, $2 AS __order, __rec"
            f"{', ' if select else ''}{select} FROM {raw}",
            [f.path.name, order],
        )
        drop_raw(con, raw)
    if read:
        settled = settle_records(
            con, table, obj, [(f.path.name, f.headers) for f in read], count_in
        )
        for f in read:
            f.settled = settled.get(f.path.name, 0)
    return read


def _column_names(obj: ExportObject, path: Path, headers: list[str]) -> dict[str, str]:
    """Export header -> object column; a second header for the same column keeps its text."""
    names: dict[str, str] = {}
    for header in headers:
        name = obj.column_for(header)
        names[header] = name if name not in names.values() else header
    missing = [c for c in obj.required if c not in names.values()]
    if missing:
        raise DataLoadError(
            f"'{path.name}' has no column {', '.join(obj.describe(c) for c in missing)}, "
            f"needed to read it as {obj.name}; it has {', '.join(headers)}.",
            code="RP504",
            path=path,
            line=1,
            column=1,
            hint="export the missing columns (internal names or display labels both work).",
        )
    return names


def _map_table(
    con: duckdb.DuckDBPyConnection,
    fmt: ExportFormat,
    table: str,
    sql: str,
    options: DataOptions,
    read: list[ReadFile],
    columns: dict[str, set[str]],
    checks: Checks,
) -> tuple[dict[str, int], dict[str, int]]:
    """Run one mapping and conform its rows; returns rows in and rows loaded per flow."""
    overrides = {c.partition(".")[2]: v for c, v in options.columns if c.partition(".")[0] == table}
    sources = " or ".join(f"{o.name} exports" for o in fmt.sources_of(table))

    def resolve(schema: str, name: str, wanted: str) -> str | None:
        obj = fmt.objects.get(name)
        if schema != fmt.name or obj is None:
            return None
        have = columns.get(name, set())
        for candidate in (wanted, obj.column_for(wanted)):
            if candidate in have:
                return candidate
        return next((c for c in sorted(have) if key(c) == key(wanted)), None)

    sql = override_columns(con, sql, overrides, table=table, resolve=resolve, sources=sources)
    mapped = f"__mapped_{table}"
    try:
        names = con.sql(sql).columns
        texts = ", ".join(
            f"{quote(c)}::VARCHAR AS {quote(c)}" if c != "__rec" else c for c in names
        )
        con.execute(f"CREATE OR REPLACE TEMP TABLE {mapped} AS SELECT {texts} FROM ({sql})")
    except duckdb.Error as error:
        raise DataLoadError(
            f"the {fmt.name} mapping of '{table}' failed: {first_line(error)}",
            code="RP508",
            hint="check data_columns, or the mapping SQL if you changed it.",
        ) from None
    present = con.table(mapped).columns
    lost = _lost_columns(con, fmt, table, sql, read, columns)
    con.execute(f"ALTER TABLE {mapped} ADD COLUMN __lost VARCHAR[]")
    for file, missing in lost.items():
        con.execute(
            f"UPDATE {mapped} SET __lost = $1 WHERE __file = $2", [[c for c, _ in missing], file]
        )
    _relabel(con, mapped, table, read)
    flows = dict(con.execute(f"SELECT __file, count(*) FROM {mapped} GROUP BY __file").fetchall())
    contract = TABLES_BY_NAME[table]
    sources_sql = {c: quote(c) for c in contract.column_names if c in present}
    loaded = conform(con, contract, mapped, sources_sql, file=table, checks=checks)
    for file, missing in lost.items():
        label = _label(file, table, read)
        if loaded.get(label):
            record_missing_columns(con, label, table, missing, loaded[label])
    con.execute(f"DROP TABLE {mapped}")
    return flows, loaded


def _lost_columns(
    con: duckdb.DuckDBPyConnection,
    fmt: ExportFormat,
    table: str,
    sql: str,
    read: list[ReadFile],
    columns: dict[str, set[str]],
) -> dict[str, list[tuple[str, str]]]:
    """Per export file feeding ``table``: (contract column, export column) it left empty."""
    found: dict[str, list[tuple[str, str]]] = {}
    for reads in branch_reads(con, sql, fmt):
        own = {o for o, _ in reads.get("__file", set())}
        for f in read:
            if f.obj.name in own:
                lost = list(lost_columns(reads, f.obj.name, f.columns, columns, fmt))
                if lost:
                    found[f.path.name] = lost
    return found


def _label(file: str, table: str, read: list[ReadFile]) -> str:
    """How the rows of ``file`` in ``table`` are labelled: ``file → table`` when the file
    is counted in another table."""
    for f in read:
        if f.path.name == file and f.obj.tables and f.obj.tables[0] != table:
            return f"{file}{ARROW}{table}"
    return file


def _relabel(con: duckdb.DuckDBPyConnection, mapped: str, table: str, read: list[ReadFile]) -> None:
    """Rows of a file whose rows are counted in another table: ``file → table``."""
    others = sorted({f.path.name for f in read if f.obj.tables and f.obj.tables[0] != table})
    if others:
        con.execute(
            f"UPDATE {mapped} SET __file = __file || $1 WHERE list_contains($2, __file)",
            [f"{ARROW}{table}", others],
        )


def _loaded_tables(
    con: duckdb.DuckDBPyConnection,
    read: list[ReadFile],
    flows: dict[str, dict[str, int]],
    loaded: dict[str, dict[str, int]],
) -> list[LoadedTable]:
    """One line per file (counted in its object's first table) and per further table."""
    fresh = {}
    for name in flows:
        relation = con.table(name)
        fresh[name] = table_freshness(con, name, relation.columns, [str(t) for t in relation.types])
    result = []
    for f in sorted(read, key=lambda f: f.path.name):
        repairs, guessed = scan_notes(f.scan)
        facts = {"encoding": f.scan.encoding, "guessed": guessed, "repairs": repairs}
        if not f.obj.tables:  # a lookup (owners, users, contacts)
            rows = f.records - f.settled
            result.append(
                LoadedTable(
                    f.obj.name, f.path, rows, (), None, rows_read=f.records + f.malformed, **facts
                )
            )
            continue
        for position, table in enumerate(f.obj.tables):
            label = f.path.name if position == 0 else f"{f.path.name}{ARROW}{table}"
            rows_in = flows.get(table, {}).get(label, 0)
            if position and not rows_in:
                continue
            # The first table's line also counts the records settled before the mapping.
            before = 0 if position else f.malformed + f.settled
            result.append(
                LoadedTable(
                    table,
                    f.path.parent / label,
                    loaded.get(table, {}).get(label, 0),
                    TABLES_BY_NAME[table].column_names,
                    fresh.get(table),
                    rows_read=rows_in + before,
                    **facts,
                )
            )
    return result
