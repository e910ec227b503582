"""One engine kept across the rebuilds of revpages serve, with its results cached."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from revpages.incremental.results import CacheStats, data_fingerprint, result_key
from revpages.ingest.loaded import LoadedTable
from revpages.ingest.quality import QualityReport
from revpages.reports.engine import Engine
from revpages.reports.queryfile import QueryFile
from revpages.reports.result import QueryResult
from revpages.settings import EngineOptions


class CachedEngine:
    """An ``Engine`` and its results, kept across builds; ``shutdown`` really closes it."""

    def __init__(self, options: EngineOptions | None = None) -> None:
        """``options`` are those of each ``Engine`` this one starts."""
        self._options = options or EngineOptions()
        self._engine: Engine | None = None
        self._fingerprint: str | None = None
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
            engine = Engine(self._options)
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

    def run(self, query: QueryFile, *, compare: str | None = None) -> QueryResult:
        if self._engine is None:
            raise RuntimeError("CachedEngine.run() before load()")
        # Keyed by the SQL of the models it reads too, and by the values of its calendar
        # parameters: an edited model or calendar option runs it again.
        text = self._engine.cache_text(query, compare=compare)
        key = result_key(text, self._fingerprint or "")
        result = self._current.get(key) or self._previous.get(key)
        if result is None:
            try:
                result = self._engine.run(query, compare=compare)
            except BaseException:
                self.stats.runs += 1  # counted even when it fails: it did run
                raise
            if result.cached:
                self.stats.hits += 1  # from the engine's on-disk store: no query ran
            else:
                self.stats.runs += 1
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
