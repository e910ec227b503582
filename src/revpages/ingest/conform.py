"""Raw export text -> typed contract tables, with every record accounted for.

A raw table holds the export as text (``__rec`` is its record number). Each contract
column is read with a tolerant reader (``readers``); the table's checks (``rules``)
refuse the rows that cannot be placed and flag every doubtful value of the others;
repeated keys are merged (``merge``); competitor names get one spelling (``names``).
Refused and merged rows go to ``revpages_rejects`` with their line and reason, flags to
``revpages_flags`` and the loaded row lists its flagged columns in ``flags``.

A raw table built by an export mapping may also carry ``__file`` (the export file each
row came from), ``__reason``/``__value`` (a refusal the mapping already decided, e.g. an
engagement that is not a sales activity), ``__lost`` (the columns its file did not
export) and ``__as_of`` (when the record was last modified).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

import duckdb

from revpages.contract import DEAL_STAGES, UNMAPPED_STAGE, Table
from revpages.ingest import rules
from revpages.ingest.crm.catalog import key
from revpages.ingest.merge import mark_merged
from revpages.ingest.names import normalise_names
from revpages.ingest.readers import install_macros, reader_sql
from revpages.ingest.rejects import (
    EMPTY_TABLE,
    FLAGS_TABLE,
    REFUSED,
    REJECTS_TABLE,
    create_outcome_tables,
)
from revpages.sql import literal, operators, quote

NAMED = {"deal_competitors": "competitor"}  # entity names normalised for grouping


@dataclass(frozen=True)
class Checks:
    """What the checks of one load depend on besides the rows."""

    now: datetime  # the as-of moment: later times are flagged
    stage_map: tuple[tuple[str, str], ...] = ()  # export stage -> contract stage (user's)
    aliases: tuple[tuple[str, str], ...] = ()  # a spelling -> the name it stands for


def install_readers(con: duckdb.DuckDBPyConnection, stages: dict[str, str] | None = None) -> None:
    """Create the value readers, the outcome tables and the stage map (stage key ->
    contract stage; the contract's own stages in any case and spacing are always in)."""
    install_macros(con)
    create_outcome_tables(con)
    found = {key(stage): stage for stage in DEAL_STAGES}
    found.update(stages or {})
    con.execute(
        "SET VARIABLE rp_stages = map($1::VARCHAR[], $2::VARCHAR[])",
        [list(found), list(found.values())],
    )


def stage_keys(checks: Checks, defaults: dict[str, str] | None = None) -> dict[str, str]:
    """The stage map of a load: a format's defaults, then the user's ``data_stage_map``."""
    found = dict(defaults or {})
    found.update({key(label): stage for label, stage in checks.stage_map})
    return found


def conform(
    con: duckdb.DuckDBPyConnection,
    table: Table,
    raw: str,
    sources: dict[str, str],
    *,
    file: str,
    checks: Checks,
    header: dict[str, str] | None = None,
) -> dict[str, int]:
    """Fill contract ``table`` from ``raw``; the others go to the outcome tables.

    One pass over ``raw`` cleans each value once, types it and checks every rule. Rows
    of one export (no ``__file`` in ``raw``) are numbered by ``__rec``, or by their
    order when ``raw`` has no ``__rec`` (a line the CSV reader refused is not counted:
    the caller corrects the lines; ``OrderLost`` when the checks would reorder the
    rows). ``header``: contract column -> header text, to refuse a header repeated
    inside the file. Returns the rows loaded per export file (``file``, or each
    ``__file`` of ``raw``).
    """
    present = set(con.table(raw).columns)
    if "__file" in present:
        return _conform_files(con, table, raw, sources, present, checks)
    name = quote(table.name)
    # The contract table itself is staged, other rows deleted and helpers dropped after:
    # no copy of the rows. Its row order is the export's, so rowid orders the records.
    staged = _staged_sql(table, raw, sources, present, checks, header)
    if not _keeps_order(con, staged):
        if "__rec" not in present:
            raise OrderLost(raw)
        staged += " ORDER BY __rec"
    con.execute(f"CREATE TABLE {name} AS {staged}")
    record = "__rec" if "__rec" in present else "rowid + 1"
    _settle(con, table, name, checks, order=("rowid",), file="NULL", line=f"{record} + 1")
    _record(con, table, name, file=literal(file), line=f"{record} + 1", order="rowid")
    con.execute(f"DELETE FROM {name} WHERE __reason IS NOT NULL")
    _drop_helpers(con, name)
    return {file: con.table(name).shape[0]}


class OrderLost(Exception):
    """``raw`` has no ``__rec``, and its checks would reorder its rows (nothing was done)."""


# Operators that pass rows on in the order they come (joins and aggregates do not).
_ORDERED = frozenset(
    ("PROJECTION", "FILTER", "READ_CSV", "READ_CSV_AUTO", "TABLE_SCAN", "SEQ_SCAN")
)
_HELPERS = (
    "__rec",
    "__reason",
    "__value",
    "__outcome",
    "__kept_file",
    "__kept_line",
    "__flags",
    "__empty",
)


def _keeps_order(con: duckdb.DuckDBPyConnection, sql: str) -> bool:
    plan = json.loads(con.execute(f"EXPLAIN (FORMAT json) {sql}").fetchall()[0][1])
    return all(name in _ORDERED for name in operators(plan))


def _conform_files(
    con: duckdb.DuckDBPyConnection,
    table: Table,
    raw: str,
    sources: dict[str, str],
    present: set[str],
    checks: Checks,
) -> dict[str, int]:
    """``raw`` from several export files (``__file``, ``__rec``), in any order."""
    staged = f"__staged_{table.name}"
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {staged} AS "
        + _staged_sql(table, raw, sources, present, checks, None)
    )
    # One export row may become several rows here (a deal's stage dates, its competitors):
    # rowid tells them apart.
    order = ("__file", "__rec", "rowid")
    _settle(con, table, staged, checks, order=order, file="__file", line="__rec + 1")
    _record(con, table, staged, file="__file", line="__rec + 1", order="__file, __rec")
    columns = ", ".join(quote(c.name) for c in table.loaded_columns)
    con.execute(
        f"CREATE TABLE {quote(table.name)} AS SELECT {columns} FROM {staged} "
        "WHERE __reason IS NULL ORDER BY __file, __rec"
    )
    loaded = dict(
        con.execute(
            f"SELECT __file, count(*) FROM {staged} WHERE __reason IS NULL GROUP BY __file"
        ).fetchall()
    )
    con.execute(f"DROP TABLE {staged}")
    return loaded


