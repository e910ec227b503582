"""KPI tiles: the numbers of a one-row result as HTML, each with its unit (its format), its
target (a ``reference`` naming the tile), its change against earlier periods (``compare:``)
and its recent course (``sparkline``).

Tiles are text on the page, not a chart: the number reads exactly as the table cell
below it (one ``ColumnFormat``), prints and scales like text, and needs no plotly.js.
"""

from __future__ import annotations

import html
from decimal import Decimal
from typing import Any

from revpages.errors import ChartSpecError
from revpages.pages.compare import Change, Comparison, changes
from revpages.pages.formats import NUMERIC_TYPES, ColumnFormat, canonical, column_formats, label
from revpages.reports.queryfile import QueryFile
from revpages.reports.result import QueryResult
from revpages.reports.spec_values import Reference

SPARK_WIDTH, SPARK_HEIGHT = 120, 28


def tile_columns(query: QueryFile, result: QueryResult) -> list[str]:
    """The columns shown as tiles: ``y``'s (those the result has), else every number."""
    if query.spec.y:
        return [c for c in query.spec.y if c in result.columns]
    trends = set(query.spec.sparkline.values())
    return [
        c
        for c, t in zip(result.columns, result.types, strict=True)
        if _is_number(t) and c not in trends
    ]


def _is_number(kind: str) -> bool:
    return kind.startswith(NUMERIC_TYPES) and not kind.endswith("]")


def check_tiles(query: QueryFile, result: QueryResult) -> None:
    """One row, and a number in each tile."""
    if not result.rows:
        return
    if result.row_count != 1:
        _fail(
            query,
            "RP306",
            "chart",
            f"a kpi chart needs exactly one row; the query returned {result.row_count:,}.",
            "aggregate to one row, or use another chart type.",
        )
    for column in tile_columns(query, result):
        kind = result.types[result.columns.index(column)]
        if not _is_number(kind):
            _fail(
                query,
                "RP307",
                "y",
                f"a kpi shows a number; the column '{column}' holds {kind} values.",
                "name a numeric column in 'y', or use 'chart: table'.",
            )


def _fail(query: QueryFile, code: str, key: str, message: str, hint: str) -> None:
    line, column = query.key_position(key)
    raise ChartSpecError(message, code=code, path=query.path, line=line, column=column, hint=hint)


def tiles_html(
    query: QueryFile,
    result: QueryResult,
    *,
    currency: str = "$",
    comparisons: tuple[Comparison, ...] = (),
) -> str:
    """The tiles of a KPI report ("" for an empty result); ``comparisons`` (``compare:``)
    give each tile its change against each earlier period."""
    bodies = tile_bodies(query, result, currency=currency, comparisons=comparisons)
    if not bodies:
        return ""
    return tile_list(f"Key numbers: {query.spec.title}", [tile(body) for _column, body in bodies])


def tile(body: str, *, link: str = "") -> str:
    """One tile around its body; ``link`` (escaped HTML) goes at its foot."""
    return f'<div class="revpages-tile" role="listitem">{body}{link}</div>'


def tile_list(label: str, tiles: list[str], *, kind: str = "") -> str:
    """Tiles as one accessible list, named by ``label`` (``kind``: a modifier class)."""
    modifier = f" revpages-tiles--{kind}" if kind else ""
    return (
        f'<div class="revpages-tiles{modifier}" role="list" aria-label="{_e(label)}">\n'
        + "\n".join(tiles)
        + "\n</div>\n"
    )


def tile_bodies(
    query: QueryFile,
    result: QueryResult,
    *,
    currency: str = "$",
    comparisons: tuple[Comparison, ...] = (),
) -> list[tuple[str, str]]:
    """(column, HTML) of each tile: its label, number, changes, target and sparkline."""
    if not result.rows:
        return []
    spec = query.spec
    formats = column_formats(result, spec.format, currency)
    row = dict(zip(result.columns, result.rows[0], strict=True))
    found = [(comparison, changes(query, result, comparison)) for comparison in comparisons]
    bodies = []
    for column in tile_columns(query, result):
        fmt = formats[column]
        parts = [
            f'<p class="revpages-tile__label">{_e(label(column))}</p>',
            f'<p class="revpages-tile__value">{_e(fmt.text(row[column]) or "–")}</p>',
        ]
        for comparison, changed in found:
            change = changed.get(column, [None])[0]
            if change is not None:
                parts.append(_change(change, comparison, currency))
        target = next((r for r in spec.reference if r.y == column), None)
        if target:
            parts.append(_target(target, row, fmt))
        if column in spec.sparkline:
            parts.append(_sparkline(row[spec.sparkline[column]], fmt))
        bodies.append((column, "".join(parts)))
    return bodies


