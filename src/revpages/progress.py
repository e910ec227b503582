"""How a long build tells the outside world where it is, without knowing who listens.

The core calls a ``Progress``: the plugin passes ``NullProgress`` by default and the
CLI passes a terminal progress bar (``revpages.commands.console.RichProgress``). The core never
imports a UI library.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Protocol


class Progress(Protocol):
    """Receives the steps of a build and the items (reports, pages) of each step."""

    def step(self, name: str, total: int = 0) -> None:
        """A new step begins, with ``total`` items (0 when it has none or they are unknown)."""

    def item(self, name: str) -> None:
        """The step starts working on one item; the previous item of the step is done."""

    def finish(self) -> None:
        """The build is over (succeeded or failed); nothing more will be reported."""


class NullProgress:
    """A ``Progress`` that ignores everything: the default for libraries and tests."""

    def step(self, name: str, total: int = 0) -> None:
        pass

    def item(self, name: str) -> None:
        pass

    def finish(self) -> None:
        pass


class RecordingProgress:
    """A ``Progress`` that keeps every call as a tuple, for tests and debugging."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, ...]] = []

    def step(self, name: str, total: int = 0) -> None:
        self.calls.append(("step", name, str(total)))

    def item(self, name: str) -> None:
        self.calls.append(("item", name))

    def finish(self) -> None:
        self.calls.append(("finish",))


class StepTimes:
    """A ``Progress`` that measures how long each step took, passing every call on.

    A step lasts until the next one begins or the build finishes; ``seconds`` maps each
    step name to its wall-clock time (for ``revpages build --manifest`` and the benchmarks).
    """

    def __init__(
        self, inner: Progress | None = None, clock: Callable[[], float] = time.perf_counter
    ) -> None:
        self.inner = inner or NullProgress()
        self.seconds: dict[str, float] = {}
        self._clock = clock
        self._current: tuple[str, float] | None = None

    def step(self, name: str, total: int = 0) -> None:
        now = self._clock()
        self._stop(now)
        self._current = (name, now)
        self.inner.step(name, total)

    def item(self, name: str) -> None:
        self.inner.item(name)

    def finish(self) -> None:
        self._stop(self._clock())
        self.inner.finish()

    def _stop(self, now: float) -> None:
        if self._current is not None:
            name, started = self._current
            self.seconds[name] = self.seconds.get(name, 0.0) + now - started
            self._current = None
