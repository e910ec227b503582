"""A fully fetched query result, shared by the engine, charts and pages."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class QueryResult:
    """A fully fetched result: column names, DuckDB type names and rows."""

    columns: tuple[str, ...]
    types: tuple[str, ...]
    rows: list[tuple[Any, ...]]
    seconds: float
    tables: frozenset[str] = frozenset()
    cached: bool = False  # read from the on-disk result store: the query did not run

    @property
    def row_count(self) -> int:
        return len(self.rows)
