"""Where every record of a load ended: the per-file counts the data-quality page shows."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from revpages.ingest.loaded import LoadedTable
from revpages.ingest.rejects import outcome_counts

# (table, rows read, loaded, loaded with flags, merged, excluded, refused)
Line = tuple[str, int, int, int, int, int, int]


def outcome_lines(con, tables: list[LoadedTable]) -> dict[str, Line]:
    """label -> its outcome counts; asserts rows read = the sum of the outcomes, per file."""
    counts = outcome_counts(con)
    found = {}
    for table in tables:
        of = counts.get(table.path.name, {})
        flagged = of.get("flagged", 0)
        line = (
            table.name,
            table.rows_read,
            table.rows - flagged,
            flagged,
            of.get("merged", 0),
            of.get("excluded", 0),
            of.get("refused", 0),
        )
        assert table.rows_read == sum(line[2:]), (table.path.name, line)
        found[table.path.name] = line
    return found


def records(path: Path, encoding: str = "utf-8-sig") -> int:
    """CSV records of a file, counted independently of DuckDB (``;`` or ``,``)."""
    text = path.read_bytes().decode(encoding).replace("\ufeff", "")
    dialect = csv.Sniffer().sniff(text.splitlines()[0], delimiters=",;")
    return sum(1 for _ in csv.reader(io.StringIO(text, newline=""), dialect)) - 1


def rejects(con, outcome: str | None = None) -> list[tuple]:
    where = "WHERE outcome = $1" if outcome else ""
    return con.execute(
        f"SELECT file, line, reason, value FROM revpages_rejects {where} "
        "ORDER BY file, line, reason",
        [outcome] if outcome else [],
    ).fetchall()


def flags(con) -> list[tuple]:
    return con.execute(
        "SELECT file, line, column_name, reason, value FROM revpages_flags "
        "ORDER BY file, line, column_name, reason"
    ).fetchall()
