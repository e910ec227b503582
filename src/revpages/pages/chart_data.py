"""What every chart kind reads from a result: values as Plotly takes them, text as the page
shows it, one format per column, hover text, and the panels of small multiples.

Numbers go to the figure as canonical values; the browser script formats the hover
text from them with the site's one formatter spec (``formats.FORMAT_SPEC``), so a hover
reads exactly like the table cell beside it. Text from the data is HTML-escaped here,
because Plotly reads names, categories and hover text as HTML.
"""

from __future__ import annotations

import html
import textwrap
from dataclasses import dataclass, field
from typing import Any

from revpages.errors import ChartSpecError
from revpages.pages.formats import ColumnFormat, json_value, label, plain_text
from revpages.pages.palette import ColorMap
from revpages.pages.periods import Mark, Marks, cell_note
from revpages.reports.queryfile import QueryFile
from revpages.reports.result import QueryResult

Trace = dict[str, Any]
WRAP = 32  # characters per line of a long category label
HOVER_LINES = 8  # the row's label and verdict, then its other columns up to this many


def safe(value: Any) -> Any:
    return html.escape(value, quote=False) if isinstance(value, str) else value


@dataclass
class Panel:
    """One small multiple (or the whole chart): its rows and its pair of axes."""

    rows: list[int]
    index: int = 1
    title: str = ""

    @property
    def first(self) -> bool:
        return self.index == 1

    def axis(self, letter: str) -> str:
        """Plotly's id of this panel's axis: 'x', 'x2', ..."""
        return letter if self.index == 1 else f"{letter}{self.index}"

    def place(self, trace: Trace) -> Trace:
        if self.index > 1:
            trace["xaxis"], trace["yaxis"] = self.axis("x"), self.axis("y")
        if not self.first and trace.get("showlegend", True):
            trace["showlegend"] = False  # one legend entry per series for all panels
        return trace


