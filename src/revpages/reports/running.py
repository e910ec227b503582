"""A report query running in a thread of its own, for ``revpages serve``.

The thread runs ``Engine.run`` on a connection of its own, so interrupting it (the
query's file was saved again, the server stops) stops that query only. A build that stops
waiting for it ``leave``s it; a job left behind calls ``on_done`` when it ends, so the
server rebuilds and the page shows the result.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

import duckdb

from revpages.errors import QueryFileError
from revpages.reports.queryfile import QueryFile
from revpages.reports.result import QueryResult

if TYPE_CHECKING:
    from revpages.reports.engine import Engine


class Job:
    """One query of one version of a report file, running in the background."""

    def __init__(
        self,
        key: str,
        query: QueryFile,
        engine: Engine,
        con: duckdb.DuckDBPyConnection,
        *,
        on_done: Callable[[Job], None],
        compare: str | None = None,
    ) -> None:
        self.key = key
        self.query = query
        self.cancelled = False
        self.started = time.monotonic()
        self._engine, self._con, self._on_done = engine, con, on_done
        self._compare = compare  # the period it runs for: None, prior or last_year
        self._ended: float | None = None
        self._result: QueryResult | None = None
        self._error: BaseException | None = None
        self._left = False
        self._lock = threading.Lock()
        self._done = threading.Event()
        self._thread = threading.Thread(
            target=self._work, name=f"revpages query {query.report_id}", daemon=True
        )

    def start(self) -> None:
        self._thread.start()

    def _work(self) -> None:
        try:
            self._result = self._engine.run(self.query, compare=self._compare, con=self._con)
        except BaseException as error:  # handed to the build that asks for it
            self._error = error
        finally:
            with contextlib.suppress(duckdb.Error):
                self._con.close()
            with self._lock:
                self._ended = time.monotonic()
                self._done.set()
                left = self._left
        if left:
            self._on_done(self)

    def wait(self, seconds: float) -> bool:
        """Whether the query ended, waiting ``seconds`` at most."""
        return self._done.wait(max(0.0, seconds))

    def leave(self) -> bool:
        """The build stops waiting: ``on_done`` will be called when the query ends. False
        when it has just ended (the build can take the result now)."""
        with self._lock:
            if self._done.is_set():
                return False
            self._left = True
            return True

    def cancel(self) -> None:
        """Interrupt the query; its outcome is of no use any more."""
        self.cancelled = True
        with contextlib.suppress(duckdb.Error):
            self._con.interrupt()

    def join(self, timeout: float = 10.0) -> None:
        self._thread.join(timeout)

    @property
    def seconds(self) -> float:
        return (self._ended or time.monotonic()) - self.started

    def outcome(self) -> QueryResult:
        """The result, or the error the query ended with."""
        if self._error is not None:
            raise self._error
        assert self._result is not None
        return self._result


def still_running(query: QueryFile, seconds: float) -> QueryFileError:
    return query.problem(
        f"the query has been running for {seconds:.0f} s; this page shows its result as soon "
        "as it ends.",
        code="RP414",
        hint="keep editing: saving the file again stops this run and starts the new query.",
    )