def _settle(
    con: duckdb.DuckDBPyConnection,
    table: Table,
    staged: str,
    checks: Checks,
    *,
    order: tuple[str, ...],
    file: str,
    line: str,
) -> None:
    """One spelling per name, then the rows that are one record merged."""
    if table.name in NAMED:
        normalise_names(con, staged, table.name, NAMED[table.name], checks.aliases)
    mark_merged(con, table, staged, order=order, file=file, line=line)


def _record(
    con: duckdb.DuckDBPyConnection,
    table: Table,
    staged: str,
    *,
    file: str,
    line: str,
    order: str,
) -> None:
    """Refused and merged rows, flags and empty-like values into the outcome tables."""
    merged = "__outcome" in con.table(staged).columns  # only where rows were merged
    outcome = f"coalesce(__outcome, {literal(REFUSED)})" if merged else literal(REFUSED)
    kept = f"coalesce(__kept_file, {file}), __kept_line" if merged else f"{file}, NULL"
    con.execute(
        f"INSERT INTO {REJECTS_TABLE} SELECT {file}, {line}, $1, __reason, left(__value, 200), "
        f"{outcome}, {kept} FROM {staged} WHERE __reason IS NOT NULL ORDER BY {order}",
        [table.name],
    )
    con.execute(
        f"INSERT INTO {FLAGS_TABLE} SELECT f, l, $1, flag.c, flag.r, left(flag.v, 200) FROM ("
        f"SELECT {file} AS f, {line} AS l, unnest(__flags) AS flag FROM {staged} "
        f"WHERE __reason IS NULL AND __flags IS NOT NULL ORDER BY {order})",
        [table.name],
    )
    con.execute(
        f"INSERT INTO {EMPTY_TABLE} SELECT f, $1, e.c, e.v, count(*) FROM ("
        f"SELECT {file} AS f, unnest(__empty) AS e FROM {staged} "
        "WHERE __reason IS NULL AND __empty IS NOT NULL) GROUP BY ALL ORDER BY ALL",
        [table.name],
    )


def _drop_helpers(con: duckdb.DuckDBPyConnection, name: str) -> None:
    present = set(con.table(name).columns)
    for helper in _HELPERS:
        if helper in present:
            con.execute(f"ALTER TABLE {name} DROP COLUMN {helper}")


