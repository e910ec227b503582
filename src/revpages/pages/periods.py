"""Running periods and immature cohorts, drawn as such: which rows of a result are not
final yet, and how their points, bars and table cells say so.

A row is marked when the result says so (an ``is_complete`` column that is false, with an
optional ``fraction_elapsed``; an ``is_mature`` column that is false), or when its x value
is a period the calendar knows is running: a label such as 'Q4 2026' or the first day of
that period (the x column's name, e.g. ``month`` or ``quarter``, says which grain a date
starts). Marked bars are lighter and hatched, marked line points open and joined by a
dashed line over a shaded band, and each says 'to date, 33 %' or 'immature' in its hover
text, above the plot and in the table.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from revpages.derive.calendar import (
    GRAINS,
    Calendar,
    RunningPeriod,
    day_text,
    days_text,
    local,
    percent_text,
)
from revpages.reports.queryfile import QueryFile
from revpages.reports.result import QueryResult

COMPLETE_COLUMN = "is_complete"
ELAPSED_COLUMN = "fraction_elapsed"
MATURE_COLUMN = "is_mature"
MARK_COLUMNS = (COMPLETE_COLUMN, ELAPSED_COLUMN, MATURE_COLUMN)  # read, not drawn or shown
BAND_COLOR = "rgb(128, 128, 128)"  # the chart script puts each theme's muted grey here
BAND_OPACITY = 0.22  # as a reference band: the lines and notes under it stay readable
MARKED_OPACITY = 0.5


@dataclass(frozen=True)
class Mark:
    """Why a row's numbers are not final: a running period (with the share of it that has
    passed, when known) or an immature cohort."""

    kind: str  # "to date" or "immature"
    fraction: float | None = None

    def text(self) -> str:
        if self.kind == "to date" and self.fraction is not None:
            return f"to date, {percent_text(self.fraction)}"
        return self.kind


Marks = list[Mark | None]  # one per result row


def label_column(query: QueryFile, result: QueryResult) -> str | None:
    """The column that names a row: ``x``, else the first column not read for marks."""
    if query.spec.x in result.columns:
        return query.spec.x
    return next((c for c in result.columns if c not in MARK_COLUMNS), None)


def row_marks(
    query: QueryFile, result: QueryResult, running: Sequence[RunningPeriod] = ()
) -> Marks:
    """The mark of each row of ``result`` (in its order), None for final rows."""
    columns = result.columns
    complete = columns.index(COMPLETE_COLUMN) if COMPLETE_COLUMN in columns else None
    elapsed = columns.index(ELAPSED_COLUMN) if ELAPSED_COLUMN in columns else None
    mature = columns.index(MATURE_COLUMN) if MATURE_COLUMN in columns else None
    label = label_column(query, result)
    at = columns.index(label) if label else None
    marks: Marks = []
    for row in result.rows:
        period = _running_period(row[at], label or "", running) if at is not None else None
        if complete is not None and row[complete] is False:
            fraction = row[elapsed] if elapsed is not None else None
            if not isinstance(fraction, int | float):
                fraction = period.fraction if period else None
            marks.append(Mark("to date", float(fraction) if fraction is not None else None))
        elif mature is not None and row[mature] is False:
            marks.append(Mark("immature"))
        elif complete is None and period is not None:
            marks.append(Mark("to date", period.fraction))
        else:
            marks.append(None)
    return marks


def _running_period(
    value: Any, column: str, running: Sequence[RunningPeriod]
) -> RunningPeriod | None:
    """The running period ``value`` names: its label, or its first day."""
    if isinstance(value, str):
        found = next((p for p in running if p.label == value), None)
        if found or len(value) != 10:
            return found
        try:
            value = date.fromisoformat(value)
        except ValueError:
            return None
    if isinstance(value, datetime):
        if value.time() != datetime.min.time():
            return None
        value = value.date()
    if not isinstance(value, date):
        return None
    starting = [p for p in running if p.start == value]
    grains = [grain for grain in GRAINS if grain in column.lower()]
    if grains:  # 'month', 'cohort_month': a month starts on this day, whatever else does
        starting = [p for p in starting if p.grain in grains]
    return min(starting, key=lambda p: GRAINS.index(p.grain), default=None)  # finest grain


def cell_note(mark: Mark | None) -> str:
    """What a marked row's label cell adds: ' (to date, 33 %)'."""
    return f" ({mark.text()})" if mark else ""


# --- figures --------------------------------------------------------------------------------


def mark_bars(trace: dict[str, Any], marks: Marks) -> None:
    """Lighter, hatched bars (or funnel stages) for marked points."""
    if not any(marks):
        return
    marker = trace.setdefault("marker", {})
    if trace["type"] == "bar":
        # A bar already faint (a small sample) is lighter still when marked.
        faint = marker.get("opacity", 1)
        faint = faint if isinstance(faint, list) else [faint] * len(marks)
        marker["opacity"] = [
            o * MARKED_OPACITY if m else o for o, m in zip(faint, marks, strict=True)
        ]
        marker["pattern"] = {"shape": ["/" if m else "" for m in marks], "solidity": 0.4}
    else:  # a funnel has no patterns or opacities per stage: a lighter colour, and words
        color = marker.get("color", "#0072B2")
        marker["color"] = [_lighter(color) if m else color for m in marks]
        template = trace.get("texttemplate")
        if isinstance(template, str):  # the stage's own text, then the mark's words
            trace["texttemplate"] = [f"{template}<br>{m.text()}" if m else template for m in marks]
        else:
            trace["text"] = [m.text() if m else "" for m in marks]
            trace["textinfo"] = f"{trace.get('textinfo', 'value')}+text"


