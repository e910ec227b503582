"""DuckDB's errors about report SQL as located, coded ``SQLError``s.

``errors_as_json`` makes DuckDB say what kind of error it met and where (a character
offset); this maps the kind to a catalogue code with a hint, and the offset to the query
file's line and column.
"""

from __future__ import annotations

import json
from typing import Any

import duckdb

from revpages.errors import SQLError
from revpages.reports.models import char_offset
from revpages.reports.queryfile import QueryFile


def sql_error(query: QueryFile, error: duckdb.Error, *, prefix: str = "") -> SQLError:
    """Turn a DuckDB error (JSON, thanks to errors_as_json) into a located SQLError;
    ``prefix`` is text that was run in front of the query's SQL."""
    details = _error_details(error)
    message = details.get("exception_message") or str(error)
    message = message.split("\n")[0].rstrip(".!")
    kind = details.get("exception_type", "SQL")
    hint = _hint_for(details)
    offset = int(details["position"]) if str(details.get("position", "")).isdigit() else 0
    offset = max(0, char_offset(prefix + query.sql, offset) - len(prefix))
    line, column = query.sql_position(offset)
    return SQLError(
        f"{kind} error: {message}.",
        code=_code_for(details),
        path=query.path,
        line=line,
        column=column,
        hint=hint,
    )


def _error_details(error: duckdb.Error) -> dict[str, Any]:
    text = str(error)
    start = text.find("{")
    if start < 0:
        return {}
    try:
        details = json.loads(text[start:])
    except json.JSONDecodeError:
        return {}
    return details if isinstance(details, dict) else {}


def _code_for(details: dict[str, Any]) -> str:
    """The catalogue code of a DuckDB error: what the user has to fix, not DuckDB's class."""
    kind = details.get("exception_type")
    if kind == "Parser":
        return "RP401"
    if details.get("error_subtype") == "COLUMN_NOT_FOUND":
        return "RP402"
    if kind == "Catalog":
        return "RP403"
    return {"Out of Memory": "RP405", "Permission": "RP407"}.get(str(kind), "RP404")


def _hint_for(details: dict[str, Any]) -> str:
    subtype = details.get("error_subtype")
    candidates = [c for c in str(details.get("candidates", "")).split(",") if c.strip()]
    candidates = [c.strip() for c in candidates if not c.strip().startswith(("pg_", "duckdb_"))]
    if details.get("exception_type") == "Out of Memory":
        return "aggregate earlier in the query, or raise duckdb_memory_limit in mkdocs.yml."
    if subtype == "COLUMN_NOT_FOUND" and candidates:
        return "Did you mean " + " or ".join(f"'{c}'" for c in candidates[:3]) + "?"
    if subtype == "MISSING_ENTRY" and details.get("type") == "Table":
        if candidates:
            return "Did you mean " + " or ".join(f"'{c}'" for c in candidates[:3]) + "?"
        return "tables are named after the files in the data folder, e.g. data/deals.csv -> deals."
    if subtype == "SYNTAX_ERROR":
        return "check the SQL near this position."
    if details.get("exception_type") == "Permission":
        return "queries read only the tables loaded from the data folder; put the file there."
    return "fix the query and build again."
