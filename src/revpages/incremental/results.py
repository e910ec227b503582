"""Query results kept between builds: on disk for every build, in memory for ``serve``.

``ResultStore`` keeps each report query's result on disk, as one Parquet file written
by DuckDB plus a small JSON file (columns, DuckDB types, tables read), under a sha256
of the SQL text (with the SQL of every shared model it reads), its parameters, the
loaded data's fingerprint and the revpages and DuckDB versions. A rebuild with nothing
changed runs no query; editing one query file runs that query, editing a model the
queries that read it; a changed export has a new fingerprint, so every query runs again.
Results are exact: the rows read back are the rows DuckDB returned (the few types
Parquet cannot hold exactly are stored as text and cast back, or not stored at all).
The store is bounded: results of data no longer cached are deleted, and the least
recently used results go once there are more than ``MAX_RESULTS`` or ``MAX_BYTES``.

``CachedEngine`` keeps one loaded ``Engine`` alive across the rebuilds of one
``revpages serve`` and its results in memory, under a key made of the SQL text (with
its models') and the data files' content fingerprint (``fingerprint.py``). A changed
data file loads the data again and empties the cache. Results unused by a whole build are
dropped, so memory stays bounded by what the site shows.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
from duckdb.sqltypes import DuckDBPyType

from revpages import __version__
from revpages.incremental.damage import sealed, unsealed
from revpages.incremental.fingerprint import adopt, file_digest, files_fingerprint
from revpages.incremental.lock import leftovers, scratch_name
from revpages.ingest.files import data_files
from revpages.reports.result import QueryResult

RESULTS_DIR = "results"
MAX_RESULTS = 2000  # files kept across every data state
MAX_BYTES = 512 * 2**20  # Parquet bytes kept across every data state
# DuckDB types whose values come back from Parquet as the very same Python values.
_EXACT = frozenset(
    (
        "boolean",
        "tinyint",
        "smallint",
        "integer",
        "bigint",
        "utinyint",
        "usmallint",
        "uinteger",
        "ubigint",
        "float",
        "double",
        "decimal",
        "varchar",
        "date",
        "time",
        "timestamp",
        "timestamp_s",
        "timestamp_ms",
        "timestamp_ns",
        "interval",
        "uuid",
        "blob",
        "enum",
    )
)
_NESTED = frozenset(("list", "struct", "map"))
# Parquet holds these as DOUBLE: they are stored as text and cast back.
_AS_TEXT = {"hugeint": "HUGEINT", "uhugeint": "UHUGEINT"}


def data_fingerprint(data_dir: Path) -> str:
    """The names and contents of every export file: any change to the data changes it."""
    return files_fingerprint((path for path, _reader in data_files(data_dir)), relative_to=data_dir)


def result_key(sql: str, fingerprint: str) -> str:
    """The in-memory cache key of one query's result over one state of the data."""
    payload = json.dumps([sql, fingerprint], separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def stored_key(sql: str, *, data_key: str, params: Mapping[str, Any] | None = None) -> str:
    """The on-disk key of one result: SQL, parameters, data fingerprint and versions."""
    payload = json.dumps(
        {
            "sql": sql,
            "params": dict(params or {}),
            "data": data_key,
            "revpages": __version__,
            "duckdb": duckdb.__version__,
        },
        sort_keys=True,
        separators=(",", ":"),
        default=str,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def storage(types: list[DuckDBPyType]) -> list[str | None] | None:
    """How each column is stored: None as it is, else as text, cast back to the named type.

    None (for the whole result) when a column has a type Parquet would not give back
    exactly (unions, fixed-size arrays, bit strings, time zones...): such a result
    is not stored, and its query runs in every build.
    """
    kinds: list[str | None] = []
    for kind in types:
        if kind.id in _AS_TEXT:
            kinds.append(_AS_TEXT[kind.id])
        elif _exact(kind):
            kinds.append(None)
        else:
            return None
    return kinds


def _exact(kind: DuckDBPyType) -> bool:
    if kind.id in _NESTED:
        return all(
            isinstance(child, DuckDBPyType) and _exact(child) for _name, child in kind.children
        )
    return kind.id in _EXACT


@dataclass
class CacheStats:
    """What the last build did: queries run, results reused, data loads."""

    runs: int = 0
    hits: int = 0
    loads: int = 0

    def describe(self) -> str:
        loaded = "data loaded, " if self.loads else ""
        return (
            f"{loaded}{self.runs} quer{'y' if self.runs == 1 else 'ies'} run, "
            f"{self.hits} from cache"
        )


class ResultStore:
    """Report query results on disk, one Parquet + JSON pair per key, for one data state.

    The files live in ``cache_dir/results/<data_key>/``; the engine's DuckDB connection
    reads and writes them (it may touch that folder only, see ``Engine``).
    """

    def __init__(self, cache_dir: Path, data_key: str) -> None:
        self.root = cache_dir / RESULTS_DIR
        self.folder = self.root / data_key
        self.data_key = data_key

    def key(self, sql: str, params: Mapping[str, Any] | None = None) -> str:
        return stored_key(sql, data_key=self.data_key, params=params)

    def get(
        self, con: duckdb.DuckDBPyConnection, key: str, *, most: int | None = None
    ) -> QueryResult | None:
        """The stored result of ``key`` (its first ``most`` rows at most), or None (never
        stored, or unreadable)."""
        data, meta = self._paths(key)
        try:
            info = unsealed(meta.read_text(encoding="utf-8"))
            if file_digest(data) != info["sha256"]:
                return None  # changed since it was stored: run again
            rows = _read(con, data, info["storage"], most)
        except (OSError, ValueError, KeyError, TypeError, duckdb.Error):
            return None
        with contextlib.suppress(OSError):  # pruned meanwhile by another build: still read
            os.utime(meta)  # recently used: pruned last
        return QueryResult(
            columns=tuple(info["columns"]),
            types=tuple(info["types"]),
            rows=rows,
            seconds=0.0,
            tables=frozenset(info["tables"]),
            cached=True,
        )

    def put(
        self,
        con: duckdb.DuckDBPyConnection,
        key: str,
        relation: duckdb.DuckDBPyRelation,
        kinds: list[str | None],
        *,
        tables: frozenset[str],
        most: int | None = None,
    ) -> list[tuple[Any, ...]]:
        """Run ``relation`` once into the store; return its rows (the first ``most`` at
        most) as later reads give them."""
        self.folder.mkdir(parents=True, exist_ok=True)
        data, meta = self._paths(key)
        partial = data.with_name(scratch_name(data.name))
        # Positional names: a result may repeat a column name, Parquet may not.
        stored = ", ".join(
            f"#{i + 1}{'::VARCHAR' if kind else ''} AS c{i}" for i, kind in enumerate(kinds)
        )
        try:
            relation.project(stored).write_parquet(str(partial))
            rows = _read(con, partial, kinds, most)
            digest = file_digest(partial)
            partial.replace(data)
            adopt(data, digest)
        finally:
            partial.unlink(missing_ok=True)
        info = {
            "sha256": digest,
            "columns": list(relation.columns),
            "types": [str(t) for t in relation.types],
            "storage": kinds,
            "tables": sorted(tables),
            "rows": len(rows),
        }
        written = meta.with_name(scratch_name(meta.name))
        written.write_text(sealed(info), encoding="utf-8")
        written.replace(meta)  # the JSON comes last: a result counts once both exist
        self.bound(keep=key)
        return rows

    def _paths(self, key: str) -> tuple[Path, Path]:
        return self.folder / f"{key}.parquet", self.folder / f"{key}.json"

    def bound(self, *, keep: str = "") -> None:
        """Delete the least recently used results beyond ``MAX_RESULTS`` / ``MAX_BYTES``."""
        for leftover in leftovers(self.folder, "*.partial-*"):  # of killed builds
            leftover.unlink(missing_ok=True)
        entries = []
        for meta in self.root.glob("*/*.json"):
            data = meta.with_suffix(".parquet")
            try:
                entries.append((meta.stat().st_mtime_ns, data.stat().st_size, meta, data))
            except OSError:
                continue
        entries.sort(reverse=True)  # newest first
        total = 0
        for count, (_used, size, meta, data) in enumerate(entries, start=1):
            total += size
            if (count > MAX_RESULTS or total > MAX_BYTES) and meta.stem != keep:
                meta.unlink(missing_ok=True)
                data.unlink(missing_ok=True)

    def discard_stale(self, live: set[str]) -> None:
        """Delete the results of data states whose stored data is gone."""
        if not self.root.is_dir():
            return
        for folder in self.root.iterdir():
            if folder.is_dir() and folder.name not in live | {self.data_key}:
                shutil.rmtree(folder, ignore_errors=True)


def _read(
    con: duckdb.DuckDBPyConnection, path: Path, kinds: list[str | None], most: int | None = None
) -> list[tuple[Any, ...]]:
    relation = con.read_parquet(str(path))
    if most is not None:
        relation = relation.limit(most)
    if any(kinds):
        # Our own constants only: positions and the type names of _AS_TEXT.
        relation = relation.project(
            ", ".join(
                f"#{i + 1}" if kind is None else f"#{i + 1}::{_AS_TEXT_BACK[kind]}"
                for i, kind in enumerate(kinds)
            )
        )
    return relation.fetchall()


_AS_TEXT_BACK = {name: name for name in _AS_TEXT.values()}
