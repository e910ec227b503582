"""The records of one CRM object, before any mapping: one row per record that counts.

In the raw table of an object (every file stacked, ``__file``/``__rec`` per row):

1. a line that repeats the file's header (two exports joined into one file) is refused;
2. a repeated id keeps the row modified last (without a modified column, the later file
   and row); the others merge into it;
3. a record the CRM marks deleted (Salesforce ``IsDeleted``, HubSpot ``archived``) is
   excluded;
4. the same record under another id (``natural_keys``, e.g. a campaign member added
   twice) merges into the row modified last, like a repeated id.

Each row taken out is recorded in ``revpages_rejects`` against its file and line.
"""

from __future__ import annotations

import re

import duckdb

from revpages.ingest.crm.catalog import ExportObject
from revpages.ingest.rejects import EXCLUDED, MERGED, REFUSED, REJECTS_TABLE
from revpages.sql import literal, quote


def settle_records(
    con: duckdb.DuckDBPyConnection,
    table: str,
    obj: ExportObject,
    files: list[tuple[str, dict[str, str]]],
    count_in: str,
) -> dict[str, int]:
    """Take the rows that are not records of their own out of ``table`` (the raw object);
    ``files``: (file name, export header -> column). Returns the rows taken per file."""
    present = set().union(*(set(headers.values()) for _, headers in files))
    settled: dict[str, int] = {}

    def take(select: str, reason: str, outcome: str, params: list | None = None) -> None:
        con.execute(f"CREATE OR REPLACE TEMP TABLE __settled AS {select}", params or [])
        con.execute(
            f"INSERT INTO {REJECTS_TABLE} SELECT __file, __rec + 1, $1, $2, left(value, 200), "
            "$3, kept_file, kept_line FROM __settled ORDER BY __file, __rec",
            [count_in, reason, outcome],
        )
        con.execute(
            f"DELETE FROM {table} USING __settled AS s "
            f"WHERE {table}.__file = s.__file AND {table}.__rec = s.__rec"
        )
        for file, rows in con.execute(
            "SELECT __file, count(*) FROM __settled GROUP BY ALL"
        ).fetchall():
            settled[file] = settled.get(file, 0) + rows
        con.execute("DROP TABLE __settled")

    for file, headers in files:
        repeated = _repeated_header(headers)
        if repeated:
            take(
                "SELECT __file, __rec, '' AS value, NULL AS kept_file, NULL::BIGINT AS kept_line "
                f"FROM {table} WHERE __file = $1 AND {repeated}",
                "a repeated header line (two exports joined)",
                REFUSED,
                [file],
            )
    modified = next((c for c in obj.modified if c in present), None)
    latest = f"rp_ts({quote(modified)}) DESC NULLS LAST, " if modified else ""
    why = "the row modified last" if modified else "the later row"
    if obj.id and obj.id in present:
        take(_repeats(table, [obj.id], latest), f"duplicate {obj.id} (merged into {why})", MERGED)
    for column in (c for c in obj.deleted if c in present):
        take(
            "SELECT __file, __rec, coalesce(rp_text("
            f"{quote(obj.id or column)}), '') AS value, NULL AS kept_file, "
            f"NULL::BIGINT AS kept_line FROM {table} WHERE rp_bool({quote(column)})",
            f"deleted in the CRM ({column} = true)",
            EXCLUDED,
        )
    for columns in obj.natural_keys:
        if all(c in present for c in columns):
            take(
                _repeats(table, list(columns), latest),
                f"duplicate {', '.join(columns)} under another {obj.id or 'id'} "
                f"(merged into {why})",
                MERGED,
            )
    return settled


def _repeats(table: str, columns: list[str], latest: str) -> str:
    """Rows whose ``columns`` repeat an earlier-kept row's: all but the latest, with it."""
    keys = ", ".join(f"rp_text({quote(c)})" for c in columns)
    # A natural key needs more than its first column: a member with no person is no match.
    rest = " OR ".join(f"rp_text({quote(c)}) IS NOT NULL" for c in columns[1:]) or "true"
    return (
        "SELECT __file, __rec, concat_ws(' / ', " + keys + ") AS value, "
        "first_value(__file) OVER w AS kept_file, first_value(__rec + 1) OVER w AS kept_line "
        f"FROM {table} WHERE rp_text({quote(columns[0])}) IS NOT NULL AND ({rest}) "
        f"WINDOW w AS (PARTITION BY {keys} ORDER BY {latest}__order DESC, __rec DESC) "
        "QUALIFY row_number() OVER w > 1"
    )


def _repeated_header(headers: dict[str, str]) -> str | None:
    """SQL true for a row that holds the file's own header texts (an empty header, which
    DuckDB names ``column<n>``, is empty there too)."""
    named = {h: c for h, c in headers.items() if not re.fullmatch(r"column\d+", h)}
    if len(named) < 2:
        return None
    return " AND ".join(
        f"lower(trim({quote(column)})) = {literal(header.strip().lstrip(chr(0xFEFF)).lower())}"
        for header, column in named.items()
    )
