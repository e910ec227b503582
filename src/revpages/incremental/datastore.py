"""The loaded data, kept between builds and keyed by a fingerprint of its inputs.

Parsing the exports is the slowest part of a build; when no export changed, the
next build reads what the last one kept and parses nothing. The store is a folder
with one Parquet file per table (loaded, derived, and the loader's own records):
writing Parquet costs a fraction of what a DuckDB database file costs to compress
and checkpoint, and DuckDB scans it as fast as its own tables. Each build reads it
through views, so a build whose results are all cached reads no data at all.
The fingerprint covers each file's name and content (``fingerprint.py``), the
revpages version (loader rules change with it) and the day that bounds
"dated in the future". The data-quality findings (refused rows, orphans) are
computed once, while loading, and kept in the same database, and so are the derived
attribution tables (``revpages.derive.attribution``): the data options, attribution ones included,
are part of the fingerprint.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import asdict
from datetime import date, datetime
from pathlib import Path

import duckdb

from revpages import __version__
from revpages.incremental import fingerprint as fingerprints
from revpages.incremental.damage import sealed, unsealed
from revpages.incremental.lock import leftovers, scratch_name
from revpages.incremental.results import data_fingerprint, storage
from revpages.ingest.loaded import LoadedTable
from revpages.ingest.quality import FileQuality, Gap, Orphans, QualityReport, RejectReason

FILES_TABLE = "revpages_files"
QUALITY_TABLE = "revpages_quality"
FORMAT = 7  # what a store holds; 2: quality findings; 3: derived tables; 4: Parquet files;
# 5: every record's outcome and the data-quality facts as one JSON document;
# 6: the sha256 of each file in the index; 7: the index sealed
KEEP = 2  # stores kept: the current one and the previous one
INDEX = "tables.json"  # in a store: each table's file, sha256, columns, types and storage


class DamagedStore(Exception):
    """A stored state of the data that cannot be trusted (see ``check``)."""


def fingerprint(data_dir: Path, *, today: date, options: dict[str, object]) -> str:
    files = data_fingerprint(data_dir)
    payload = json.dumps(
        [__version__, FORMAT, today.isoformat(), options, files], sort_keys=True, default=str
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:20]


def store_path(cache_dir: Path, key: str) -> Path:
    """The folder of one stored state of the data; it exists only once complete."""
    return cache_dir / f"data-{key}"


def save(con: duckdb.DuckDBPyConnection, folder: Path) -> bool:
    """Every table of ``con``'s main schema as Parquet in ``folder``; False (and nothing
    kept) when a column has a type Parquet would not give back exactly."""
    names = [
        row[0]
        for row in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE NOT temporary "
            "AND database_name = current_database() ORDER BY table_name"
        ).fetchall()
    ]
    partial = folder.with_name(scratch_name(folder.name))  # this build's own
    partial.mkdir(parents=True)
    index = {}
    try:
        for number, name in enumerate(names):
            relation = con.table(name)
            kinds = storage(relation.types)
            if kinds is None:
                return False
            file = f"t{number}.parquet"  # table names may hold any character
            _stored(relation, kinds).write_parquet(str(partial / file), compression="snappy")
            index[name] = {
                "file": file,
                "sha256": fingerprints.file_digest(partial / file),
                "columns": list(relation.columns),
                "storage": kinds,
            }
        (partial / INDEX).write_text(sealed(index), encoding="utf-8")
        try:
            partial.rename(folder)  # only complete stores carry the final name
        except OSError:
            if not folder.is_dir():
                raise
            return True  # another build that read the same exports stored them first
        for entry in index.values():  # digested while written: not read again
            fingerprints.adopt(folder / entry["file"], entry["sha256"])
    finally:
        shutil.rmtree(partial, ignore_errors=True)
    return True


def check(folder: Path) -> dict[str, dict]:
    """The index of the store in ``folder``, after checking that every file it names is
    there with the content it had when written (its sha256, remembered by identity in
    ``fingerprint``, so an unchanged store is not read); else ``DamagedStore``."""
    try:
        index = unsealed((folder / INDEX).read_text(encoding="utf-8"))
        entries = [
            (str(entry["file"]), str(entry["sha256"]), list(entry["columns"]), entry["storage"])
            for entry in index.values()
        ]
    except FileNotFoundError:
        raise DamagedStore(f"{INDEX} is missing") from None
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        raise DamagedStore(f"{INDEX} does not parse") from None
    for file, digest, _columns, _storage in entries:
        try:
            found = fingerprints.file_digest(folder / file)
        except OSError:
            raise DamagedStore(f"{file} is missing") from None
        if found != digest:
            raise DamagedStore(f"{file} is not the file that was stored")
    return index


def open_store(con: duckdb.DuckDBPyConnection, folder: Path, index: dict[str, dict]) -> None:
    """A view per stored table (``index``, from ``check``), reading its Parquet file
    (nothing is read until queried)."""
    for name, entry in index.items():
        relation = con.read_parquet(str(folder / entry["file"]))
        relation.project(
            ", ".join(
                f"#{i + 1}{f'::{kind}' if kind else ''} AS {_quote(column)}"
                for i, (column, kind) in enumerate(
                    zip(entry["columns"], entry["storage"], strict=True)
                )
            )
        ).create_view(name)


def _stored(relation: duckdb.DuckDBPyRelation, kinds: list[str | None]) -> duckdb.DuckDBPyRelation:
    """Columns by position (names may repeat case-insensitively), some as text."""
    return relation.project(
        ", ".join(f"#{i + 1}{'::VARCHAR' if kind else ''} AS c{i}" for i, kind in enumerate(kinds))
    )


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def save_tables(con: duckdb.DuckDBPyConnection, tables: list[LoadedTable]) -> None:
    """Record what was loaded inside the database itself, for the next build."""
    con.execute(
        f"CREATE OR REPLACE TABLE {FILES_TABLE} (name VARCHAR, file VARCHAR, "
        "rows BIGINT, columns VARCHAR[], freshness TIMESTAMP, rows_read BIGINT, "
        "encoding VARCHAR, guessed BOOLEAN, repairs VARCHAR[])"
    )
    for t in tables:
        con.execute(
            f"INSERT INTO {FILES_TABLE} VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            [
                t.name,
                t.path.name,
                t.rows,
                list(t.columns),
                t.freshness,
                t.rows_read,
                t.encoding,
                t.guessed,
                list(t.repairs),
            ],
        )


def restore_tables(con: duckdb.DuckDBPyConnection, data_dir: Path) -> list[LoadedTable]:
    rows = con.execute(
        f"SELECT name, file, rows, columns, freshness, rows_read, encoding, guessed, repairs "
        f"FROM {FILES_TABLE} ORDER BY file"
    ).fetchall()
    return [
        LoadedTable(
            name=name,
            path=data_dir / file,
            rows=count,
            columns=tuple(columns),
            freshness=_naive(fresh),
            rows_read=read,
            encoding=encoding,
            guessed=guessed,
            repairs=tuple(repairs),
        )
        for name, file, count, columns, fresh, read, encoding, guessed, repairs in rows
    ]


def save_quality(con: duckdb.DuckDBPyConnection, report: QualityReport) -> None:
    """Keep the data-quality findings, so a reused database needs no checking again."""
    files = {
        q.table.path.name: {
            "reasons": [asdict(r) for r in q.reasons],
            "flagged": q.flagged,
            "empty": q.empty,
            "missing": q.missing,
        }
        for q in report.files
    }
    document = {
        "files": files,
        "orphans": [asdict(o) for o in report.orphans],
        "unmapped": report.unmapped,
        "names": report.names,
        "near": report.near,
        "gaps": [asdict(g) for g in report.gaps],
        "missing_tables": report.missing_tables,
    }
    con.execute(f"CREATE OR REPLACE TABLE {QUALITY_TABLE} (document VARCHAR)")
    con.execute(f"INSERT INTO {QUALITY_TABLE} VALUES ($1)", [json.dumps(document, default=str)])


def restore_quality(con: duckdb.DuckDBPyConnection, tables: list[LoadedTable]) -> QualityReport:
    document = json.loads(con.execute(f"SELECT document FROM {QUALITY_TABLE}").fetchone()[0])
    files = []
    for table in tables:
        found = document["files"].get(table.path.name, {})
        reasons = tuple(
            RejectReason(
                r["reason"],
                r["count"],
                tuple(tuple(s) for s in r["samples"]),
                r["outcome"],
                r["column"],
                tuple(r["kept"]),
            )
            for r in found.get("reasons", ())
        )
        files.append(
            FileQuality(
                table,
                reasons,
                found.get("flagged", 0),
                tuple(tuple(e) for e in found.get("empty", ())),
                tuple(tuple(m) for m in found.get("missing", ())),
            )
        )
    return QualityReport(
        files=files,
        orphans=[Orphans(**o) for o in document["orphans"]],
        unmapped=[tuple(u) for u in document["unmapped"]],
        names=[tuple(n) for n in document["names"]],
        near=[tuple(n) for n in document["near"]],
        gaps=[Gap(**g) for g in document["gaps"]],
        missing_tables=list(document["missing_tables"]),
    )


def cached_keys(cache_dir: Path) -> set[str]:
    """The fingerprints of the complete stores in ``cache_dir``."""
    return {p.name.removeprefix("data-") for p in _stores(cache_dir)}


def prune(cache_dir: Path, keep: Path) -> None:
    """Remove older stores (and databases of older revpages versions), keeping ``keep``
    and the newest other one."""
    for old in cache_dir.glob("data-*.duckdb*"):
        old.unlink(missing_ok=True)
    for old in leftovers(cache_dir, "data-*.partial-*"):  # of killed builds
        shutil.rmtree(old, ignore_errors=True)
    others = sorted(
        (p for p in _stores(cache_dir) if p != keep),
        key=lambda p: p.stat().st_mtime_ns,
        reverse=True,
    )
    for old in others[KEEP - 1 :]:
        shutil.rmtree(old, ignore_errors=True)


def _stores(cache_dir: Path) -> list[Path]:
    return [p for p in cache_dir.glob("data-*") if p.is_dir() and ".partial" not in p.name]


def _naive(value: datetime | None) -> datetime | None:
    return value.replace(tzinfo=None) if value else None
