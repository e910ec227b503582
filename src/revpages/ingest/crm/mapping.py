"""HubSpot and Salesforce exports -> the contract tables, through mapping SQL files.

1. Every export file is read once as text (malformed rows become rejects with their
   line) into a raw table named after its object (``hubspot.deals``), headers turned
   into the object's column names (internal names and display labels both work).
   Files of one object are stacked; a repeated id keeps the row modified last, the
   others are refused as duplicates.
2. For each contract table, ``ingest/crm/<format>/<table>.sql`` selects contract
   columns as text plus ``__file``/``__rec`` from the raw tables (``data_columns``
   can point one column at another export column); deal stages are translated
   through ``data_stage_map``.
3. ``conform`` types and checks the rows like a native export; refused rows keep
   their file and line.

Spend and forecasts have no CRM export: they come as native files in every format.
On the data-quality page each file is one line (the table its rows are counted in);
the other tables it feeds get their own line, ``deals.csv → stage_history``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb

from revpages.contract import DEAL_STAGES, TABLES, TABLES_BY_NAME
from revpages.errors import DataLoadError
from revpages.ingest.conform import conform
from revpages.ingest.crm.catalog import ExportFormat, ExportObject, export_format, key
from revpages.ingest.crm.overrides import override_columns
from revpages.ingest.files import (
    as_utf8,
    drop_raw,
    file_encoding,
    first_line,
    read_text,
    table_name_for,
)
from revpages.ingest.loaded import LoadedTable, table_freshness
from revpages.ingest.native import load_files
from revpages.ingest.rejects import REJECTS_TABLE
from revpages.settings import DataOptions
from revpages.sql import quote, scalar

ARROW = " → "
_HELPERS = (
    "CREATE OR REPLACE TEMP MACRO rp_key(s) AS "
    "lower(regexp_replace(trim(s), '[^A-Za-z0-9]+', '', 'g'))",
    "CREATE OR REPLACE TEMP MACRO rp_snake(s) AS "
    "nullif(trim(lower(regexp_replace(rp_text(s), '[^A-Za-z0-9]+', '_', 'g')), '_'), '')",
)
_STAGED = ("deals", "stage_history")  # tables whose stage is translated


@dataclass
class _File:
    """One export file of an object, as read."""

    path: Path
    obj: ExportObject
    encoding: str
    records: int = 0  # well-formed rows
    malformed: int = 0
    duplicates: int = 0
    columns: set[str] = field(default_factory=set)

    @property
    def refused(self) -> int:
        """Refused before the mapping: counted in the object's first table."""
        return self.malformed + self.duplicates