def _staged_sql(
    table: Table,
    raw: str,
    sources: dict[str, str],
    present: set[str],
    checks: Checks,
    header: dict[str, str] | None,
) -> str:
    """``__file`` and ``__rec`` when ``raw`` has them (``present``), the loaded columns and
    the helpers (``_HELPERS``).

    Nested selects: the innermost cleans each source value once (``__src_c``), the next
    reads it (``__given_c``), the next fixes what contradicts (the loaded columns), the
    outer one applies the rules to all of them.
    """
    kept = "".join(f"{c}, " for c in ("__file", "__rec") if c in present)
    given = [c for c in table.columns if c.name in sources]
    extra = "".join(f"{c}, " for c in ("__lost", "__as_of") if c in present)
    as_of = "rp_ts(__as_of) AS __as_of, " if "__as_of" in present else ""
    lost = "__lost, " if "__lost" in present else ""
    texts = "".join(
        f", {sources[c.name]} AS {_raw(c.name)}, rp_text({sources[c.name]}) AS {rules.text(c.name)}"
        for c in given
    )
    mapped = (
        "__reason AS __map_reason" if "__reason" in present else "NULL::VARCHAR AS __map_reason"
    )
    mapped += ", __value AS __map_value" if "__value" in present else ", NULL AS __map_value"
    src = "".join(f", {rules.text(c.name)}" for c in given)
    typed = ", ".join(f"{_read(c, sources)} AS {rules.given(c.name)}" for c in table.columns)
    fixed = ", ".join(
        f"{rules.fixed_sql(table, c, sources)}::{c.type} AS {quote(c.name)}" for c in table.columns
    )
    givens = "".join(f", {rules.given(c.name)}" for c in given)
    repeated = _repeated_header(sources, header)
    passed = extra  # what the middle selects pass on to the rules
    if repeated:  # read in the innermost select, where the names are the export's columns
        passed += "__repeat, "
        mapped += f", {repeated} AS __repeat"
        lost += "__repeat, "
    refusals = [
        *(
            [rules.Rule("__repeat", "a repeated header line (two exports joined)", "''")]
            if repeated
            else []
        ),
        rules.Rule("__map_reason IS NOT NULL", "", "CAST(__map_value AS VARCHAR)"),
        *rules.refusals(table, sources),
    ]
    flags = rules.flags(
        table, sources, checks.now, lost="__lost" in present, as_of="__as_of" in present
    )
    reason = _case(
        [(r.condition, literal(r.reason) if r.reason else "__map_reason") for r in refusals]
    )
    value = _case([(r.condition, f"CAST({r.value} AS VARCHAR)") for r in refusals])
    columns = ", ".join(quote(c.name) for c in table.columns)
    return (
        f"SELECT {kept}{columns}, CASE WHEN __flags IS NULL THEN []::VARCHAR[] ELSE "
        "list_sort(list_distinct(list_transform(__flags, x -> x.c))) END AS flags, "
        "__reason, __value, __flags, __empty FROM ("
        f"SELECT {kept}{columns}, {reason} AS __reason, {value} AS __value, "
        f"{_flag_list(flags)} AS __flags, __empty FROM ("
        f"SELECT {kept}{passed}__map_reason, __map_value, __empty, {fixed}{givens}{src} FROM ("
        f"SELECT {kept}{lost}{as_of}__map_reason, __map_value, {_empty_like(given)} AS __empty, "
        f"{typed}{src} FROM (SELECT {kept}{extra}{mapped}{texts} FROM {raw}))))"
    )


def _read(column, sources: dict[str, str]) -> str:
    if column.name not in sources:
        return f"NULL::{column.type}"
    text = rules.text(column.name)
    if column.choices:  # deal stages: the stage map, else 'unmapped'
        return (
            f"CASE WHEN {text} IS NOT NULL THEN coalesce(getvariable('rp_stages')"
            f"[rp_key({text})], {literal(UNMAPPED_STAGE)}) END"
        )
    return f"{reader_sql(column, text)}::{column.type}"


def _raw(column: str) -> str:
    return quote(f"__raw_{column}")


def _empty_like(given) -> str:
    """Per row, the columns whose text was empty-like (N/A, -, null...) and that text;
    NULL when none (most rows), so nothing is built for them."""
    checks = [
        (
            f"{rules.text(c.name)} IS NULL AND {_raw(c.name)} <> ''",
            f"{{'c': {literal(c.name)}, 'v': lower(trim({_raw(c.name)}))}}",
        )
        for c in given
    ]
    if not checks:
        return "NULL::STRUCT(c VARCHAR, v VARCHAR)[]"
    anyone = " OR ".join(f"({condition})" for condition, _ in checks)
    items = ", ".join(f"CASE WHEN {condition} THEN {item} END" for condition, item in checks)
    return f"CASE WHEN {anyone} THEN list_filter([{items}], x -> x IS NOT NULL) END"


def _flag_list(flags: list[rules.Rule]) -> str:
    """The flags of a row: a list of {c: column, r: reason, v: value}; NULL for most rows
    (nothing stored for them)."""
    if not flags:
        return "NULL::STRUCT(c VARCHAR, r VARCHAR, v VARCHAR)[]"
    anyone = " OR ".join(f"coalesce({f.condition}, false)" for f in flags)
    items = ", ".join(
        f"CASE WHEN {f.condition} THEN {{'c': {literal(f.column)}, 'r': {literal(f.reason)}, "
        f"'v': CAST({f.value} AS VARCHAR)}} END"
        for f in flags
    )
    return f"CASE WHEN {anyone} THEN list_filter([{items}], x -> x IS NOT NULL) END"


def _repeated_header(sources: dict[str, str], header: dict[str, str] | None) -> str:
    """Two exports joined into one file repeat the header line: that row is no record."""
    if not header or len(sources) < 2:
        return ""
    # The header as written (a BOM before it is gone): exact text, cheap to compare.
    same = " AND ".join(
        f"{sources[c]} = {literal(h.lstrip(chr(0xFEFF)))}"
        for c, h in header.items()
        if c in sources
    )
    return f"coalesce({same}, false)"


def _case(branches: list[tuple[str, str]]) -> str:
    if not branches:
        return "NULL"
    return "CASE " + " ".join(f"WHEN {c} THEN {v}" for c, v in branches) + " END"
