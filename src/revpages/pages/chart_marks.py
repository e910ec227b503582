"""The judgement a chart shows on top of its values: intervals (``error``), sample sizes
(``n``), the emphasis of flagged rows (``highlight``) and reference lines and bands.

Each mark that needs a word of explanation gets a legend entry saying what it means
(the emphasis colour, a faint bar, an interval, a target line). Theme colours (of
reference lines, interval whiskers, text on faint bars) are left to the browser script,
which knows whether the page is light or dark; the trace's ``meta`` says what each is.
"""

from __future__ import annotations

from typing import Any

from revpages.pages.chart_data import Draw, Panel, Trace, safe
from revpages.pages.formats import json_value, label
from revpages.pages.palette import EMPHASIS, PALETTE
from revpages.reports.spec_values import Reference

NOTE_GROUP = "revpages-note"  # legend entries that explain a mark, not a series
REFERENCE_GROUP = "revpages-reference"
FAINT = 0.35  # opacity of a small sample's bar or point


def split_highlight(draw: Draw, rows: list[int]) -> list[tuple[list[int], bool]]:
    """(rows, emphasised) groups: flagged rows apart from the others, in row order."""
    if not draw.spec.highlight:
        return [(rows, False)]
    flags = draw.raw(draw.spec.highlight.column)
    plain = [i for i in rows if flags[i] is not True]
    flagged = [i for i in rows if flags[i] is True]
    return [(group, emphasised) for group, emphasised in ((plain, False), (flagged, True)) if group]


def emphasis_color(base: str) -> str:
    return EMPHASIS if base.lower() != EMPHASIS.lower() else PALETTE[0]


def emphasis_name(draw: Draw) -> str:
    return safe(draw.spec.highlight.label)


def add_error(draw: Draw, trace: Trace, rows: list[int], y: str, axis: str) -> None:
    """Asymmetric error bars from the ``error`` columns (drawn in the text colour)."""
    if not draw.spec.error or y != draw.ys[0]:
        return
    values = draw.number(y, rows)
    lows = draw.number(draw.spec.error.low, rows)
    highs = draw.number(draw.spec.error.high, rows)
    trace[f"error_{axis}"] = {
        "type": "data",
        "symmetric": False,
        "array": [_gap(high, value) for value, high in zip(values, highs, strict=True)],
        "arrayminus": [_gap(value, low) for value, low in zip(values, lows, strict=True)],
        "thickness": 1.5,
        "width": 5,
    }
    trace.setdefault("meta", {})["themeError"] = True


def _gap(top: Any, bottom: Any) -> Any:
    if not isinstance(top, int | float) or not isinstance(bottom, int | float):
        return None
    return json_value(max(0.0, float(top) - float(bottom)))


def add_sample_size(
    draw: Draw, trace: Trace, rows: list[int], columns: list[str], *, upright: bool = False
) -> bool:
    """'n=35' on each bar or point; small samples faint and labelled. True if any is small.
    On ``upright`` (vertical) bars "small" goes on a line of its own, so the label stays as
    narrow as a bar on a phone; elsewhere it follows on the same line."""
    n = draw.spec.n
    if not n:
        return False
    counts = draw.raw(n.column)
    small = [isinstance(counts[i], int | float) and counts[i] < n.min for i in rows]
    index = draw.hover_index(columns, n.column)
    note = "<br>small" if upright else " · small"
    trace["texttemplate"] = [
        f"n=%{{customdata[{index}]}}" + (note if is_small else "") for is_small in small
    ]
    if any(small):
        marker = trace.setdefault("marker", {})
        color = marker.get("color")
        if trace.get("type") == "scatter" and _is_hex(color):
            # A faded dot alone is lost on a dark page: a small sample's point keeps a ring
            # in its full colour around a faint fill.
            marker["color"] = [_faded(color, FAINT) if is_small else color for is_small in small]
            marker["line"] = {"color": color, "width": 1.5}
        else:
            marker["opacity"] = [FAINT if is_small else 1.0 for is_small in small]
        trace.setdefault("meta", {})["faint"] = small
    return any(small)


def _is_hex(color: object) -> bool:
    return isinstance(color, str) and len(color) == 7 and color.startswith("#")


def _faded(color: str, alpha: float) -> str:
    """'#0072B2' as a fill of opacity ``alpha``: 'rgba(0, 114, 178, 0.35)'."""
    red, green, blue = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({red}, {green}, {blue}, {alpha})"


