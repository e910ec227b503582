"""Raw export text -> typed contract tables, with every refused row kept and explained.

A raw table holds the export as text (``__rec`` is its record number). Each
contract column is converted with a tolerant reader (money like ``$1,200.50``
or ``1.200,50``, dates in mixed formats and zones, ``N/A``/``null`` as
missing); a row whose value cannot be read, whose required value is missing,
or that breaks a rule (negative amount, closed before created, dated in the
future, duplicate id) goes to ``revpages_rejects`` with its line and reason.

A raw table built by an export mapping may also carry ``__file`` (the export file
each row came from, used as the rejects' file) and ``__reason``/``__value`` (a
refusal the mapping already decided, e.g. a deal stage that is not mapped).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

import duckdb

from revpages.contract import Column, Table
from revpages.ingest.rejects import REJECTS_TABLE
from revpages.sql import literal, operators, quote

NULL_TOKENS = ("", "n/a", "na", "null", "none", "nan", "#n/a", "-", "--")
DATE_FORMATS = (
    "%m/%d/%Y %I:%M %p",
    "%m/%d/%Y %I:%M:%S %p",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %H:%M",
    "%m/%d/%Y",
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y %H:%M",
    "%d.%m.%Y",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d",
    "%d-%b-%Y",
    "%b %d, %Y",
    "%B %d, %Y",
)
_EURO_MONEY = r"-?[0-9]{1,3}(\.[0-9]{3})+(,[0-9]+)?|-?[0-9]+,[0-9]{1,2}"

_MACROS = (
    # Most values are plain ASCII with nothing to trim and longer than any null token: they
    # pass as they are; only the rest pay for trim (which removes Unicode spaces) and lower.
    "CREATE OR REPLACE MACRO rp_text(s) AS CASE WHEN strlen(s) > 4 AND strlen(s) = length(s) "
    "AND NOT starts_with(s, ' ') AND NOT ends_with(s, ' ') THEN s "
    "WHEN list_contains([{nulls}], lower(trim(s))) THEN NULL ELSE trim(s) END",
    # The *_text readers take text rp_text already cleaned (trimmed, null tokens as NULL).
    # Text of 19 characters or fewer has no room for a zone: the fast TIMESTAMP cast is exact.
    "CREATE OR REPLACE MACRO rp_ts_text(t) AS coalesce(CASE WHEN length(t) <= 19 "
    "THEN try_cast(t AS TIMESTAMP) ELSE try_cast(t AS TIMESTAMPTZ)::TIMESTAMP END, "
    "try_strptime(t, [{formats}]))",
    "CREATE OR REPLACE MACRO rp_ts(s) AS rp_ts_text(rp_text(s))",
    "CREATE OR REPLACE MACRO rp_money_digits(t) AS regexp_replace(t, '[^0-9,.\\-]', '', 'g')",
    "CREATE OR REPLACE MACRO rp_money_text(t) AS try_cast(CASE "
    f"WHEN regexp_full_match(rp_money_digits(t), '{_EURO_MONEY}') "
    "THEN replace(replace(rp_money_digits(t), '.', ''), ',', '.') "
    "ELSE replace(rp_money_digits(t), ',', '') END AS DECIMAL(18,2))",
    "CREATE OR REPLACE MACRO rp_money(s) AS rp_money_text(rp_text(s))",
    "CREATE OR REPLACE MACRO rp_int_text(t) AS try_cast(replace(t, ',', '') AS BIGINT)",
    "CREATE OR REPLACE MACRO rp_int(s) AS rp_int_text(rp_text(s))",
    "CREATE OR REPLACE MACRO rp_double_text(t) AS try_cast(replace(t, ',', '') AS DOUBLE)",
    "CREATE OR REPLACE MACRO rp_double(s) AS rp_double_text(rp_text(s))",
    # list_contains, not IN: DuckDB turns IN lists into joins, which lose the row order.
    "CREATE OR REPLACE MACRO rp_bool_text(t) AS CASE "
    "WHEN list_contains(['true', 't', 'yes', 'y', '1'], lower(t)) THEN true "
    "WHEN list_contains(['false', 'f', 'no', 'n', '0'], lower(t)) THEN false END",
    "CREATE OR REPLACE MACRO rp_bool(s) AS rp_bool_text(rp_text(s))",
)
# Readers of cleaned text, by contract type (DECIMAL is money); VARCHAR needs none.
_READERS = {
    "TIMESTAMP": "rp_ts_text",
    "DATE": "rp_ts_text",
    "INTEGER": "rp_int_text",
    "DOUBLE": "rp_double_text",
    "BOOLEAN": "rp_bool_text",
    "DECIMAL": "rp_money_text",
}
_HOW = {
    "TIMESTAMP": "a date and time",
    "DATE": "a date",
    "INTEGER": "a whole number",
    "DOUBLE": "a number",
    "BOOLEAN": "true or false",
    "DECIMAL": "money",
}


@dataclass(frozen=True)
class Rule:
    """A row-level check: rows where ``condition`` holds are refused with ``reason``."""

    condition: str
    reason: str
    value: str  # SQL for the offending text, shown as the sample


def install_readers(con: duckdb.DuckDBPyConnection) -> None:
    """Create the tolerant value readers and the rejects table."""
    nulls = ", ".join(f"'{token}'" for token in NULL_TOKENS)
    formats = ", ".join(f"'{fmt}'" for fmt in DATE_FORMATS)
    for macro in _MACROS:
        con.execute(macro.replace("{nulls}", nulls).replace("{formats}", formats))
    con.execute(
        f"CREATE TABLE IF NOT EXISTS {REJECTS_TABLE} (file VARCHAR, line BIGINT, "
        "table_name VARCHAR, reason VARCHAR, value VARCHAR)"
    )


def reader_sql(column: Column, text: str) -> str:
    """SQL reading ``column`` from ``text``, already cleaned by ``rp_text``."""
    base = column.type.split("(")[0]
    if base == "VARCHAR":
        return text
    expression = f"{_READERS[base]}({text})"
    return f"{expression}::DATE" if base == "DATE" else expression


def rules_for(table: Table, sources: dict[str, str], now: datetime) -> list[Rule]:
    """Every check of one contract table, over typed columns and their source text.

    In the staged table each present column ``c`` is typed and ``__src_c`` holds
    its trimmed text (NULL when missing), so each value is converted only once.
    """
    rules: list[Rule] = []
    for column in table.columns:
        if column.name not in sources:
            continue
        typed, text = quote(column.name), quote(f"__src_{column.name}")
        if column.required:
            rules.append(Rule(f"{text} IS NULL", f"missing {column.name}", "''"))
        how = _HOW.get(column.type.split("(")[0])
        if how:
            rules.append(
                Rule(f"{typed} IS NULL AND {text} IS NOT NULL", f"{column.name} is not {how}", text)
            )
        if column.type.startswith("DECIMAL"):
            rules.append(Rule(f"{typed} < 0", f"negative {column.name}", text))
        if column.choices:  # e.g. deal stages: reports compare them with these exact words
            allowed = ", ".join(literal(choice) for choice in column.choices)
            rules.append(
                Rule(
                    f"NOT list_contains([{allowed}], {typed})",
                    f"{column.name} is not one of {', '.join(column.choices)}",
                    text,
                )
            )
    stamp = now.strftime("%Y-%m-%d %H:%M:%S")
    event = table.event_column
    if event and event in sources:
        rules.append(
            Rule(
                f"{quote(event)} > TIMESTAMP '{stamp}'",
                f"{event} is in the future",
                quote(f"__src_{event}"),
            )
        )
    if table.name == "deals" and {"created_at", "closed_at"} <= sources.keys():
        rules.append(Rule("closed_at < created_at", "closed before created", "__src_closed_at"))
    return rules


def conform(
    con: duckdb.DuckDBPyConnection,
    table: Table,
    raw: str,
    sources: dict[str, str],
    *,
    file: str,
    now: datetime,
) -> dict[str, int]:
    """Fill contract ``table`` from ``raw``; refused rows go to the rejects table.

    One pass over ``raw`` cleans each value once, types it and checks every rule. Rows
    of one export (no ``__file`` in ``raw``) are numbered by ``__rec``, or by their
    order when ``raw`` has no ``__rec`` (a line the CSV reader refused is not counted:
    the caller corrects the lines of the rejects; ``OrderLost`` when the checks would
    reorder the rows). Returns the rows loaded per export file (``file``, or each
    ``__file`` of ``raw``).
    """
    present = set(con.table(raw).columns)
    if "__file" in present:
        return _conform_files(con, table, raw, sources, present, now)
    name = quote(table.name)
    # The contract table itself is staged, refused rows deleted and helpers dropped after:
    # no copy of the rows. Its row order is the export's, so rowid orders the records.
    staged = _staged_sql(table, raw, sources, present, now)
    if not _keeps_order(con, staged):
        if "__rec" not in present:
            raise OrderLost(raw)
        staged += " ORDER BY __rec"
    con.execute(f"CREATE TABLE {name} AS {staged}")
    _mark_duplicates(con, table, name, rows=("rowid",))
    record = "__rec" if "__rec" in present else "rowid + 1"
    con.execute(
        f"INSERT INTO {REJECTS_TABLE} SELECT $1, {record} + 1, $2, __reason, "
        f"left(__value, 200) FROM {name} WHERE __reason IS NOT NULL ORDER BY rowid",
        [file, table.name],
    )
    con.execute(f"DELETE FROM {name} WHERE __reason IS NOT NULL")
    for helper in ("__rec", "__reason", "__value"):
        if helper in con.table(name).columns:
            con.execute(f"ALTER TABLE {name} DROP COLUMN {helper}")
    return {file: con.table(name).shape[0]}


class OrderLost(Exception):
    """``raw`` has no ``__rec``, and its checks would reorder its rows (nothing was done)."""


# Operators that pass rows on in the order they come (joins and aggregates do not).
_ORDERED = frozenset(
    ("PROJECTION", "FILTER", "READ_CSV", "READ_CSV_AUTO", "TABLE_SCAN", "SEQ_SCAN")
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
    now: datetime,
) -> dict[str, int]:
    """``raw`` from several export files (``__file``, ``__rec``), in any order."""
    staged = f"__staged_{table.name}"
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {staged} AS "
        + _staged_sql(table, raw, sources, present, now)
    )
    _mark_duplicates(con, table, staged, rows=("__file", "__rec"))
    columns = ", ".join(quote(c.name) for c in table.columns)
    con.execute(
        f"CREATE TABLE {quote(table.name)} AS SELECT {columns} FROM {staged} "
        "WHERE __reason IS NULL ORDER BY __file, __rec"
    )
    con.execute(
        f"INSERT INTO {REJECTS_TABLE} SELECT __file, __rec + 1, $1, __reason, "
        f"left(__value, 200) FROM {staged} WHERE __reason IS NOT NULL "
        "ORDER BY __file, __rec",
        [table.name],
    )
    loaded = dict(
        con.execute(
            f"SELECT __file, count(*) FROM {staged} WHERE __reason IS NULL GROUP BY __file"
        ).fetchall()
    )
    con.execute(f"DROP TABLE {staged}")
    return loaded


def _staged_sql(
    table: Table, raw: str, sources: dict[str, str], present: set[str], now: datetime
) -> str:
    """``__file`` and ``__rec`` when ``raw`` has them (``present``), the typed columns,
    ``__reason`` and ``__value``.

    Nested selects: the innermost cleans each source value once (``__src_c``), the
    middle one types it, the outer one applies the rules to both.
    """
    kept = "".join(f"{c}, " for c in ("__file", "__rec") if c in present)
    given = [c for c in table.columns if c.name in sources]
    texts = "".join(f", rp_text({sources[c.name]}) AS {quote('__src_' + c.name)}" for c in given)
    typed = ", ".join(
        f"{reader_sql(c, quote('__src_' + c.name)) if c.name in sources else 'NULL'}::{c.type}"
        f" AS {quote(c.name)}"
        for c in table.columns
    )
    src = "".join(f", {quote('__src_' + c.name)}" for c in given)
    mapped = (
        "__reason AS __map_reason" if "__reason" in present else "NULL::VARCHAR AS __map_reason"
    )
    mapped += ", __value AS __map_value" if "__value" in present else ", NULL AS __map_value"
    rules = rules_for(table, sources, now)
    reason = _case(
        [
            ("__map_reason IS NOT NULL", "__map_reason"),
            *((r.condition, literal(r.reason)) for r in rules),
        ]
    )
    value = _case(
        [
            ("__map_reason IS NOT NULL", "CAST(__map_value AS VARCHAR)"),
            *((r.condition, f"CAST({r.value} AS VARCHAR)") for r in rules),
        ]
    )
    columns = ", ".join(quote(c.name) for c in table.columns)
    return (
        f"SELECT {kept}{columns}, {reason} AS __reason, {value} AS __value FROM ("
        f"SELECT {kept}__map_reason, __map_value, {typed}{src} FROM ("
        f"SELECT {kept}{mapped}{texts} FROM {raw}))"
    )


def _mark_duplicates(
    con: duckdb.DuckDBPyConnection, table: Table, staged: str, *, rows: tuple[str, ...]
) -> None:
    """Only tables keyed by one id drop duplicates: the latest row (last in the export)
    wins. ``rows`` identify a row of ``staged`` and order it within its export."""
    if len(table.key) != 1:
        return
    key = quote(table.key[0])
    ids = ", ".join(f"{r} AS __id{i}" for i, r in enumerate(rows))
    latest = ", ".join(f"{r} DESC" for r in rows)
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE __duplicates AS SELECT {ids} FROM {staged} "
        f"WHERE __reason IS NULL QUALIFY row_number() OVER (PARTITION BY {key} "
        f"ORDER BY {latest}) > 1"
    )
    if con.table("__duplicates").shape[0]:
        same = " AND ".join(f"{staged}.{r} = d.__id{i}" for i, r in enumerate(rows))
        con.execute(
            f"UPDATE {staged} SET __reason = $1, __value = CAST({staged}.{key} AS VARCHAR) "
            f"FROM __duplicates AS d WHERE {same}",
            [f"duplicate {table.key[0]} (a later row was kept)"],
        )
    con.execute("DROP TABLE __duplicates")


def _case(branches: list[tuple[str, str]]) -> str:
    if not branches:
        return "NULL"
    return "CASE " + " ".join(f"WHEN {c} THEN {v}" for c, v in branches) + " END"
