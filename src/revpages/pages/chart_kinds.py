"""One builder per chart kind: the traces of one panel (or of the whole chart) and the
axes they are drawn on.

bar, horizontal_bar, stacked_bar and paths are bars; line and area are lines; scatter
plots one value against another; dumbbell joins two values per category; heatmap draws
the grid of ``pivot``; funnel narrows stage by stage (those two in ``chart_grids``).
"""

from __future__ import annotations

from typing import Any

from revpages.pages.chart_data import Draw, Panel, Trace, safe
from revpages.pages.chart_marks import (
    NOTE_GROUP,
    add_error,
    add_sample_size,
    emphasis_color,
    emphasis_name,
    split_highlight,
)
from revpages.pages.formats import label
from revpages.pages.periods import Mark, Marks, cell_note, mark_bars, split_line

HORIZONTAL = ("horizontal_bar", "paths", "dumbbell")
BAR_KINDS = ("bar", "horizontal_bar", "stacked_bar", "paths")
SORTED = ("horizontal_bar", "paths")  # largest first unless the report sorts them itself
HIGHLIGHT_GROUP = "revpages-highlight"


def value_axis(draw: Draw, columns: list[str], title: str) -> dict[str, Any]:
    values = [v for c in columns for v in draw.raw(c)]
    if draw.spec.error:
        values += draw.raw(draw.spec.error.low) + draw.raw(draw.spec.error.high)
    axis: dict[str, Any] = {"title": {"text": safe(title)}, "automargin": True}
    axis.update(draw.formats[columns[0]].axis(values))
    return axis


def category_axis(draw: Draw, horizontal: bool) -> dict[str, Any]:
    axis: dict[str, Any] = {"title": {"text": safe(label(draw.x))}, "automargin": True}
    if horizontal:
        axis.update(type="category", autorange="reversed")
    if draw.spec.chart in (*BAR_KINDS, "dumbbell") and _is_text(draw, draw.x):
        # Flagged and plain rows are separate traces: the axis keeps the rows' order.
        every = _ordered(draw, list(range(draw.result.row_count)), draw.ys[0])
        shown = (
            dumbbell_categories(draw, every)
            if draw.spec.chart == "dumbbell"
            else draw.shown(draw.x, every, wrap=horizontal)
        )
        order = list(dict.fromkeys(shown))
        axis.update(type="category", categoryorder="array", categoryarray=order)
    return axis


def _is_text(draw: Draw, column: str) -> bool:
    """Names (or lists of names), not dates or numbers, which Plotly places on axes of their
    own kinds."""
    kind = draw.result.types[draw.result.columns.index(column)]
    return kind.startswith(("VARCHAR", "ENUM")) or kind.endswith("]")


def value_title(draw: Draw) -> str:
    """The value axis's title: the column's label, or what the columns drawn share (their
    leading words, 'Median amount'), or their unit ('Days')."""
    labels = [label(y) for y in draw.ys]
    if len(labels) == 1:
        return labels[0]
    words = [text.split(" ") for text in labels]
    common = []
    for group in zip(*words, strict=False):
        if len(set(group)) > 1:
            break
        common.append(group[0])
    if common and draw.spec.chart == "dumbbell":
        return " ".join(common)
    unit = draw.formats[draw.ys[0]].spec.get("unit", "")
    return unit.capitalize() if unit in ("days", "hours", "minutes") else ""


def cartesian_layout(draw: Draw) -> dict[str, Any]:
    chart = draw.spec.chart
    horizontal = chart in HORIZONTAL
    title = value_title(draw)
    values = value_axis(draw, draw.ys, title)
    categories = category_axis(draw, horizontal)
    if chart == "scatter":
        categories = value_axis(draw, [draw.x], label(draw.x))
        _log_if_skewed(draw, categories)
    layout: dict[str, Any] = {
        "xaxis": values if horizontal else categories,
        "yaxis": categories if horizontal else values,
    }
    if horizontal:
        layout["height"] = bar_height(draw, list(range(draw.result.row_count)))
    if chart == "stacked_bar":
        layout["barmode"] = "stack"
    elif (draw.spec.color or len(draw.ys) > 1) and chart in ("bar", "horizontal_bar"):
        layout["barmode"] = "group"  # series side by side: overlaid, the taller hid the other
    else:  # one bar per category: flagged and plain rows are separate traces
        layout["barmode"] = "overlay"
    return layout


ROW_HEIGHT = 26  # px per category of a horizontal chart, per line of its label
CHART_EXTRA = 130  # px for the legend, the value axis and its title


def bar_height(draw: Draw, rows: list[int]) -> int:
    """A horizontal chart's height: every category gets a row its label fits in."""
    if draw.spec.chart == "dumbbell":
        labels = set(dumbbell_categories(draw, rows))
    else:
        labels = set(draw.shown(draw.x, rows, wrap=True))
    lines = sum(1 + str(text).count("<br>") * 0.6 for text in labels)
    return max(280, round(lines * ROW_HEIGHT) + CHART_EXTRA)