def note_entries(draw: Draw, *, kind: str, color: str, small: bool) -> list[Trace]:
    """Legend entries explaining the faint rows and the interval, drawn once."""
    notes = []
    if small and draw.spec.n:
        n = draw.spec.n
        notes.append(
            _legend_only(
                kind,
                f"Faint: {safe(label(n.column))} under {n.min} (small sample)",
                {"color": _faded(color, FAINT), "line": {"color": color, "width": 1.5}, "size": 11}
                if draw.spec.chart == "scatter" and _is_hex(color)
                else {"color": color, "opacity": FAINT, "symbol": "square", "size": 12},
            )
        )
    if draw.spec.error:
        interval = draw.spec.error
        name = interval.label or f"{label(interval.low)} to {label(interval.high)}"
        entry = _legend_only("scatter", f"Whiskers: {safe(name)}", None)
        entry.update(mode="lines", line={"width": 1.5})
        entry["meta"] = {"themeLine": True}
        notes.append(entry)
    return notes


def _legend_only(kind: str, name: str, marker: dict[str, Any] | None) -> Trace:
    trace: Trace = {
        "type": "bar" if kind == "bar" else "scatter",
        "x": [None],
        "y": [None],
        "name": name,
        "legendgroup": NOTE_GROUP,
        "hoverinfo": "skip",
        "showlegend": True,
    }
    if marker:
        trace["marker"] = marker
    if trace["type"] == "scatter" and marker:
        trace["mode"] = "markers"
    return trace


def references(
    draw: Draw, panel: Panel, value_axis: str, *, scatter: bool = False
) -> tuple[list[dict[str, Any]], list[Trace]]:
    """Shapes (lines, bands) and, for a target that differs per row, marker traces."""
    shapes: list[dict[str, Any]] = []
    traces: list[Trace] = []
    for k, reference in enumerate(draw.spec.reference):
        axis = (reference.axis or "y") if scatter else value_axis
        if reference.y and reference.y not in draw.ys:
            continue
        group = f"{REFERENCE_GROUP}-{k}"
        ends = [_constant(draw, panel, end) for end in _ends(reference)]
        if any(end is _VARIES for end in ends):
            traces.append(_target_markers(draw, panel, reference, axis, group))
        elif all(isinstance(end, float) for end in ends):
            shapes.append(_shape(panel, reference, axis, ends, group))
    return shapes, traces


_VARIES = object()


def _ends(reference: Reference) -> list[float | str | None]:
    return [reference.value] if not reference.is_band else [reference.low, reference.high]


def _constant(draw: Draw, panel: Panel, end: float | str | None) -> Any:
    """A number, or _VARIES when a column holds several values (None when it holds none)."""
    if not isinstance(end, str):
        return end
    values = {json_value(v) for v in draw.number(end, panel.rows) if v is not None}
    if len(values) > 1:
        return _VARIES
    return float(values.pop()) if values else None


def _shape(
    panel: Panel, reference: Reference, axis: str, ends: list[Any], group: str
) -> dict[str, Any]:
    other = "x" if axis == "y" else "y"
    shape: dict[str, Any] = {
        f"{other}ref": f"{panel.axis(other)} domain",
        f"{other}0": 0,
        f"{other}1": 1,
        f"{axis}ref": panel.axis(axis),
        f"{axis}0": ends[0],
        f"{axis}1": ends[-1],
        "name": safe(reference.label),
        "legendgroup": group,
        "showlegend": panel.first,
    }
    if reference.is_band:
        shape.update(type="rect", layer="below", line={"width": 0}, opacity=0.22)
    else:
        shape.update(type="line", layer="above", line={"dash": "dash", "width": 2})
    return shape


def _target_markers(draw: Draw, panel: Panel, reference: Reference, axis: str, group: str) -> Trace:
    column = reference.value if isinstance(reference.value, str) else reference.low
    assert isinstance(column, str)
    categories = draw.shown(draw.x, panel.rows, wrap=True)
    values = draw.number(column, panel.rows)
    horizontal = axis == "x"
    trace: Trace = {
        "type": "scatter",
        "mode": "markers",
        "x": values if horizontal else categories,
        "y": categories if horizontal else values,
        "name": safe(reference.label),
        "legendgroup": group,
        "marker": {"symbol": "line-ns" if horizontal else "line-ew", "size": 18},
        "meta": {"themeLine": True},
        **draw.hover(panel.rows, [draw.x, column]),
    }
    trace["meta"]["themeLine"] = True
    return panel.place(trace)
