"""Reading export files into DuckDB tables, once per build.

Every file becomes a real table (never a view that re-parses the CSV for each
query), named after the file: ``data/deals.csv`` becomes ``deals``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb

from revpages.contract import TABLES_BY_NAME
from revpages.errors import DataLoadError

SUPPORTED_SUFFIXES: dict[str, str] = {
    ".csv": "csv",
    ".tsv": "csv",
    ".txt": "csv",
    ".csv.gz": "csv",
    ".parquet": "parquet",
}
_TIMESTAMP_TYPES = ("TIMESTAMP", "TIMESTAMP WITH TIME ZONE", "TIMESTAMP_NS", "TIMESTAMP_MS")


@dataclass(frozen=True)
class LoadedTable:
    """One export file loaded into one table."""

    name: str
    path: Path
    rows: int
    columns: tuple[str, ...]
    freshness: datetime | None


def data_files(data_dir: Path) -> list[tuple[Path, str]]:
    """Export files in ``data_dir`` with their reader, in a stable order."""
    if not data_dir.is_dir():
        return []
    found = []
    for path in sorted(data_dir.iterdir()):
        reader = _reader_for(path)
        if reader and path.is_file():
            found.append((path, reader))
    return found


def table_name_for(path: Path) -> str:
    stem = path.name
    for suffix in sorted(SUPPORTED_SUFFIXES, key=len, reverse=True):
        if stem.lower().endswith(suffix):
            stem = stem[: -len(suffix)]
            break
    name = re.sub(r"[^a-z0-9_]+", "_", stem.lower()).strip("_")
    return name if name and not name[0].isdigit() else f"t_{name}"


def load_data_dir(con: duckdb.DuckDBPyConnection, data_dir: Path) -> list[LoadedTable]:
    """Load every supported file of ``data_dir`` into its own table."""
    files = data_files(data_dir)
    if not files:
        raise DataLoadError(
            f"no CSV or Parquet files in '{data_dir}'.",
            path=data_dir,
            hint="run 'revpages sample-data' for sample data, or copy your exports there.",
        )
    seen: dict[str, Path] = {}
    loaded = []
    for path, reader in files:
        name = table_name_for(path)
        if name in seen:
            raise DataLoadError(
                f"'{path.name}' and '{seen[name].name}' would both become table '{name}'.",
                path=path, hint="rename or remove one of them.",
            )
        seen[name] = path
        loaded.append(_load_file(con, path, reader, name))
    return loaded


def _reader_for(path: Path) -> str | None:
    lower = path.name.lower()
    for suffix, reader in SUPPORTED_SUFFIXES.items():
        if lower.endswith(suffix):
            return reader
    return None


def _load_file(
    con: duckdb.DuckDBPyConnection, path: Path, reader: str, name: str
) -> LoadedTable:
    try:
        relation = con.read_parquet(str(path)) if reader == "parquet" else con.read_csv(str(path))
        relation.create(name)
    except duckdb.Error as error:
        raise DataLoadError(
            f"cannot read '{path.name}': {_first_line(error)}",
            path=path, hint="check that the file is a valid, complete export.",
        ) from None
    table = con.table(name)
    rows = table.shape[0]
    return LoadedTable(
        name=name,
        path=path,
        rows=rows,
        columns=tuple(table.columns),
        freshness=_freshness(con, name, table.columns, [str(t) for t in table.types]),
    )


def _freshness(
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
        latest_expr = duckdb.FunctionExpression("max", duckdb.ColumnExpression(column))
        value = con.table(name).aggregate([latest_expr]).fetchone()[0]
        if isinstance(value, datetime) and (latest is None or value > latest):
            latest = value.replace(tzinfo=None)
    return latest


def _first_line(error: Exception) -> str:
    return str(error).strip().splitlines()[0]