def bars(draw: Draw, panel: Panel) -> list[Trace]:
    horizontal = draw.spec.chart in HORIZONTAL
    traces = []
    for y in draw.ys:
        for name, color, rows in draw.series(_ordered(draw, panel.rows, y), y):
            for group, emphasised in split_highlight(draw, rows):
                columns = draw.hover_columns(y)
                categories = draw.shown(draw.x, group, wrap=horizontal)
                values = draw.number(y, group)
                trace: Trace = {
                    "type": "bar",
                    "name": emphasis_name(draw) if emphasised else name,
                    "marker": {"color": emphasis_color(color) if emphasised else color},
                    **draw.hover(group, columns),
                }
                if horizontal:
                    trace.update(x=values, y=categories, orientation="h")
                else:
                    trace.update(x=categories, y=values)
                add_error(draw, trace, group, y, "x" if horizontal else "y")
                upright = not horizontal
                if add_sample_size(draw, trace, group, columns, upright=upright) or draw.spec.n:
                    trace.update(
                        textposition="inside",
                        insidetextanchor="start",
                        textangle=0,
                        textfont={"size": 11},
                        constraintext="none",
                    )
                if emphasised:
                    trace["legendgroup"] = HIGHLIGHT_GROUP
                mark_bars(trace, draw.row_marks(group))
                traces.append(panel.place(trace))
    return traces


def _ordered(draw: Draw, rows: list[int], y: str) -> list[int]:
    """Horizontal bars without a sort key or series are sorted, largest at the top."""
    if draw.spec.sort or draw.spec.color or draw.spec.facet or draw.spec.chart not in SORTED:
        return rows
    values = draw.raw(y)
    present = [i for i in rows if isinstance(values[i], int | float)]
    missing = [i for i in rows if i not in present]
    return sorted(present, key=lambda i: -float(values[i])) + missing


def lines(draw: Draw, panel: Panel) -> list[Trace]:
    traces: list[Trace] = []
    rings: list[Trace] = []
    every_x = list(dict.fromkeys(draw.shown(draw.x, panel.rows)))
    for y in draw.ys:
        for name, color, rows in draw.series(panel.rows, y):
            trace: Trace = {
                "type": "scatter",
                "mode": "lines+markers" if len(rows) <= 40 else "lines",
                "name": name,
                "x": draw.shown(draw.x, rows),
                "y": draw.number(y, rows),
                "line": {"color": color},
                "marker": {"color": color, "size": 6},
                # A stacked series fills the x values it has no row for, marks included.
                **draw.hover(rows, draw.hover_columns(y), note=any(draw.row_marks(panel.rows))),
            }
            marks = draw.row_marks(rows)
            if draw.spec.chart == "area":
                trace["stackgroup"] = "one"
                columns = draw.hover_columns(y)
                at = (draw.hover_index(columns, draw.x), draw.hover_index(columns, y))
                _fill_gaps(trace, every_x, *at)
                marks = _marks_at(draw, panel, trace)
            add_error(draw, trace, rows, y, "y")
            traces += split_line(panel.place(trace), marks)
            flagged = [g for g, emphasised in split_highlight(draw, rows) if emphasised]
            if flagged:
                rings.append(panel.place(_flag_markers(draw, flagged[0], y, not rings)))
    return traces + rings  # drawn over the lines, and last in the legend


def _fill_gaps(trace: Trace, every_x: list[Any], x_at: int, y_at: int) -> None:
    """A stacked series with no row for some x stacks a zero there, which its tooltip says
    (plotly.js would insert a point of its own, whose tooltip had nothing to read)."""
    have = dict(zip(trace["x"], zip(trace["y"], trace["customdata"], strict=True), strict=True))
    width = len(trace["customdata"][0]) if trace["customdata"] else 0
    filled = []
    for x in every_x:
        if x in have:
            filled.append((x, *have[x]))
            continue
        row: list[Any] = [None] * width
        row[x_at], row[y_at] = x, 0
        for i, fmt in enumerate(trace["meta"]["formats"]):
            if i != x_at and fmt is None and trace["customdata"]:
                row[i] = trace["customdata"][0][i]  # the series' own name
        filled.append((x, 0, row))
    trace["x"], trace["y"], trace["customdata"] = (list(part) for part in zip(*filled, strict=True))


