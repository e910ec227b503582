"""SQL text shared by every stage: quoted identifiers and literals, the operators of a query
plan, the one row of an aggregate.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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


def operators(node: object) -> list[str]:
    if isinstance(node, list):
        return [name for child in node for name in operators(child)]
    if isinstance(node, dict):
        return [str(node.get("name", "")).strip(), *operators(node.get("children", []))]
    return []
