"""The charts that are not values against categories: the heatmap, which draws the grid of
``pivot`` (the table shows the same grid), and the funnel, narrowing stage by stage.
"""

from __future__ import annotations

from typing import Any

from revpages.pages.chart_data import Draw, Trace, safe
from revpages.pages.formats import label
from revpages.pages.periods import mark_bars


def heatmap(draw: Draw) -> tuple[list[Trace], dict[str, Any]]:
    pivot = draw.spec.pivot
    rows_of, columns_of = _keys(draw.raw(pivot.rows)), _keys(draw.raw(pivot.columns))
    cells = {
        (rows_of[r], columns_of[c]): i
        for i, (r, c) in enumerate(zip(draw.raw(pivot.rows), draw.raw(pivot.columns), strict=True))
    }
    values = draw.number(pivot.values, list(range(draw.result.row_count)))
    z = [
        [values[cells[(r, c)]] if (r, c) in cells else None for c in range(len(columns_of))]
        for r in range(len(rows_of))
    ]
    fmt = draw.formats[pivot.values]
    trace: Trace = {
        "type": "heatmap",
        "x": _first_shown(draw, pivot.columns, columns_of),
        "y": _first_shown(draw, pivot.rows, rows_of),
        "z": z,
        "xgap": 2,
        "ygap": 2,
        "hoverongaps": False,
        "texttemplate": "%{text}",
        "hovertemplate": f"{safe(label(pivot.rows))}: %{{y}}<br>{safe(label(pivot.columns))}: "
        f"%{{x}}<br>{safe(label(pivot.values))}: %{{text}}<extra></extra>",
        "meta": {"cellFormat": fmt.browser() if fmt.is_number else None, "themeScale": True},
        "colorbar": {"thickness": 12, "outlinewidth": 0, **_colorbar(fmt.axis(values))},
    }
    layout = {
        "xaxis": {
            "title": {"text": safe(label(pivot.columns))},
            "type": "category",
            "side": "top",
            "automargin": True,
        },
        "yaxis": {
            "title": {"text": safe(label(pivot.rows))},
            "type": "category",
            "autorange": "reversed",
            "automargin": True,
        },
        "height": max(320, 34 * len(rows_of) + 160),
    }
    return [trace], layout


def _colorbar(axis: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in axis.items() if k in ("tickformat", "tickprefix", "ticksuffix")}


def _keys(values: list[Any]) -> dict[Any, int]:
    """Each distinct value and its position, in order of first appearance."""
    found: dict[Any, int] = {}
    for value in values:
        found.setdefault(value, len(found))
    return found


def _first_shown(draw: Draw, column: str, keys: dict[Any, int]) -> list[Any]:
    fmt = draw.formats[column]
    return [safe(fmt.text(value)) for value in keys]


def funnel(draw: Draw) -> tuple[list[Trace], dict[str, Any]]:
    y = draw.ys[0]
    rows = list(range(draw.result.row_count))
    columns = [draw.x, *[c for c in draw.result.columns if c != draw.x]]
    hover = draw.hover(rows, columns)
    trace: Trace = {
        "type": "funnel",
        "y": draw.shown(draw.x, rows),
        "x": draw.number(y, rows),
        "texttemplate": f"%{{customdata[{columns.index(y)}]}}",
        "textposition": "inside",
        "marker": {"color": draw.colors(y)},
        **hover,
    }
    mark_bars(trace, draw.row_marks(rows))
    return [trace], {"yaxis": {"automargin": True}}