def _lighter(color: str) -> str:
    """A '#rrggbb' colour at MARKED_OPACITY, as plotly.js reads it."""
    red, green, blue = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({red}, {green}, {blue}, {MARKED_OPACITY})"


def split_line(trace: dict[str, Any], marks: Marks) -> list[dict[str, Any]]:
    """A line whose last points are marked, as a solid line and a dashed one with open
    markers from the last final point on; marked points elsewhere get open markers."""
    if not any(marks):
        return [trace]
    first = next(i for i, m in enumerate(marks) if m)
    symbols = ["circle-open" if m else "circle" for m in marks]
    if any(m is None for m in marks[first:]) or "stackgroup" in trace:
        # A stacked area cannot be cut in two: its marked points alone get open markers.
        marked = dict(trace, mode="lines+markers")
        # Points already drawn with markers keep theirs; otherwise only marked ones show.
        plain = trace.get("marker", {}).get("size", 0) if "markers" in trace.get("mode", "") else 0
        sizes = [8 if m else plain for m in marks]
        marked["marker"] = dict(trace.get("marker", {}), symbol=symbols, size=sizes)
        return [marked]
    start = max(first - 1, 0)
    solid = _points(trace, slice(None, first or 1))
    solid["legendgroup"] = trace.get("name", "")
    dashed = dict(
        _points(trace, slice(start, None)),
        mode="lines+markers",
        showlegend=False,
        legendgroup=trace.get("name", ""),
        marker={**trace.get("marker", {}), "symbol": symbols[start:], "size": 8},
        line={**trace.get("line", {}), "dash": "dash"},
    )
    return [solid, dashed] if first else [dashed]


def _points(trace: dict[str, Any], part: slice) -> dict[str, Any]:
    """The trace with only some of its points: their values, hover data and error bars."""
    found = dict(trace, x=trace["x"][part], y=trace["y"][part])
    if "customdata" in trace:
        found["customdata"] = trace["customdata"][part]
    for key in ("error_x", "error_y"):
        if key in trace:
            bars = dict(trace[key])
            for end in ("array", "arrayminus"):
                if end in bars:
                    bars[end] = bars[end][part]
            found[key] = bars
    return found


def band_and_notes(
    xs: list[Any], marks: Marks, *, band: bool, xref: str = "x", yref: str = "paper"
) -> dict[str, Any]:
    """Layout shapes and annotations over marked x values: a shaded band from the last
    final point to the last marked one (lines, areas), and one note per run of marks.
    ``xref`` and ``yref`` place them on one panel of small multiples ('x2', 'y2 domain')."""
    layout: dict[str, Any] = {}
    seen: dict[Any, Mark | None] = {}
    for x, mark in zip(xs, marks, strict=True):
        seen[x] = seen.get(x) or mark  # several series share an x: one note for it
    xs = list(seen)
    marked = [(x, m) for x, m in seen.items() if m]
    if not marked:
        return layout
    notes: list[dict[str, Any]] = []
    previous = None
    for x, mark in marked:
        text = mark.text()
        if text != previous:
            notes.append(
                {
                    "x": x,
                    "xref": xref,
                    "y": 1,
                    "yref": yref,
                    "yanchor": "top",
                    # Neighbouring notes (an immature cohort before the running month)
                    # take turns at two heights, so their words never overlap.
                    "yshift": -16 * (len(notes) % 2),
                    "text": text,
                    "showarrow": False,
                    "font": {"size": 11},
                }
            )
        previous = text
    layout["annotations"] = notes
    if band:
        first = xs.index(marked[0][0])
        layout["shapes"] = [
            {
                "type": "rect",
                "xref": xref,
                "yref": yref,
                "x0": xs[max(first - 1, 0)],
                "x1": marked[-1][0],
                "y0": 0,
                "y1": 1,
                "fillcolor": BAND_COLOR,
                "opacity": BAND_OPACITY,
                "line": {"width": 0},
                "layer": "below",
            }
        ]
    return layout


# --- the window line ------------------------------------------------------------------------


def window_text(calendar: Calendar, *, uses_period: bool, first_event: datetime | None) -> str:
    """A report's window in dates and the site's as-of moment, for the line under its
    title: '1 Jul – 30 Sep 2026 · Q3 2026 · data as of 31 Oct 2026, 08:36 UTC'. A report
    bound to the site's period shows that period; any other covers all the data it reads,
    up to the as-of moment."""
    if uses_period:
        span = calendar.window().text()
    elif first_event is not None:
        first = min(local(first_event, calendar.options.timezone).date(), calendar.as_of_day)
        span = f"{days_text(first, calendar.as_of_day)} · all data to the as-of moment"
    else:
        span = f"All data to {day_text(calendar.as_of_day)}"
    return f"{span} · data as of {calendar.as_of_text()}"


def compare_label(calendar: Calendar, which: str) -> str:
    """The period a comparison run covers: 'Q2 2026', 'Q3 2026 to date'."""
    window = calendar.compared(which).window()
    return f"{window.label} to date" if window.to_date else window.label
