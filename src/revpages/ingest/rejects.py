"""Refused rows: the revpages_rejects table every loader writes to, with file, line and reason."""

from __future__ import annotations

import duckdb

REJECTS_TABLE = "revpages_rejects"


def record_malformed(
    con: duckdb.DuckDBPyConnection, file: str, table: str, *, renumber: bool = False
) -> list[int]:
    """Rows the CSV reader refused become rejects with DuckDB's line number; returns those
    lines. ``renumber``: the rejects already recorded for ``file`` counted only the rows
    read, so each moves down by the malformed lines before it."""
    bad_lines = [
        row[0]
        for row in con.execute("SELECT DISTINCT line FROM __csv_rejects ORDER BY line").fetchall()
    ]
    if bad_lines and renumber:
        # The i-th malformed line L_i (1-based) precedes a row counted as line n when
        # L_i - i < n: every line before it but the i - 1 malformed ones was counted.
        con.execute(
            f"UPDATE {REJECTS_TABLE} SET line = line + (SELECT count(*) FROM ("
            "SELECT bad, row_number() OVER (ORDER BY bad) AS i FROM "
            f"unnest($3::BIGINT[]) AS t(bad)) WHERE bad - i < {REJECTS_TABLE}.line) "
            "WHERE file = $1 AND table_name = $2",
            [file, table, bad_lines],
        )
    con.execute(
        f"INSERT INTO {REJECTS_TABLE} SELECT $1, line, $2, 'malformed CSV row: ' || "
        "lower(replace(error_type::VARCHAR, '_', ' ')), "
        "left(trim(csv_line, chr(10) || chr(13)), 200) FROM ("
        "SELECT DISTINCT ON (line) * FROM __csv_rejects ORDER BY line)",
        [file, table],
    )
    con.execute("DROP TABLE IF EXISTS __csv_rejects")
    con.execute("DROP TABLE IF EXISTS __csv_scan")
    return bad_lines
