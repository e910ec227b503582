"""What report SQL may not call or read, beyond what DuckDB's own lock-down forbids.

After loading, the engine turns external access off and locks the configuration, so no
query reads a file outside the stored data, the network or an extension, nor changes a
setting. But DuckDB can still *tell* a query about itself: ``duckdb_settings()`` and
``current_setting('temp_directory')`` give host paths, ``duckdb_views()`` and
``information_schema.views`` give the SQL of the views over the stored Parquet files,
``query('...')`` runs SQL written as a string, out of reach of any check. Report queries
and shared models need none of that, so the parse tree of each one is searched for these
functions and catalogue tables before it runs (RP413). The guide's "Query files" page
lists them; a test keeps that list and these constants equal.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from revpages.sql import walk

# Functions no report may call: settings, SQL run from strings, files and file metadata.
DENIED_FUNCTIONS: tuple[str, ...] = (
    "current_setting",
    "query",
    "query_table",
    "json_execute_serialized_sql",
    "which_secret",
    "glob",
    "read_text",
    "read_blob",
    "sniff_csv",
    "parquet_metadata",
    "parquet_schema",
    "parquet_file_metadata",
    "parquet_kv_metadata",
    "parquet_bloom_probe",
    "checkpoint",
    "force_checkpoint",
    "enable_profiling",
)
# Function and table name prefixes: DuckDB's catalogue, settings and PRAGMA functions.
DENIED_PREFIXES: tuple[str, ...] = ("duckdb_", "pragma_", "sqlite_")
# Schemas of catalogue views (view definitions, settings).
DENIED_SCHEMAS: tuple[str, ...] = ("information_schema", "pg_catalog")


def denied(tree: Any, *, own: frozenset[str], system_views: frozenset[str]) -> tuple[str, int]:
    """The first function or table in a parsed statement that reports may not use, as
    ('name', offset), or ('', 0). ``own``: the site's tables and models (a data table may
    be called ``tables``); ``system_views``: DuckDB's catalogue views, found by bare name."""
    for kind, schema, name, at in _uses(tree):
        if kind == "function" and (name in DENIED_FUNCTIONS or name.startswith(DENIED_PREFIXES)):
            return name, at
        if kind != "table":
            continue
        if schema in DENIED_SCHEMAS:
            return f"{schema}.{name}", at
        if name.startswith(DENIED_PREFIXES) and name not in own:
            return name, at
        if schema in ("", "main") and name in system_views and name not in own:
            return name, at
    return "", 0


def _uses(tree: Any) -> Iterator[tuple[str, str, str, int]]:
    for node in walk(tree):
        if node.get("class") == "FUNCTION" and node.get("function_name"):
            yield "function", "", str(node["function_name"]).lower(), _at(node)
        elif node.get("type") == "BASE_TABLE" and node.get("table_name"):
            schema = str(node.get("schema_name") or node.get("catalog_name") or "").lower()
            yield "table", schema, str(node["table_name"]).lower(), _at(node)


def _at(node: dict[str, Any]) -> int:
    at = int(node.get("query_location") or 0)
    return at if at < 2**63 else 0
