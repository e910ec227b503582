"""Period over period: a report's numbers against the same query run for the prior period
and the same period last year (``compare:``), on KPI tiles and as table columns.

Rows of the runs are matched by their label columns (every column that is not compared);
a rate changes by percentage points, any other number by its relative change. The colour
says whether the change is good, from ``better:`` (higher or lower) per column; a column
without it is drawn neutral.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from revpages.pages.formats import cell_text, label
from revpages.pages.palette import CHANGE_COLORS
from revpages.pages.periods import MARK_COLUMNS
from revpages.reports.queryfile import QueryFile
from revpages.reports.result import QueryResult

NUMERIC_PREFIXES = (
    *("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT"),
    *("UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT", "UHUGEINT", "FLOAT", "DOUBLE", "DECIMAL"),
)
GOOD, BAD, NEUTRAL = CHANGE_COLORS  # shown in each theme's shade (palette.CHANGE_COLORS)


@dataclass(frozen=True)
class Comparison:
    """The result of one comparison run: ``prior`` or ``last_year``, and its period."""

    name: str
    label: str  # 'Q2 2026', 'Q3 2026 to date (33 %)'
    result: QueryResult


@dataclass(frozen=True)
class Change:
    """One value against its value in a comparison run."""

    current: Any
    previous: Any
    format: str | None
    better: str | None  # higher | lower | None

    @property
    def difference(self) -> float | None:
        if not _number(self.current) or not _number(self.previous):
            return None
        return float(self.current) - float(self.previous)

    @property
    def tone(self) -> str:
        """better, worse or neutral (no direction, or no change)."""
        diff = self.difference
        if not diff or self.better is None:
            return "neutral"
        return "better" if (diff > 0) == (self.better == "higher") else "worse"

    @property
    def color(self) -> str:
        return {"better": GOOD, "worse": BAD}.get(self.tone, NEUTRAL)

    def text(self, currency: str = "$") -> str:
        """'▲ +2.1 pp', '▼ −12.0 %', '= 0', or '' when either value is missing."""
        diff = self.difference
        if diff is None:
            return ""
        arrow = "▲" if diff > 0 else "▼" if diff < 0 else "="
        sign = "+" if diff > 0 else "−" if diff < 0 else ""
        if self.format == "percent":
            return f"{arrow} {sign}{abs(diff) * 100:,.1f} pp"
        previous = float(self.previous)
        if previous:
            return f"{arrow} {sign}{abs(diff / previous) * 100:,.1f} %"
        return f"{arrow} {sign}{cell_text(abs(diff), self.format, currency)}"


def compared_columns(query: QueryFile, result: QueryResult) -> list[str]:
    """The value columns a comparison shows: ``better``'s columns, else ``y``'s, else
    every numeric column."""
    spec = query.spec
    if spec.better:
        return [c for c in spec.better if c in result.columns]
    if spec.y:
        return list(spec.y)
    return [
        c
        for c, value in zip(result.columns, result.rows[0] if result.rows else (), strict=False)
        if _number(value) and c not in MARK_COLUMNS
    ]


def changes(
    query: QueryFile, result: QueryResult, comparison: Comparison
) -> dict[str, list[Change | None]]:
    """Per compared column, the change of each row of ``result`` (None: no matching row)."""
    columns = compared_columns(query, result)
    # Rows are matched by what names them: the columns of text, dates and the like.
    keys = [
        c
        for c, kind in zip(result.columns, result.types, strict=True)
        if c not in columns and c not in MARK_COLUMNS and not kind.startswith(NUMERIC_PREFIXES)
    ]
    other = comparison.result
    if not set(keys + columns) <= set(other.columns):
        return {column: [None] * result.row_count for column in columns}
    found = {_key(other, row, keys): row for row in other.rows}
    changed: dict[str, list[Change | None]] = {}
    for column in columns:
        here, there = result.columns.index(column), other.columns.index(column)
        cells: list[Change | None] = []
        for row in result.rows:
            match = found.get(_key(result, row, keys))
            cells.append(
                Change(
                    row[here],
                    match[there] if match else None,
                    query.spec.format.get(column),
                    query.spec.better.get(column),
                )
                if match
                else None
            )
        changed[column] = cells
    return changed


def with_comparisons(
    query: QueryFile, result: QueryResult, comparisons: tuple[Comparison, ...]
) -> QueryResult:
    """``result`` with the earlier values beside it, for the CSV: one column per compared
    column and comparison (``win_rate_prior``, ``win_rate_last_year``), in the order of the
    table's change columns."""
    if not comparisons:
        return result
    columns, types, extra = list(result.columns), list(result.types), []
    for comparison in comparisons:
        for column, cells in changes(query, result, comparison).items():
            columns.append(f"{column}_{comparison.name}")
            types.append(result.types[result.columns.index(column)])
            extra.append([cell.previous if cell else None for cell in cells])
    rows = [(*row, *(values[i] for values in extra)) for i, row in enumerate(result.rows)]
    return QueryResult(tuple(columns), tuple(types), rows, result.seconds, result.tables)


def comparison_formats(query: QueryFile, comparisons: tuple[Comparison, ...]) -> dict[str, str]:
    """The front matter's formats, and the same format for each earlier value's column of
    ``with_comparisons`` (``win_rate_prior`` reads as ``win_rate`` does)."""
    formats = dict(query.spec.format)
    for comparison in comparisons:
        for column, name in query.spec.format.items():
            formats.setdefault(f"{column}_{comparison.name}", name)
    return formats


def change_columns(
    query: QueryFile, result: QueryResult, comparisons: list[Comparison], currency: str
) -> list[tuple[str, list[tuple[str, str]]]]:
    """Extra table columns: (header, [(text, tone) per row]) per compared column and run."""
    extra = []
    for comparison in comparisons:
        for column, cells in changes(query, result, comparison).items():
            fmt = query.spec.format.get(column)
            texts = []
            for change in cells:
                if change is None or change.difference is None:
                    texts.append(("", "neutral"))
                    continue
                was = cell_text(change.previous, fmt, currency)
                texts.append((f"{change.text(currency)} (was {was})", change.tone))
            extra.append((f"{label(column)} vs {comparison.label}", texts))
    return extra


def _key(result: QueryResult, row: tuple[Any, ...], keys: list[str]) -> tuple[Any, ...]:
    return tuple(str(row[result.columns.index(k)]) for k in keys)


def _number(value: Any) -> bool:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return False
    return not (isinstance(value, float) and (math.isnan(value) or math.isinf(value)))
