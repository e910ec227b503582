"""One column of a mapping SQL file, replaced by another export column (``data_columns``).

The mapping is parsed by DuckDB (``json_serialize_sql``), the select-list entry
with the contract column's alias is changed in the tree, and the tree is turned
back into SQL (``json_deserialize_sql``): the export column's name never becomes
SQL text by pasting. An expression over one export column keeps its clean-up
(``rp_snake(o.Loss_Reason__c)`` becomes ``rp_snake(o."Custom__c")``); any other
expression is replaced by the export column itself.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import duckdb

from revpages.errors import DataLoadError
from revpages.sql import syntax_tree, walk

# (schema, table) of a raw export object -> a resolver of the user's column name
Resolver = Callable[[str, str, str], str | None]


def override_columns(
    con: duckdb.DuckDBPyConnection,
    sql: str,
    overrides: dict[str, str],
    *,
    table: str,
    resolve: Resolver,
    sources: str,
) -> str:
    """``sql`` with the expression of each contract column in ``overrides`` replaced.

    ``resolve(schema, object, name)`` returns the object's real column for the user's
    ``name`` (or None); ``sources`` names the objects, for the error message.
    """
    if not overrides:
        return sql
    tree = syntax_tree(con, sql)
    if tree.get("error"):
        raise DataLoadError(
            f"the mapping of '{table}' does not parse: {tree.get('error_message', '')}.",
            code="RP508",
            hint="restore the mapping SQL that came with revpages.",
        )
    branches = list(select_nodes(tree["statements"][0]["node"]))
    for column, export in sorted(overrides.items()):
        position = _position(branches[0], column)
        if position is None:
            raise DataLoadError(
                f"data_columns: the mapping of '{table}' has no column '{column}'.",
                code="RP105",
                hint="check the name in data_columns.",
            )
        replaced = [_replace(branch, position, export, resolve) for branch in branches]
        if not any(replaced):
            raise DataLoadError(
                f"data_columns: '{table}.{column}' names '{export}', which is not a column "
                f"of {sources}.",
                code="RP106",
                hint="use the column's header as exported (or its internal name), and "
                "check that the export includes it.",
            )
    return con.execute("SELECT json_deserialize_sql($1)", [json.dumps(tree)]).fetchone()[0]


def select_nodes(node: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The SELECT nodes of a statement: itself, or each branch of UNION ALL."""
    if node.get("type") == "SET_OPERATION_NODE":
        for side in ("left", "right"):
            yield from select_nodes(node[side])
        for child in node.get("children", []):
            yield from select_nodes(child)
    elif node.get("type") == "SELECT_NODE":
        yield node


def _position(node: dict[str, Any], alias: str) -> int | None:
    for position, expression in enumerate(node["select_list"]):
        if expression.get("alias") == alias:
            return position
    return None


def _replace(node: dict[str, Any], position: int, export: str, resolve: Resolver) -> bool:
    expression = node["select_list"][position]
    tables = dict(base_tables(node["from_table"]))
    refs = list(qualified_refs(expression))
    single = len({tuple(r["column_names"]) for r in refs}) == 1
    alias = refs[0]["column_names"][0] if single else _first_alias(node["from_table"])
    if alias not in tables:
        return False
    column = resolve(*tables[alias], export)
    if column is None:
        return False
    if single:
        for ref in refs:
            ref["column_names"] = [alias, column]
    else:
        node["select_list"][position] = {
            "class": "COLUMN_REF",
            "type": "COLUMN_REF",
            "alias": expression.get("alias", ""),
            "query_location": expression.get("query_location", 0),
            "column_names": [alias, column],
        }
    return True


def qualified_refs(node: Any) -> Iterator[dict[str, Any]]:
    """Column references written as ``alias.column`` (lambda parameters are bare names)."""
    for found in walk(node):
        if found.get("class") == "COLUMN_REF" and len(found.get("column_names", ())) == 2:
            yield found


def base_tables(node: dict[str, Any] | None) -> Iterator[tuple[str, tuple[str, str]]]:
    """(alias, (schema, table)) of the tables joined in a FROM clause."""
    if not node:
        return
    if node.get("type") == "BASE_TABLE":
        yield (
            node.get("alias") or node["table_name"],
            (node.get("schema_name", ""), node["table_name"]),
        )
    elif node.get("type") == "JOIN":
        yield from base_tables(node.get("left"))
        yield from base_tables(node.get("right"))


def _first_alias(node: dict[str, Any]) -> str:
    for alias, _table in base_tables(node):
        return alias
    return ""
