"""Shared models: ``queries/_models/<name>.sql`` files that become views every report reads.

A model file looks like a query file (front matter with a ``description``, then one
read-only SELECT/WITH statement) but has no page: its SQL becomes a view named after
the file, created after the data is loaded and before any report runs. Each model is
created after the models it reads, so the order of the files does not matter.

This module holds what needs no database: the creation order, cycles, which models a
report reaches and what its cached result is keyed by. ``Engine.add_models`` creates
the views.
"""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from revpages.errors import QueryFileError, SQLError
from revpages.reports.queryfile import QueryFile


@dataclass(frozen=True)
class Model:
    """One model file and the names its SQL reads (tables or models, by the character
    offset of their first mention in the SQL)."""

    query: QueryFile
    reads: Mapping[str, int]

    @property
    def name(self) -> str:
        return self.query.name


@dataclass(frozen=True)
class SharedModels:
    """The models of one build in creation order, and the ones that could not be created."""

    models: tuple[Model, ...] = ()
    failed: frozenset[str] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.models)

    def reached(self, reads: Iterable[str]) -> list[Model]:
        """The models among ``reads`` and every model they read in turn, in creation order."""
        by_name = {model.name: model for model in self.models}
        found: set[str] = set()
        pending = [name for name in reads if name in by_name]
        while pending:
            name = pending.pop()
            if name not in found:
                found.add(name)
                pending += [read for read in by_name[name].reads if read in by_name]
        return [model for model in self.models if model.name in found]

    def cache_text(self, sql: str, reads: Iterable[str]) -> str:
        """What a result of ``sql`` is cached under: the SQL itself, plus the SQL of every
        model it reaches, so that editing a model runs the reports that read it again."""
        reached = self.reached(reads)
        if not reached:
            return sql  # the same key as a build without models
        return json.dumps([sql, [[model.name, model.query.sql] for model in reached]])

    def tables_under(self, reads: Iterable[str]) -> set[str]:
        """``reads`` and every name the models among them read, directly or not."""
        names = set(reads)
        for model in self.reached(names):
            names |= set(model.reads)
        return names

    def check_reads(self, query: QueryFile, reads: Mapping[str, int]) -> None:
        """Refuse a query that reads a model that could not be created."""
        failed = {model.name: model for model in self.models if model.name in self.failed}
        for name, offset in sorted(reads.items(), key=lambda item: item[1]):
            if name in failed:
                raise unreadable_model(query, failed[name], offset)


def in_dependency_order(models: list[Model]) -> tuple[list[Model], list[Model]]:
    """(models each after the models it reads, alphabetical among equals; the models left
    over, because they are in a cycle or read one)."""
    names = {model.name for model in models}
    pending = sorted(models, key=lambda model: model.name)
    ordered: list[Model] = []
    done: set[str] = set()
    while True:
        ready = [m for m in pending if {r for r in m.reads if r in names} <= done]
        if not ready:
            return ordered, pending
        ordered += ready
        done |= {model.name for model in ready}
        pending = [model for model in pending if model.name not in done]


def cycle_errors(stuck: list[Model]) -> list[SQLError]:
    """One error per cycle among ``stuck`` (at its first model's mention of the next one),
    and one per model that is in no cycle but reads a model left over."""
    by_name = {model.name: model for model in stuck}
    errors: list[SQLError] = []
    reported: set[frozenset[str]] = set()
    for model in stuck:
        cycle = _cycle_through(model, by_name)
        if cycle is None:
            blocked = min(read for read in model.reads if read in by_name)
            errors.append(unreadable_model(model.query, by_name[blocked], model.reads[blocked]))
        elif frozenset(cycle) not in reported:
            reported.add(frozenset(cycle))
            line, column = model.query.sql_position(model.reads[cycle[1]])
            errors.append(
                SQLError(
                    f"the models read each other in a cycle: {' -> '.join(cycle)}, so none of "
                    "them can be created.",
                    code="RP411",
                    path=model.query.path,
                    line=line,
                    column=column,
                    hint="a model may read tables and other models, but never itself through "
                    "them; move the shared part into one model that both read.",
                )
            )
    return errors


def _cycle_through(model: Model, stuck: Mapping[str, Model]) -> list[str] | None:
    """The shortest chain of reads from ``model`` back to itself (``a, b, a``), if any."""
    queue = deque([[model.name]])
    seen = {model.name}
    while queue:
        path = queue.popleft()
        for read in sorted(r for r in stuck[path[-1]].reads if r in stuck):
            if read == model.name:
                return [*path, read]
            if read not in seen:
                seen.add(read)
                queue.append([*path, read])
    return None


def unreadable_model(query: QueryFile, model: Model, offset: int) -> SQLError:
    """``query`` (a report or a model) reads ``model``, which could not be created."""
    line, column = query.sql_position(offset)
    return SQLError(
        f"the model '{model.name}' could not be created, so this query cannot read it.",
        code="RP412",
        path=query.path,
        line=line,
        column=column,
        hint=f"fix {model.query.path} first; its own error is shown too.",
    )


def name_clash(query: QueryFile) -> QueryFileError:
    return QueryFileError(
        f"the model '{query.name}' has the name of a data table, so a query could not "
        "tell them apart.",
        code="RP217",
        path=query.path,
        hint=f"rename the file, e.g. to {query.name}_model.sql.",
    )


def char_offset(text: str, byte_offset: int) -> int:
    """DuckDB counts positions in UTF-8 bytes; messages count characters."""
    return len(text.encode("utf-8")[:byte_offset].decode("utf-8", errors="ignore"))
