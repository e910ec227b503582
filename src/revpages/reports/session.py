"""One engine kept across the rebuilds of revpages serve, with its results cached, and its
queries run off the request path.

MkDocs' preview server answers no page request while a build runs, so a slow query in a
build would freeze every page. In a preview (``background``) each query that must run
starts in a thread of its own, on its own connection (``Engine.worker``), and the build
waits for it for a moment only (``WAIT_SECONDS`` for all of a build's queries together,
once the data is loaded): a query that takes longer shows a "still running" page (RP414)
and, when it ends, calls
``on_done``, which asks the server for a rebuild that picks its result up. A query file
saved again while its query runs interrupts that query and starts the new one.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from revpages.incremental.results import CacheStats, data_fingerprint, result_key
from revpages.ingest.loaded import LoadedTable
from revpages.ingest.quality import QualityReport
from revpages.reports.engine import Engine
from revpages.reports.queryfile import QueryFile
from revpages.reports.result import QueryResult
from revpages.reports.running import Job, still_running
from revpages.settings import EngineOptions

WAIT_SECONDS = 5.0  # how long one build waits for its queries, all together


class CachedEngine:
    """An ``Engine`` and its results, kept across builds; ``shutdown`` really closes it."""

    def __init__(
        self,
        options: EngineOptions | None = None,
        *,
        background: bool = False,
        on_done: Callable[[], None] | None = None,
    ) -> None:
        """``options`` are those of each ``Engine`` this one starts; ``background`` runs
        queries in threads, calling ``on_done`` when one ends after its build moved on."""
        self._options = options or EngineOptions()
        self._engine: Engine | None = None
        self._fingerprint: str | None = None
        self._previous: dict[str, QueryResult] = {}
        self._current: dict[str, QueryResult] = {}
        self.stats = CacheStats()
        self.background = background
        self.on_done = on_done
        self._jobs: dict[str, Job] = {}  # report id:comparison -> its query running (or just ended)
        self._deadline = 0.0  # until when this build waits for its queries

    @property
    def options(self) -> EngineOptions:
        return self._options

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
        self._deadline = time.monotonic() + WAIT_SECONDS  # for the queries, once loaded
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
                result = self._run(query, key, compare)
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

    def _run(self, query: QueryFile, key: str, compare: str | None = None) -> QueryResult:
        """Run ``query`` here, or in the background: its result if it ends before this
        build's deadline, else RP414 (the page says it is still running)."""
        engine = self._engine
        assert engine is not None  # run() checks that load() came first
        if not self.background:
            return engine.run(query, compare=compare)
        which = f"{query.report_id}:{compare or ''}"  # a report's comparisons run apart
        job = self._jobs.get(which)
        if job is not None and job.key != key:
            job.cancel()  # the file was saved again: its old query is of no use
            job = None
        if job is None:
            job = Job(key, query, engine, engine.worker(), on_done=self._ended, compare=compare)
            self._jobs[which] = job
            job.start()
        if not job.wait(self._deadline - time.monotonic()) and job.leave():
            raise still_running(query, job.seconds)
        del self._jobs[which]
        return job.outcome()

    def _ended(self, job: Job) -> None:
        """A query a build left running ended: a new build shows it (unless cancelled)."""
        if self.on_done is not None and not job.cancelled:
            self.on_done()

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
        """Close DuckDB and forget every result (the server stops, the data or the options
        changed); queries still running are interrupted first."""
        for job in self._jobs.values():
            job.cancel()
        for job in self._jobs.values():
            job.join()
        self._jobs = {}
        if self._engine is not None:
            self._engine.close()
        self._engine, self._fingerprint = None, None
        self._previous, self._current = {}, {}
