"""The loaded database, kept between builds and keyed by a fingerprint of its inputs.

Parsing the exports is the slowest part of a build; when no export changed, the
next build opens the database the last one wrote, read-only, and parses nothing.
The fingerprint covers each file's name, size and modification time, the
revpages version (loader rules change with it) and the day that bounds
"dated in the future". The data-quality findings (refused rows, orphans) are
computed once, while loading, and kept in the same database.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime
from pathlib import Path

import duckdb

from revpages import __version__
from revpages.load import LoadedTable, data_files
from revpages.quality import FileQuality, Orphans, QualityReport, RejectReason

FILES_TABLE = "revpages_files"
QUALITY_TABLE = "revpages_quality"
ORPHANS_TABLE = "revpages_orphans"
FORMAT = 2  # what a cached database holds; 2: the quality findings too
KEEP = 2  # databases kept: the current one and the previous one


def fingerprint(data_dir: Path, *, today: date, options: dict[str, object]) -> str:
    files = [(p.name, p.stat().st_size, p.stat().st_mtime_ns) for p, _ in data_files(data_dir)]
    payload = json.dumps([__version__, FORMAT, today.isoformat(), options, files], sort_keys=True,
                         default=str)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:20]


def database_path(cache_dir: Path, key: str) -> Path:
    return cache_dir / f"data-{key}.duckdb"


def save_tables(con: duckdb.DuckDBPyConnection, tables: list[LoadedTable]) -> None:
    """Record what was loaded inside the database itself, for the next build."""
    con.execute(f"CREATE OR REPLACE TABLE {FILES_TABLE} (name VARCHAR, file VARCHAR, "
                "rows BIGINT, columns VARCHAR[], freshness TIMESTAMP, rows_read BIGINT, "
                "encoding VARCHAR)")
    for t in tables:
        con.execute(f"INSERT INTO {FILES_TABLE} VALUES ($1, $2, $3, $4, $5, $6, $7)",
                    [t.name, t.path.name, t.rows, list(t.columns), t.freshness, t.rows_read,
                     t.encoding])


def restore_tables(con: duckdb.DuckDBPyConnection, data_dir: Path) -> list[LoadedTable]:
    rows = con.execute(f"SELECT name, file, rows, columns, freshness, rows_read, encoding "
                       f"FROM {FILES_TABLE} ORDER BY file").fetchall()
    return [
        LoadedTable(name=name, path=data_dir / file, rows=count, columns=tuple(columns),
                    freshness=_naive(fresh), rows_read=read, encoding=encoding)
        for name, file, count, columns, fresh, read, encoding in rows
    ]


def save_quality(con: duckdb.DuckDBPyConnection, report: QualityReport) -> None:
    """Keep the data-quality findings, so a reused database needs no checking again."""
    con.execute(f"CREATE OR REPLACE TABLE {QUALITY_TABLE} (file VARCHAR, position INTEGER, "
                "reason VARCHAR, count BIGINT, lines BIGINT[], samples VARCHAR[])")
    for quality in report.files:
        for position, reason in enumerate(quality.reasons):
            con.execute(f"INSERT INTO {QUALITY_TABLE} VALUES ($1, $2, $3, $4, $5, $6)",
                        [quality.table.path.name, position, reason.reason, reason.count,
                         [line for line, _ in reason.samples],
                         [value for _, value in reason.samples]])
    con.execute(f"CREATE OR REPLACE TABLE {ORPHANS_TABLE} (position INTEGER, "
                "table_name VARCHAR, column_name VARCHAR, parent VARCHAR, count BIGINT)")
    for position, orphans in enumerate(report.orphans):
        con.execute(f"INSERT INTO {ORPHANS_TABLE} VALUES ($1, $2, $3, $4, $5)",
                    [position, orphans.table, orphans.column, orphans.parent, orphans.count])


def restore_quality(con: duckdb.DuckDBPyConnection, tables: list[LoadedTable]) -> QualityReport:
    reasons: dict[str, list[RejectReason]] = {}
    for file, reason, count, lines, samples in con.execute(
            f"SELECT file, reason, count, lines, samples FROM {QUALITY_TABLE} "
            "ORDER BY file, position").fetchall():
        reasons.setdefault(file, []).append(
            RejectReason(reason, count, tuple(zip(lines, samples, strict=True))))
    orphans = [Orphans(*row) for row in con.execute(
        f"SELECT table_name, column_name, parent, count FROM {ORPHANS_TABLE} "
        "ORDER BY position").fetchall()]
    files = [FileQuality(t, tuple(reasons.get(t.path.name, ()))) for t in tables]
    return QualityReport(files=files, orphans=orphans)


def cached_keys(cache_dir: Path) -> set[str]:
    """The fingerprints of the databases in ``cache_dir``."""
    return {p.name.removeprefix("data-").removesuffix(".duckdb")
            for p in cache_dir.glob("data-*.duckdb")}


def prune(cache_dir: Path, keep: Path) -> None:
    """Remove older databases, keeping ``keep`` and the newest other one."""
    others = sorted((p for p in cache_dir.glob("data-*.duckdb") if p != keep),
                    key=lambda p: p.stat().st_mtime_ns, reverse=True)
    for old in others[KEEP - 1:]:
        old.unlink(missing_ok=True)
        Path(f"{old}.wal").unlink(missing_ok=True)


def _naive(value: datetime | None) -> datetime | None:
    return value.replace(tzinfo=None) if value else None