def _e(text: Any) -> str:
    return html.escape(str(text), quote=True)


def _end(end: float | str | None, row: dict[str, Any]) -> Any:
    return row.get(end) if isinstance(end, str) else end


def target_met(reference: Reference, row: dict[str, Any]) -> bool | None:
    """Whether the tile's value meets its target (None: no direction, or a value missing)."""
    value = _number(row[reference.y]) if reference.y else None
    if value is None:
        return None
    if reference.is_band:
        low, high = _number(_end(reference.low, row)), _number(_end(reference.high, row))
        return None if low is None or high is None else low <= value <= high
    goal = _number(_end(reference.value, row))
    if not reference.better or goal is None:
        return None
    return value >= goal if reference.better == "higher" else value <= goal


def targets_met(query: QueryFile, result: QueryResult) -> list[bool]:
    """For each tile with a target that says which way is good: whether it is met."""
    if not result.rows:
        return []
    row = dict(zip(result.columns, result.rows[0], strict=True))
    found = [target_met(r, row) for r in query.spec.reference if r.y in result.columns]
    return [met for met in found if met is not None]


def _target(reference: Reference, row: dict[str, Any], fmt: ColumnFormat) -> str:
    """'SLA target ≥ 80.0% · ✗ missed': the target, and whether the tile meets it."""
    if reference.is_band:
        low, high = _number(_end(reference.low, row)), _number(_end(reference.high, row))
        shown = f"{fmt.text(low)} to {fmt.text(high)}"
    else:
        sign = {"higher": "≥ ", "lower": "≤ "}.get(reference.better or "", "")
        shown = sign + fmt.text(_number(_end(reference.value, row)))
    met = target_met(reference, row)
    state = ""
    if met is not None:
        state = (
            ' · <span class="revpages-tile__met">✓ met</span>'
            if met
            else ' · <span class="revpages-tile__missed">✗ missed</span>'
        )
    return f'<p class="revpages-tile__target">{_e(reference.label)}: {_e(shown)}{state}</p>'


def _change(change: Change, comparison: Comparison, currency: str) -> str:
    """'▲ +2.1 pp vs Q2 2026' under the number, coloured by whether it is good (the tone
    also said in words for screen readers); nothing when either value is missing."""
    text = change.text(currency)
    if not text:
        return ""
    said = (
        f'<span class="revpages-visually-hidden"> ({change.tone})</span>'
        if change.tone != "neutral"
        else ""
    )
    return (
        f'<p class="revpages-tile__change revpages-{change.tone}">'
        f"{_e(text)} vs {_e(comparison.label)}{said}</p>"
    )


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return None
    return canonical(value)


def _sparkline(values: Any, fmt: ColumnFormat) -> str:
    """A small line of the tile's recent values, with its first and last value in words."""
    numbers = [_number(v) for v in (values or [])]
    points = [(i, v) for i, v in enumerate(numbers) if v is not None]
    if len(points) < 2:
        return ""
    low = min(v for _, v in points)
    high = max(v for _, v in points)
    span = (high - low) or 1.0
    step = SPARK_WIDTH / (len(numbers) - 1)
    coordinates = " ".join(
        f"{i * step:.1f},{SPARK_HEIGHT - 2 - (v - low) / span * (SPARK_HEIGHT - 4):.1f}"
        for i, v in points
    )
    first, last = points[0][1], points[-1][1]
    return (
        f'<svg class="revpages-tile__spark" viewBox="0 0 {SPARK_WIDTH} {SPARK_HEIGHT}" '
        'preserveAspectRatio="none" aria-hidden="true" focusable="false">'
        f'<polyline points="{coordinates}"/></svg>'
        f'<p class="revpages-tile__trend">Trend: {_e(fmt.text(first))} → '
        f"{_e(fmt.text(last))}</p>"
    )
