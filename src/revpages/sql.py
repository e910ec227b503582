"""SQL shared by every stage: quoted identifiers and literals, and the one walker of the
trees DuckDB gives for a statement (``json_serialize_sql``) or a plan (``EXPLAIN``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import duckdb


def quote(identifier: str) -> str:
    """A SQL identifier, quoted; export headers are data and may hold any character."""
    return '"' + identifier.replace('"', '""') + '"'


def literal(text: str) -> str:
    """A SQL string literal for our own constants (reasons), never for export values."""
    return "'" + text.replace("'", "''") + "'"


def one_row(row: tuple[Any, ...] | None) -> tuple[Any, ...]:
    """``fetchone()`` of a query that always returns one row, such as ``SELECT count(*)``."""
    if row is None:
        raise ValueError("the query returned no row")
    return row


def scalar(con: duckdb.DuckDBPyConnection, sql: str, params: object = None) -> Any:
    """The one value of a query that always returns one row, such as ``SELECT count(*)``."""
    return one_row(con.execute(sql, params).fetchone())[0]


def walk(node: Any, *, through: tuple[str, ...] = ()) -> Iterator[dict[str, Any]]:
    """Every object of a JSON tree, parents before children; with ``through``, only the
    children under those keys (a plan's ``children``, not its ``extra_info``)."""
    if isinstance(node, list):
        for item in node:
            yield from walk(item, through=through)
    elif isinstance(node, dict):
        yield node
        for key, value in node.items():
            if not through or key in through:
                yield from walk(value, through=through)


def operators(plan: Any) -> list[str]:
    """The operator names of an ``EXPLAIN (FORMAT json)`` plan."""
    return [str(node.get("name", "")).strip() for node in walk(plan, through=("children",))]


def syntax_tree(con: duckdb.DuckDBPyConnection, sql: str) -> dict[str, Any]:
    """DuckDB's parse of ``sql`` (``json_serialize_sql``): ``error`` is set when it fails."""
    # fetchall, not fetchone: a result left open turns a later failed read (a damaged
    # stored result) into an aborted transaction that the next query trips over.
    tree: dict[str, Any] = json.loads(
        con.execute("SELECT json_serialize_sql($1)", [sql]).fetchall()[0][0]
    )
    return tree


def tables_read(node: Any, ctes: frozenset[str] = frozenset()) -> dict[str, int]:
    """Tables a parsed statement reads, by the byte offset of their first mention; a name
    is left out where a WITH clause in scope defines it (each CTE sees those before it)."""
    found: dict[str, int] = {}

    def add(child: Any, hidden: frozenset[str]) -> None:
        for name, at in tables_read(child, hidden).items():
            found[name] = min(at, found.get(name, at))

    if isinstance(node, list):
        for value in node:
            add(value, ctes)
        return found
    if not isinstance(node, dict):
        return found
    defined = (node.get("cte_map") or {}).get("map") or []
    for number, cte in enumerate(defined):
        add(cte["value"], ctes | {c["key"].lower() for c in defined[:number]})
    ctes |= {cte["key"].lower() for cte in defined}
    if node.get("type") == "RECURSIVE_CTE_NODE":  # reads itself
        ctes |= {str(node.get("cte_name") or "").lower()}
    name = str(node.get("table_name") or "").lower()
    if node.get("type") == "BASE_TABLE" and name and name not in ctes:
        found[name] = int(node.get("query_location") or 0)
    for key, value in node.items():
        if key != "cte_map":
            add(value, ctes)
    return found
