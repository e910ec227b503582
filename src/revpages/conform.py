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

from dataclasses import dataclass
from datetime import datetime

import duckdb

from revpages.contract import Column, Table

REJECTS_TABLE = "revpages_rejects"
NULL_TOKENS = ("", "n/a", "na", "null", "none", "nan", "#n/a", "-", "--")
DATE_FORMATS = (
    "%m/%d/%Y %I:%M %p", "%m/%d/%Y %I:%M:%S %p", "%m/%d/%Y %H:%M:%S", "%m/%d/%Y %H:%M",
    "%m/%d/%Y", "%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H:%M", "%d.%m.%Y", "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d", "%d-%b-%Y", "%b %d, %Y", "%B %d, %Y",
)
_EURO_MONEY = r"-?[0-9]{1,3}(\.[0-9]{3})+(,[0-9]+)?|-?[0-9]+,[0-9]{1,2}"

_MACROS = (
    "CREATE OR REPLACE MACRO rp_text(s) AS "
    "CASE WHEN list_contains([{nulls}], lower(trim(s))) THEN NULL ELSE trim(s) END",
    # Text of 19 characters or fewer has no room for a zone: the fast TIMESTAMP cast is exact.
    "CREATE OR REPLACE MACRO rp_ts_text(t) AS coalesce(CASE WHEN length(t) <= 19 "
    "THEN try_cast(t AS TIMESTAMP) ELSE try_cast(t AS TIMESTAMPTZ)::TIMESTAMP END, "
    "try_strptime(t, [{formats}]))",
    "CREATE OR REPLACE MACRO rp_ts(s) AS rp_ts_text(rp_text(s))",
    "CREATE OR REPLACE MACRO rp_money_text(s) AS "
    "regexp_replace(rp_text(s), '[^0-9,.\\-]', '', 'g')",
    "CREATE OR REPLACE MACRO rp_money(s) AS try_cast(CASE "
    f"WHEN regexp_full_match(rp_money_text(s), '{_EURO_MONEY}') "
    "THEN replace(replace(rp_money_text(s), '.', ''), ',', '.') "
    "ELSE replace(rp_money_text(s), ',', '') END AS DECIMAL(18,2))",
    "CREATE OR REPLACE MACRO rp_int(s) AS try_cast(replace(rp_text(s), ',', '') AS BIGINT)",
    "CREATE OR REPLACE MACRO rp_double(s) AS try_cast(replace(rp_text(s), ',', '') AS DOUBLE)",
    "CREATE OR REPLACE MACRO rp_bool(s) AS CASE "
    "WHEN lower(rp_text(s)) IN ('true', 't', 'yes', 'y', '1') THEN true "
    "WHEN lower(rp_text(s)) IN ('false', 'f', 'no', 'n', '0') THEN false END",
)
_READERS = {"TIMESTAMP": "rp_ts", "DATE": "rp_ts", "INTEGER": "rp_int", "DOUBLE": "rp_double",
            "BOOLEAN": "rp_bool", "VARCHAR": "rp_text"}
_HOW = {"TIMESTAMP": "a date and time", "DATE": "a date", "INTEGER": "a whole number",
        "DOUBLE": "a number", "BOOLEAN": "true or false", "DECIMAL": "money"}


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


def quote(identifier: str) -> str:
    """A SQL identifier, quoted; export headers are data and may hold any character."""
    return '"' + identifier.replace('"', '""') + '"'


def literal(text: str) -> str:
    """A SQL string literal for our own constants (reasons), never for export values."""
    return "'" + text.replace("'", "''") + "'"