def load_mapped(
    con: duckdb.DuckDBPyConnection,
    files: list[tuple[Path, str]],
    options: DataOptions,
    *,
    scratch: Path,
    now: datetime,
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
    read: list[_File] = []
    for obj in fmt.objects.values():
        read += _raw_object(con, fmt, obj, exports.get(obj.name, []), scratch)
    con.execute(fmt.macros)
    loaded: dict[str, dict[str, int]] = {}
    flows: dict[str, dict[str, int]] = {}
    columns: dict[str, set[str]] = {f.obj.name: set() for f in read}
    for f in read:
        columns[f.obj.name] |= f.columns
    for table in TABLES:
        mapping = fmt.mappings.get(table.name)
        if mapping and any(obj.name in exports for obj in fmt.sources_of(table.name)):
            flows[table.name], loaded[table.name] = _map_table(
                con, fmt, table.name, mapping, options, read, columns, now
            )
    con.execute(f"DROP SCHEMA {schema} CASCADE")
    result = _loaded_tables(con, read, flows, loaded)
    return result + load_files(con, native, scratch=scratch, now=now)


def _sort_files(
    fmt: ExportFormat, files: list[tuple[Path, str]]
) -> tuple[dict[str, list[tuple[Path, str]]], list[tuple[Path, str]]]:
    """Export files by object; the rest are native files (spend, forecasts, others)."""
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
) -> list[_File]:
    """All files of ``obj`` as one text table ``<format>.<object>`` with ``__file``,
    ``__order`` (file position) and ``__rec``; its known columns are always there."""
    count_in = obj.tables[0] if obj.tables else obj.name
    read, parts = [], []
    for order, (path, reader) in enumerate(files):
        f = _File(path, obj, file_encoding(path, reader))
        raw = f"__raw_{order}"
        try:
            f.malformed = read_text(
                con, raw, as_utf8(path, f.encoding, scratch), reader, path.name, count_in
            )
        except duckdb.Error as error:
            raise DataLoadError(
                f"cannot read '{path.name}': {first_line(error)}",
                code="RP503",
                path=path,
                hint="check that the file is a valid, complete export.",
            ) from None
        names = _column_names(obj, path, [c for c in con.table(raw).columns if c != "__rec"])
        f.columns = set(names.values())
        f.records = con.table(raw).shape[0]
        read.append(f)
        parts.append((raw, names))
    table = f"{quote(fmt.name)}.{quote(obj.name)}"
    every = list(dict.fromkeys([*obj.columns, *(n for _, names in parts for n in names.values())]))
    con.execute(
        f"CREATE TABLE {table} (__file VARCHAR, __order INTEGER, __rec BIGINT, "
        + ", ".join(f"{quote(c)} VARCHAR" for c in every)
        + ")"
    )
    for order, (raw, names) in enumerate(parts):
        select = ", ".join(f"{quote(h)} AS {quote(n)}" for h, n in names.items())
        con.execute(
            f"INSERT INTO {table} BY NAME SELECT $1 AS __file, $2 AS __order, __rec"
            f"{', ' if select else ''}{select} FROM {raw}",
            [files[order][0].name, order],
        )
        drop_raw(con, raw)
    if obj.id and read:
        _refuse_duplicates(con, table, obj, obj.id, read, count_in)
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


def _refuse_duplicates(
    con: duckdb.DuckDBPyConnection,
    table: str,
    obj: ExportObject,
    id_column: str,
    read: list[_File],
    count_in: str,
) -> None:
    """A repeated id keeps its row modified last (else the later one); others are refused."""
    present = set().union(*(f.columns for f in read))
    modified = next((c for c in obj.modified if c in present), None)
    latest = f"rp_ts({quote(modified)}) DESC NULLS LAST, " if modified else ""
    why = "the row modified last was kept" if modified else "a later row was kept"
    ident = quote(id_column)
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE __duplicates AS SELECT __file, __rec, "
        f"rp_text({ident}) AS id FROM {table} WHERE rp_text({ident}) IS NOT NULL "
        f"QUALIFY row_number() OVER (PARTITION BY rp_text({ident}) "
        f"ORDER BY {latest}__order DESC, __rec DESC) > 1"
    )
    con.execute(
        f"INSERT INTO {REJECTS_TABLE} SELECT __file, __rec + 1, $1, $2, id "
        "FROM __duplicates ORDER BY __file, __rec",
        [count_in, f"duplicate {id_column} ({why})"],
    )
    con.execute(
        f"DELETE FROM {table} USING __duplicates AS d "
        f"WHERE {table}.__file = d.__file AND {table}.__rec = d.__rec"
    )
    for f in read:
        f.duplicates += scalar(
            con, "SELECT count(*) FROM __duplicates WHERE __file = $1", [f.path.name]
        )
    con.execute("DROP TABLE __duplicates")


