"""Where every input record ends, kept as tables beside the loaded data.

Each record of an export is loaded, loaded with flags, merged (a duplicate or a
superseded row, with the row it merged into), excluded (deleted in the CRM) or refused
(it cannot be placed: no usable key, an unreadable record):

- ``revpages_rejects``: one row per record that was not loaded: its file, line (the
  header is line 1), contract table, reason, the offending value, ``outcome`` (refused,
  merged or excluded) and, for a merged row, the row it merged into (``kept_file``,
  ``kept_line``).
- ``revpages_flags``: one row per doubtful value of a loaded record: file, line, table,
  the column, the reason and the value as exported.
- ``revpages_empty``: per file and column, the empty-like values read as empty
  (``N/A``, ``-``, ``null``...) and how often.
- ``revpages_missing_columns``: contract columns an export file did not provide (the
  export column that would, and the rows left without a value).
"""

from __future__ import annotations

import duckdb

REJECTS_TABLE = "revpages_rejects"
FLAGS_TABLE = "revpages_flags"
EMPTY_TABLE = "revpages_empty"
MISSING_TABLE = "revpages_missing_columns"
REFUSED, MERGED, EXCLUDED = "refused", "merged", "excluded"


def create_outcome_tables(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(
        f"CREATE TABLE IF NOT EXISTS {REJECTS_TABLE} (file VARCHAR, line BIGINT, "
        "table_name VARCHAR, reason VARCHAR, value VARCHAR, "
        f"outcome VARCHAR DEFAULT '{REFUSED}', kept_file VARCHAR, kept_line BIGINT)"
    )
    con.execute(
        f"CREATE TABLE IF NOT EXISTS {FLAGS_TABLE} (file VARCHAR, line BIGINT, "
        "table_name VARCHAR, column_name VARCHAR, reason VARCHAR, value VARCHAR)"
    )
    con.execute(
        f"CREATE TABLE IF NOT EXISTS {EMPTY_TABLE} (file VARCHAR, table_name VARCHAR, "
        "column_name VARCHAR, token VARCHAR, count BIGINT)"
    )
    con.execute(
        f"CREATE TABLE IF NOT EXISTS {MISSING_TABLE} (file VARCHAR, table_name VARCHAR, "
        "column_name VARCHAR, source VARCHAR, rows BIGINT)"
    )


def record_missing_columns(
    con: duckdb.DuckDBPyConnection,
    file: str,
    table: str,
    missing: list[tuple[str, str]],
    rows: int,
) -> None:
    """Contract columns of ``table`` that ``file`` left empty: (column, export column)."""
    if missing:
        con.executemany(
            f"INSERT INTO {MISSING_TABLE} VALUES ($1, $2, $3, $4, $5)",
            [[file, table, column, source, rows] for column, source in missing],
        )


def record_malformed(
    con: duckdb.DuckDBPyConnection, file: str, table: str, *, renumber: bool = False
) -> list[int]:
    """Rows the CSV reader refused become rejects with DuckDB's line number; returns those
    lines. ``renumber``: the outcomes already recorded for ``file`` counted only the rows
    read, so each moves down by the malformed lines before it."""
    bad_lines = [
        row[0]
        for row in con.execute("SELECT DISTINCT line FROM __csv_rejects ORDER BY line").fetchall()
    ]
    if bad_lines and renumber:
        # The i-th malformed line L_i (1-based) precedes a row counted as line n when
        # L_i - i < n: every line before it but the i - 1 malformed ones was counted.
        shift = (
            "(SELECT count(*) FROM (SELECT bad, row_number() OVER (ORDER BY bad) AS i FROM "
            "unnest($3::BIGINT[]) AS t(bad)) WHERE bad - i < {col})"
        )
        for target, columns in ((REJECTS_TABLE, ("line", "kept_line")), (FLAGS_TABLE, ("line",))):
            sets = ", ".join(f"{c} = {c} + " + shift.format(col=f"{target}.{c}") for c in columns)
            con.execute(
                f"UPDATE {target} SET {sets} WHERE file = $1 AND table_name = $2",
                [file, table, bad_lines],
            )
    con.execute(
        f"INSERT INTO {REJECTS_TABLE} (file, line, table_name, reason, value, kept_file) "
        "SELECT $1, line, $2, 'malformed CSV row: ' || "
        "lower(replace(error_type::VARCHAR, '_', ' ')), "
        "left(trim(csv_line, chr(10) || chr(13)), 200), $1 FROM ("
        "SELECT DISTINCT ON (line) * FROM __csv_rejects ORDER BY line)",
        [file, table],
    )
    con.execute("DROP TABLE IF EXISTS __csv_rejects")
    con.execute("DROP TABLE IF EXISTS __csv_scan")
    return bad_lines


def outcome_counts(con: duckdb.DuckDBPyConnection) -> dict[str, dict[str, int]]:
    """file label -> {refused, merged, excluded, flagged: rows}."""
    counts: dict[str, dict[str, int]] = {}
    for file, outcome, rows in con.execute(
        f"SELECT file, outcome, count(*) FROM {REJECTS_TABLE} GROUP BY ALL"
    ).fetchall():
        counts.setdefault(file, {})[outcome] = rows
    for file, rows in con.execute(
        f"SELECT file, count(DISTINCT line) FROM {FLAGS_TABLE} GROUP BY ALL"
    ).fetchall():
        counts.setdefault(file, {})["flagged"] = rows
    return counts