def _marks_at(draw: Draw, panel: Panel, trace: Trace) -> Marks:
    """The mark of each point of a filled series, by its x (a running month is running in
    every series), written into its hover text too."""
    by_x: dict[Any, Mark | None] = {}
    for x, mark in zip(draw.shown(draw.x, panel.rows), draw.row_marks(panel.rows), strict=True):
        by_x[x] = by_x.get(x) or mark
    marks = [by_x.get(x) for x in trace["x"]]
    note = trace["meta"].get("note")
    if note is not None:
        for cells, mark in zip(trace["customdata"], marks, strict=True):
            cells[note] = safe(cell_note(mark))
    return marks


def _flag_markers(draw: Draw, rows: list[int], y: str, legend: bool) -> Trace:
    """Flagged points of a line, ringed in the emphasis colour (one legend entry)."""
    return {
        "type": "scatter",
        "mode": "markers",
        "name": emphasis_name(draw),
        "x": draw.shown(draw.x, rows),
        "y": draw.number(y, rows),
        "marker": {
            "color": emphasis_color(""),
            "size": 13,
            "symbol": "circle-open",
            "line": {"width": 2.5},
        },
        "legendgroup": HIGHLIGHT_GROUP,
        "showlegend": legend,
        **draw.hover(rows, draw.hover_columns(y)),
    }


def scatter(draw: Draw, panel: Panel) -> list[Trace]:
    y = draw.ys[0]
    point_label = draw.spec.label
    traces = []
    for name, color, rows in draw.series(panel.rows, y):
        for group, emphasised in split_highlight(draw, rows):
            columns = draw.hover_columns(y)
            trace: Trace = {
                "type": "scatter",
                "mode": "markers+text" if point_label else "markers",
                "name": emphasis_name(draw) if emphasised else name,
                "x": draw.number(draw.x, group),
                "y": draw.number(y, group),
                "marker": {"color": emphasis_color(color) if emphasised else color, "size": 11},
                "textposition": "top center",
                "cliponaxis": False,
                **draw.hover(group, columns),
            }
            if point_label:
                trace["text"] = draw.shown(point_label, group)
            add_error(draw, trace, group, y, "y")
            if add_sample_size(draw, trace, group, columns) and point_label:
                small = trace["meta"]["faint"]
                trace["texttemplate"] = [
                    "%{text}" + (f" ({template})" if is_small else "")
                    for template, is_small in zip(trace["texttemplate"], small, strict=True)
                ]
            elif point_label:
                trace.pop("texttemplate", None)
            if emphasised:
                trace["legendgroup"] = HIGHLIGHT_GROUP
            trace["meta"]["declutter"] = True
            traces.append(panel.place(trace))
    return traces


def dumbbell(draw: Draw, panel: Panel) -> list[Trace]:
    first, second = draw.ys
    rows = panel.rows
    categories = dumbbell_categories(draw, rows)
    starts, ends = draw.number(first, rows), draw.number(second, rows)
    xs: list[Any] = []
    ys: list[Any] = []
    for category, start, end in zip(categories, starts, ends, strict=True):
        xs += [start, end, None]
        ys += [category, category, None]
    connector: Trace = {
        "type": "scatter",
        "mode": "lines",
        "x": xs,
        "y": ys,
        "line": {"width": 3},
        "hoverinfo": "skip",
        "showlegend": False,
        "legendgroup": NOTE_GROUP,
        "meta": {"themeGrid": True},
    }
    traces = [panel.place(connector)]
    columns = draw.hover_columns(first)
    columns.insert(columns.index(first) + 1, second)
    for column, values in ((first, starts), (second, ends)):
        trace: Trace = {
            "type": "scatter",
            "mode": "markers",
            "name": safe(label(column)),
            "x": values,
            "y": categories,
            "marker": {"color": draw.colors(column), "size": 13},
            **draw.hover(rows, columns),
        }
        traces.append(panel.place(trace))
    return traces


def dumbbell_categories(draw: Draw, rows: list[int]) -> list[Any]:
    """A dumbbell's row names, with the sample size under each ('n=394'): beside the
    values, a label would run past the plot's edge."""
    names = draw.shown(draw.x, rows, wrap=True)
    if not draw.spec.n:
        return names
    counts = draw.raw(draw.spec.n.column)
    fmt = draw.formats[draw.spec.n.column]
    return [f"{name}<br>n={fmt.text(counts[i])}" for name, i in zip(names, rows, strict=True)]


def _log_if_skewed(draw: Draw, axis: dict[str, Any]) -> None:
    """A scatter's horizontal values spread over more than two orders of magnitude (response
    times: minutes to days) are drawn on a log scale, or most points crowd one corner."""
    values = [v for v in draw.number(draw.x, list(range(draw.result.row_count))) if v]
    if values and min(values) > 0 and max(values) / min(values) > 100:
        axis.update(type="log", dtick=1)  # a tick per power of ten: 0.1 h, 1 h, 10 h
        axis.pop("tickformat", None)
        axis["title"]["text"] += " (log scale)"
