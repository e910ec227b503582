"""Which export columns each contract column of a mapping reads, from its parse tree.

A contract column is lost for an export file when the mapping reads it from columns of
the file's object and the file has none of them (an Opportunity export without
``LeadSource`` leaves ``deals.source`` empty). Columns read from lookups (owners,
users, contacts) or from another object the file's rows are joined with are
alternatives: when one of those is exported, the column is not lost.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import duckdb

from revpages.ingest.crm.catalog import ExportFormat
from revpages.ingest.crm.overrides import base_tables, qualified_refs, select_nodes

# contract column -> {(object, column)} it reads, for one branch of a mapping
Reads = dict[str, set[tuple[str, str]]]


def branch_reads(con: duckdb.DuckDBPyConnection, sql: str, fmt: ExportFormat) -> list[Reads]:
    """Per SELECT branch of ``sql`` (UNION ALL), what each output column reads; the
    branch's own object is the first base table of its FROM clause."""
    tree = json.loads(con.execute("SELECT json_serialize_sql($1)", [sql]).fetchone()[0])
    if tree.get("error"):
        return []
    branches = list(select_nodes(tree["statements"][0]["node"]))
    if not branches:
        return []
    names = [
        e.get("alias") or (e.get("column_names") or [""])[-1] for e in branches[0]["select_list"]
    ]
    found = []
    for branch in branches:
        tables = {
            alias: table
            for alias, (schema, table) in base_tables(branch.get("from_table"))
            if schema == fmt.name
        }
        reads: Reads = {}
        for name, expression in zip(names, branch["select_list"], strict=False):
            if _has_default(expression):
                continue  # coalesce(..., 'events'): never empty
            reads[name] = {
                (tables[ref["column_names"][0]], ref["column_names"][1])
                for ref in qualified_refs(expression)
                if ref["column_names"][0] in tables
            }
        found.append(reads)
    return found


def own_object(con: duckdb.DuckDBPyConnection, sql: str, fmt: ExportFormat) -> list[str]:
    """The object of each branch: the table its ``__file`` comes from."""
    objects = []
    for reads in branch_reads(con, sql, fmt):
        sources = reads.get("__file", set())
        objects.append(next(iter(sources))[0] if sources else "")
    return objects


def lost_columns(
    reads: Reads, obj: str, exported: set[str], present: dict[str, set[str]], fmt: ExportFormat
) -> Iterator[tuple[str, str]]:
    """(contract column, the export column that would fill it) for each column a file of
    ``obj`` with the columns ``exported`` leaves empty; ``present`` holds the columns of
    every object, for the alternatives."""
    for column, sources in reads.items():
        if column.startswith("__"):
            continue
        own = sorted(c for o, c in sources if o == obj)
        if not own or any(c in exported for c in own):
            continue
        others = [
            (o, c) for o, c in sources if o != obj and fmt.objects[o].tables and c in present[o]
        ]
        if not others:
            yield column, ", ".join(fmt.objects[obj].describe(c) for c in own)


def _has_default(node: Any) -> bool:
    """Whether an expression is a COALESCE ending in a constant that is not NULL."""
    if isinstance(node, list):
        return any(_has_default(item) for item in node)
    if not isinstance(node, dict):
        return False
    if node.get("type") == "OPERATOR_COALESCE":
        last = (node.get("children") or [{}])[-1]
        if last.get("type") == "VALUE_CONSTANT" and not last.get("value", {}).get("is_null"):
            return True
    return any(_has_default(value) for value in node.values())
