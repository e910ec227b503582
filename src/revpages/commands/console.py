"""A terminal progress bar for long builds: the current step, the current report, a count.

``RichProgress`` implements ``revpages.progress.Progress`` with rich; the CLI uses it
when stderr is a terminal and ``--quiet`` is off. The bar is transient: when the build
ends it disappears and the CLI prints the summary in its place.
"""

from __future__ import annotations

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)


class RichProgress:
    """One bar per build, re-labelled for each step; items advance it."""

    def __init__(self, console: Console | None = None) -> None:
        self.console = console or Console(stderr=True)
        self._bar = Progress(
            SpinnerColumn(),
            TextColumn("[bold]{task.fields[step]}[/bold]"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[item]}", markup=False),
            TimeElapsedColumn(),
            console=self.console,
            transient=True,
        )
        self._task: TaskID | None = None
        self._pending = False

    def step(self, name: str, total: int = 0) -> None:
        self._step(name, total)

    def _step(self, name: str, total: int) -> TaskID:
        if self._task is None:
            self._bar.start()
            self._task = self._bar.add_task("", total=total or None, step=name, item="")
        else:
            self._bar.reset(self._task, total=total or None, step=name, item="")
        self._pending = False
        return self._task

    def item(self, name: str) -> None:
        task = self._task if self._task is not None else self._step("Building", 0)
        if self._pending:
            self._bar.advance(task)
        self._bar.update(task, item=name)
        self._pending = True

    def finish(self) -> None:
        if self._task is not None:
            self._bar.stop()
            self._task = None