def _map_table(
    con: duckdb.DuckDBPyConnection,
    fmt: ExportFormat,
    table: str,
    sql: str,
    options: DataOptions,
    read: list[_File],
    columns: dict[str, set[str]],
    now: datetime,
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
    for extra in ("__reason", "__value"):
        if extra not in present:
            con.execute(f"ALTER TABLE {mapped} ADD COLUMN {extra} VARCHAR")
    if table in _STAGED:
        _translate_stages(con, mapped, fmt, options, table)
    _relabel(con, mapped, table, read)
    flows = dict(con.execute(f"SELECT __file, count(*) FROM {mapped} GROUP BY __file").fetchall())
    contract = TABLES_BY_NAME[table]
    sources_sql = {c: quote(c) for c in contract.column_names if c in present}
    loaded = conform(con, contract, mapped, sources_sql, file=table, now=now)
    con.execute(f"DROP TABLE {mapped}")
    return flows, loaded


def _translate_stages(
    con: duckdb.DuckDBPyConnection,
    mapped: str,
    fmt: ExportFormat,
    options: DataOptions,
    table: str,
) -> None:
    """Export stages -> contract stages; an unknown stage refuses its row with a hint."""
    stages = dict(fmt.stages)
    stages.update({key(label): stage for label, stage in options.stage_map})
    con.execute("CREATE OR REPLACE TEMP TABLE __stage_map (stage_key VARCHAR, stage VARCHAR)")
    con.executemany("INSERT INTO __stage_map VALUES ($1, $2)", sorted(stages.items()))
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {mapped}_staged AS SELECT m.* REPLACE ("
        "s.stage AS stage, CASE WHEN m.__reason IS NULL AND rp_text(m.stage) IS NOT NULL "
        "AND s.stage IS NULL THEN 'stage ''' || trim(m.stage) || ''' is not mapped; add it "
        "to data_stage_map' ELSE m.__reason END AS __reason, CASE WHEN m.__reason IS NULL "
        "AND s.stage IS NULL THEN m.stage ELSE m.__value END AS __value) "
        f"FROM {mapped} AS m LEFT JOIN __stage_map AS s ON s.stage_key = rp_key(m.stage)"
    )
    if table == "deals":  # exports without the closed/won flags: from the stage
        con.execute(
            f"UPDATE {mapped}_staged SET "
            "is_closed = coalesce(rp_text(is_closed), CASE WHEN stage IN ($1, $2) THEN 'true' "
            "WHEN stage IS NOT NULL THEN 'false' END), "
            "is_won = coalesce(rp_text(is_won), CASE WHEN stage = $1 THEN 'true' "
            "WHEN stage IS NOT NULL THEN 'false' END)",
            [DEAL_STAGES[4], DEAL_STAGES[5]],
        )
    if table == "stage_history":  # two export stages may be one contract stage
        con.execute(
            f"DELETE FROM {mapped}_staged USING (SELECT __file AS f, __rec AS r, deal_id AS d, "
            f"stage AS s, row_number() OVER (PARTITION BY deal_id, stage ORDER BY "
            f"rp_ts(entered_at) NULLS LAST, __file, __rec) AS n FROM {mapped}_staged "
            "WHERE __reason IS NULL AND deal_id IS NOT NULL AND stage IS NOT NULL) AS later "
            f"WHERE later.n > 1 AND __file = later.f AND __rec = later.r AND deal_id = later.d "
            "AND stage = later.s"
        )
    con.execute(f"DROP TABLE {mapped}")
    con.execute(f"ALTER TABLE {mapped}_staged RENAME TO {mapped}")
    con.execute("DROP TABLE __stage_map")


def _relabel(con: duckdb.DuckDBPyConnection, mapped: str, table: str, read: list[_File]) -> None:
    """Rows of a file whose rows are counted in another table: ``file → table``."""
    others = sorted({f.path.name for f in read if f.obj.tables and f.obj.tables[0] != table})
    if others:
        con.execute(
            f"UPDATE {mapped} SET __file = __file || $1 WHERE list_contains($2, __file)",
            [f"{ARROW}{table}", others],
        )


def _loaded_tables(
    con: duckdb.DuckDBPyConnection,
    read: list[_File],
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
        if not f.obj.tables:  # a lookup (owners, users, contacts)
            result.append(
                LoadedTable(
                    f.obj.name,
                    f.path,
                    f.records - f.duplicates,
                    (),
                    None,
                    rows_read=f.records + f.malformed,
                    encoding=f.encoding,
                )
            )
            continue
        for position, table in enumerate(f.obj.tables):
            label = f.path.name if position == 0 else f"{f.path.name}{ARROW}{table}"
            rows_in = flows.get(table, {}).get(label, 0)
            if position and not rows_in:
                continue
            result.append(
                LoadedTable(
                    table,
                    f.path.parent / label,
                    loaded.get(table, {}).get(label, 0),
                    TABLES_BY_NAME[table].column_names,
                    fresh.get(table),
                    rows_read=rows_in + (0 if position else f.refused),
                    encoding=f.encoding,
                )
            )
    return result