def reader_sql(column: Column, source: str) -> str:
    base = column.type.split("(")[0]
    if base == "DECIMAL":
        return f"rp_money({source})"
    expression = f"{_READERS[base]}({source})"
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
            rules.append(Rule(f"{typed} IS NULL AND {text} IS NOT NULL",
                              f"{column.name} is not {how}", text))
        if column.type.startswith("DECIMAL"):
            rules.append(Rule(f"{typed} < 0", f"negative {column.name}", text))
        if column.choices:  # e.g. deal stages: reports compare them with these exact words
            allowed = ", ".join(literal(choice) for choice in column.choices)
            rules.append(Rule(f"{typed} NOT IN ({allowed})",
                              f"{column.name} is not one of {', '.join(column.choices)}", text))
    stamp = now.strftime("%Y-%m-%d %H:%M:%S")
    event = table.event_column
    if event and event in sources:
        rules.append(Rule(f"{quote(event)} > TIMESTAMP '{stamp}'", f"{event} is in the future",
                          quote(f"__src_{event}")))
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

    Returns the rows loaded per export file (``file``, or each ``__file`` of ``raw``).
    """
    present = set(con.table(raw).columns)
    typed = ", ".join(
        f"{reader_sql(c, sources[c.name]) if c.name in sources else 'NULL'}::{c.type} "
        f"AS {quote(c.name)}"
        for c in table.columns
    )
    texts = "".join(f", rp_text({sources[c.name]}) AS {quote('__src_' + c.name)}"
                    for c in table.columns if c.name in sources)
    origin = "__file" if "__file" in present else "$1::VARCHAR AS __file"
    mapped = ("__reason AS __map_reason" if "__reason" in present
              else "NULL::VARCHAR AS __map_reason")
    mapped += ", __value AS __map_value" if "__value" in present else ", NULL AS __map_value"
    staged = f"__staged_{table.name}"
    con.execute(f"CREATE OR REPLACE TEMP TABLE {staged}_typed AS "
                f"SELECT {origin}, __rec, {mapped}, {typed}{texts} FROM {raw}",
                [] if "__file" in present else [file])
    rules = rules_for(table, sources, now)
    reason = _case([("__map_reason IS NOT NULL", "__map_reason"),
                    *((r.condition, literal(r.reason)) for r in rules)])
    value = _case([("__map_reason IS NOT NULL", "CAST(__map_value AS VARCHAR)"),
                   *((r.condition, f"CAST({r.value} AS VARCHAR)") for r in rules)])
    con.execute(f"CREATE OR REPLACE TEMP TABLE {staged} AS SELECT *, {reason} AS __reason, "
                f"{value} AS __value FROM {staged}_typed")
    con.execute(f"DROP TABLE {staged}_typed")
    _mark_duplicates(con, table, staged)
    columns = ", ".join(quote(c.name) for c in table.columns)
    con.execute(f"CREATE TABLE {quote(table.name)} AS SELECT {columns} FROM {staged} "
                "WHERE __reason IS NULL ORDER BY __file, __rec")
    con.execute(f"INSERT INTO {REJECTS_TABLE} SELECT __file, __rec + 1, $1, __reason, "
                f"left(__value, 200) FROM {staged} WHERE __reason IS NOT NULL "
                "ORDER BY __file, __rec", [table.name])
    loaded = dict(con.execute(f"SELECT __file, count(*) FROM {staged} WHERE __reason IS NULL "
                              "GROUP BY __file").fetchall())
    con.execute(f"DROP TABLE {staged}")
    return loaded


def _mark_duplicates(con: duckdb.DuckDBPyConnection, table: Table, staged: str) -> None:
    """Only tables keyed by one id drop duplicates: the latest row (last in the export) wins."""
    if len(table.key) != 1:
        return
    key = quote(table.key[0])
    con.execute(
        f"UPDATE {staged} SET __reason = $1, __value = CAST({staged}.{key} AS VARCHAR) "
        f"FROM (SELECT __file, __rec, row_number() OVER (PARTITION BY {key} "
        f"ORDER BY __file DESC, __rec DESC) AS newest FROM {staged} "
        f"WHERE __reason IS NULL) AS kept "
        f"WHERE {staged}.__rec = kept.__rec AND {staged}.__file = kept.__file "
        "AND kept.newest > 1",
        [f"duplicate {table.key[0]} (a later row was kept)"],
    )


def _case(branches: list[tuple[str, str]]) -> str:
    if not branches:
        return "NULL"
    return "CASE " + " ".join(f"WHEN {c} THEN {v}" for c, v in branches) + " END"
