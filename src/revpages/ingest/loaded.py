"""What loading produced: one LoadedTable per export file, its rows and its freshness."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb

from revpages.contract import TABLES_BY_NAME
from revpages.ingest.files import TextScan
from revpages.sql import quote

_TIMESTAMP_TYPES = ("TIMESTAMP", "TIMESTAMP WITH TIME ZONE", "TIMESTAMP_NS", "TIMESTAMP_MS")


@dataclass(frozen=True)
class LoadedTable:
    """One export file loaded into one table."""

    name: str
    path: Path
    rows: int
    columns: tuple[str, ...]
    freshness: datetime | None
    rows_read: int = 0
    encoding: str = "utf-8"
    guessed: bool = False  # the encoding is a guess (not UTF-8, no byte-order mark)
    repairs: tuple[str, ...] = ()  # what was mended before reading, e.g. mixed line ends

    @property
    def encoding_label(self) -> str:
        return {"cp1252": "Windows-1252", "utf-16": "UTF-16", "utf-8": "UTF-8"}.get(
            self.encoding, self.encoding
        )


def scan_notes(scan: TextScan) -> tuple[tuple[str, ...], bool]:
    """What was mended in a file before reading it, and whether its encoding is a guess."""
    repairs = []
    if scan.mixed_endings:
        repairs.append("lines end partly in CRLF, partly in LF: read with one kind of line end")
    if scan.inner_bom:
        repairs.append("a byte-order mark inside the file (exports joined): removed")
    return tuple(repairs), scan.guessed


def rows_by_table(tables: list[LoadedTable]) -> dict[str, int]:
    """Rows per table: a table fed by several export files sums them; lookup files (a
    CRM's owners or users, no columns of their own) are not tables."""
    rows: dict[str, int] = {}
    for table in tables:
        if table.columns:
            rows[table.name] = rows.get(table.name, 0) + table.rows
    return rows


def table_freshness(
    con: duckdb.DuckDBPyConnection, name: str, columns: list[str], types: list[str]
) -> datetime | None:
    """Latest event time of a table: its contract event column, else any timestamp column.

    Planned dates (an open deal's expected close) lie in the future and would
    make stale data look fresh, so contract tables use their event column only.
    """
    contract = TABLES_BY_NAME.get(name)
    if contract and contract.event_column in columns:
        candidates = [contract.event_column]
    else:
        candidates = [c for c, t in zip(columns, types, strict=True) if t in _TIMESTAMP_TYPES]
    latest = None
    for column in candidates:
        latest_expr = duckdb.FunctionExpression("max", duckdb.ColumnExpression(quote(column)))
        value = con.table(name).aggregate([latest_expr]).fetchone()[0]
        if isinstance(value, datetime) and (latest is None or value > latest):
            latest = value.replace(tzinfo=None)
    return latest
