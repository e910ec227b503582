"""Query results kept between the rebuilds of one ``revpages serve``.

Saving one query file should re-run that query only. ``CachedEngine`` keeps one
loaded ``Engine`` alive for as long as the data files are unchanged, and keeps each
result under a key made of the SQL text and the data files' fingerprint (path,
size, modification time). A changed data file loads the data again and empties the
cache; a changed query has a new key. Results unused by a whole build are dropped,
so memory stays bounded by what the site shows.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from revpages.engine import Engine, QueryResult
from revpages.load import LoadedTable, data_files
from revpages.quality import QualityReport
from revpages.queryfile import QueryFile

Fingerprint = tuple[tuple[str, int, int], ...]


def data_fingerprint(data_dir: Path) -> Fingerprint:
    """(path, size, mtime_ns) of every export file: any change to the data changes it."""
    found = []
    for path, _reader in data_files(data_dir):
        stat = path.stat()
        found.append((path.as_posix(), stat.st_size, stat.st_mtime_ns))
    return tuple(found)


def result_key(sql: str, fingerprint: Fingerprint) -> str:
    """The cache key of one query's result over one state of the data."""
    payload = json.dumps([sql, fingerprint], separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@dataclass
class CacheStats:
    """What the last build did: queries run, results reused, data loads."""

    runs: int = 0
    hits: int = 0
    loads: int = 0

    def describe(self) -> str:
        loaded = "data loaded, " if self.loads else ""
        return (f"{loaded}{self.runs} quer{'y' if self.runs == 1 else 'ies'} run, "
                f"{self.hits} from cache")


class CachedEngine:
    """An ``Engine`` and its results, kept across builds; ``shutdown`` really closes it."""

    def __init__(self, **engine_options: Any) -> None:
        """``engine_options`` are passed to each ``Engine`` (memory_limit, threads...)."""
        self._options = engine_options
        self._engine: Engine | None = None
        self._fingerprint: Fingerprint | None = None
        self._previous: dict[str, QueryResult] = {}
        self._current: dict[str, QueryResult] = {}
        self.stats = CacheStats()

    @property
    def tables(self) -> list[LoadedTable]:
        return self._engine.tables if self._engine else []

    @property
    def quality(self) -> QualityReport:
        return self._engine.quality if self._engine else QualityReport()

    def load(self, data_dir: Path) -> list[LoadedTable]:
        """Start a build: reload the data only if a data file changed."""
        self.stats = CacheStats()
        fingerprint = data_fingerprint(data_dir)
        if self._engine is None or fingerprint != self._fingerprint:
            self.shutdown()
            engine = Engine(**self._options)
            try:
                engine.load(data_dir)
            except BaseException:
                engine.close()
                raise
            self._engine, self._fingerprint = engine, fingerprint
            self.stats.loads += 1
        # Results the previous build used stay reachable; the rest are dropped.
        self._previous, self._current = self._current, {}
        return self._engine.tables

    def run(self, query: QueryFile) -> QueryResult:
        if self._engine is None:
            raise RuntimeError("CachedEngine.run() before load()")
        key = result_key(query.sql, self._fingerprint or ())
        result = self._current.get(key) or self._previous.get(key)
        if result is None:
            self.stats.runs += 1  # counted even when it fails: it did run
            result = self._engine.run(query)
        else:
            self.stats.hits += 1
        self._current[key] = result
        return result

    def freshness(self, tables: frozenset[str] | None = None) -> datetime | None:
        return self._engine.freshness(tables) if self._engine else None

    def __getattr__(self, name: str) -> Any:
        """Anything else an ``Engine`` offers (e.g. what it learnt while loading)."""
        engine = self.__dict__.get("_engine")
        if engine is None:
            raise AttributeError(name)
        return getattr(engine, name)

    def close(self) -> None:
        """The end of one build: keep everything for the next one."""

    def shutdown(self) -> None:
        """Close DuckDB and forget every result (the server stops, or the data changed)."""
        if self._engine is not None:
            self._engine.close()
        self._engine, self._fingerprint = None, None
        self._previous, self._current = {}, {}