@dataclass
class Draw:
    """One report's result as a chart kind reads it."""

    query: QueryFile
    result: QueryResult
    formats: dict[str, ColumnFormat]
    colors: ColorMap
    ys: list[str]
    x: str = ""
    marks: Marks = field(default_factory=list)  # one per row: a running period, a young cohort
    _columns: dict[str, list[Any]] = field(default_factory=dict, repr=False)

    @property
    def spec(self) -> Any:
        return self.query.spec

    def raw(self, column: str) -> list[Any]:
        if column not in self._columns:
            index = self.result.columns.index(column)
            self._columns[column] = [row[index] for row in self.result.rows]
        return self._columns[column]

    def number(self, column: str, rows: list[int]) -> list[Any]:
        """Values for Plotly's axes: numbers canonical, dates and times as ISO text."""
        values = self.raw(column)
        return [_plotted(values[i]) for i in rows]

    def shown(self, column: str, rows: list[int], *, wrap: bool = False) -> list[Any]:
        """Category values as the page shows them (escaped); dates stay dates for Plotly."""
        values = self.raw(column)
        return [_category(values[i], wrap) for i in rows]

    def cell(self, row: int, column: str) -> Any:
        """One value for the hover: a canonical number (formatted in the browser), or the
        escaped text the table shows."""
        value = self.raw(column)[row]
        fmt = self.formats[column]
        if fmt.is_number and isinstance(value, int | float) and not isinstance(value, bool):
            return json_value(value)
        if fmt.is_number and value is not None and not isinstance(value, bool):
            return json_value(value)
        return safe(fmt.text(value))

    def mark(self, row: int) -> Mark | None:
        return self.marks[row] if row < len(self.marks) else None

    def row_marks(self, rows: list[int]) -> Marks:
        return [self.mark(i) for i in rows]

    def fail(self, code: str, key: str, message: str, hint: str) -> None:
        line, column = self.query.key_position(key)
        raise ChartSpecError(
            message, code=code, path=self.query.path, line=line, column=column, hint=hint
        )

    def hover(self, rows: list[int], columns: list[str], *, note: bool = False) -> dict[str, Any]:
        """customdata, the hover template reading it, and the formats the browser applies.
        A marked row says so after its first line ('Quarter: Q4 2026 (to date, 33 %)'); with
        ``note``, each row has a place for its mark even when none of them is marked."""
        shown = [c for c in dict.fromkeys(columns) if c in self.result.columns]
        lines = [f"{safe(label(c))}: %{{customdata[{i}]}}" for i, c in enumerate(shown)]
        data = [[self.cell(i, c) for c in shown] for i in rows]
        formats = [self._browser(c) for c in shown]
        notes = [cell_note(self.mark(i)) for i in rows]
        if (note or any(notes)) and lines:
            lines[0] += f"%{{customdata[{len(shown)}]}}"
            data = [[*cells, safe(note)] for cells, note in zip(data, notes, strict=True)]
            formats.append(None)
        meta: dict[str, Any] = {"formats": formats}
        if len(formats) > len(shown):
            meta["note"] = len(shown)  # where each row's mark is, after its cells
        return {
            "customdata": data,
            "hovertemplate": "<br>".join(lines) + "<extra></extra>",
            "meta": meta,
        }

    def hover_index(self, columns: list[str], column: str) -> int:
        shown = [c for c in dict.fromkeys(columns) if c in self.result.columns]
        return shown.index(column)

    def _browser(self, column: str) -> dict[str, Any] | None:
        fmt = self.formats[column]
        return fmt.browser() if fmt.is_number else None

    def hover_columns(self, y: str) -> list[str]:
        """The row's label columns, the value drawn and the judgement columns beside it."""
        spec = self.spec
        lead = [spec.label, self.x, spec.facet, spec.color]
        if spec.pivot:
            lead += [spec.pivot.rows, spec.pivot.columns]
        verdict = [y]
        if spec.error:
            verdict += [spec.error.low, spec.error.high]
        verdict += [spec.n.column] if spec.n else []
        verdict += [spec.highlight.column] if spec.highlight else []
        for reference in spec.reference:
            verdict += reference.columns()
        first = [c for c in dict.fromkeys([*lead, *verdict]) if c]
        rest = [c for c in self.result.columns if c not in first and c not in self._hidden()]
        return (first + rest)[: max(HOVER_LINES, len(first))]

    def _hidden(self) -> set[str]:
        return set(self.spec.sparkline.values())

    def panels(self) -> list[Panel]:
        """One panel per value of ``facet`` (in result order), or one for every row."""
        everything = list(range(self.result.row_count))
        if not self.spec.facet:
            return [Panel(everything)]
        groups: dict[Any, list[int]] = {}
        for i, value in enumerate(self.raw(self.spec.facet)):
            groups.setdefault(value, []).append(i)
        return [
            Panel(rows, index, safe(self.formats[self.spec.facet].text(value)))
            for index, (value, rows) in enumerate(groups.items(), start=1)
        ]

    def series(self, rows: list[int], y: str) -> list[tuple[str, str, list[int]]]:
        """(name, colour, rows) per series: one per value of ``color``, else the value
        column itself."""
        color = self.spec.color
        if not color:
            return [(safe(label(y)), self.colors(y), rows)]
        groups: dict[str, list[int]] = {}
        values = self.raw(color)
        for i in rows:
            groups.setdefault(str(json_value(values[i])), []).append(i)
        fmt = self.formats[color]
        return [
            (safe(fmt.text(values[members[0]])), self.colors(name), members)
            for name, members in groups.items()
        ]


def _plotted(value: Any) -> Any:
    if isinstance(value, bool):
        return int(value)
    return json_value(value)


def _category(value: Any, wrap: bool) -> Any:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return json_value(value)
    text = plain_text(value) if value is not None else ""
    if wrap and len(text) > WRAP:
        text = "\n".join(textwrap.wrap(text, WRAP, break_on_hyphens=False))
    return safe(text).replace("\n", "<br>")
