"""Report tables as escaped HTML: one format per column, the verdict columns first, and a
long result turned into a grid by ``pivot``.

The column order is the chart's: the row's label, then what the chart judges (the
flag, the value, its interval, its sample size, its reference), then the rest in the
order of the SQL. The CSV download follows the same order.

A row of a running period or an immature cohort says so in its label cell ('Q4 2026 (to
date, 33 %)'); the columns that carry those marks (``is_complete``...) are read, never
shown (the CSV keeps them). ``compare:`` adds a change column per compared column and
earlier period.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from typing import Any

from revpages.pages.compare import Comparison, change_columns
from revpages.pages.formats import NUMERIC_TYPES, ColumnFormat, column_formats, label, rows_text
from revpages.pages.periods import MARK_COLUMNS, Mark, Marks, cell_note, label_column
from revpages.reports.queryfile import QueryFile
from revpages.reports.result import QueryResult
from revpages.reports.spec_values import Pivot


def escape(text: Any) -> str:
    return html.escape(str(text), quote=True)


def column_order(query: QueryFile, columns: Sequence[str]) -> list[str]:
    """The label column, the judged columns, then the others as the SQL returns them."""
    first = verdict_columns(query, columns)
    return first + [c for c in columns if c not in first]


def verdict_columns(query: QueryFile, columns: Sequence[str]) -> list[str]:
    """What a row is and what the chart judges of it: the columns a reader must see."""
    spec = query.spec
    if spec.chart in ("table", "heatmap", "funnel"):
        return []
    lead = [spec.label, spec.facet, spec.color] if spec.chart == "scatter" else []
    lead = lead or [spec.x, spec.facet, spec.color, spec.label]
    verdict = [spec.highlight.column] if spec.highlight else []
    verdict += [spec.x] if spec.chart == "scatter" else []
    verdict += list(spec.y)
    if spec.error:
        verdict += [spec.error.low, spec.error.high]
    verdict += [spec.n.column] if spec.n else []
    verdict += [c for reference in spec.reference for c in reference.columns()]
    drawn = set(spec.sparkline.values())
    return [c for c in dict.fromkeys([*lead, *verdict]) if c in columns and c not in drawn]


def ordered(query: QueryFile, result: QueryResult) -> QueryResult:
    """The result with its columns in the table's order; the lists drawn as sparklines are
    left out (a tile shows them)."""
    drawn = set(query.spec.sparkline.values())
    order = [c for c in column_order(query, result.columns) if c not in drawn]
    if order == list(result.columns):
        return result
    index = [result.columns.index(c) for c in order]
    return QueryResult(
        tuple(order),
        tuple(result.types[i] for i in index),
        [tuple(row[i] for i in index) for row in result.rows],
        result.seconds,
        result.tables,
        result.cached,
    )


def report_table(
    query: QueryFile,
    result: QueryResult,
    *,
    limit: int,
    currency: str,
    marks: Marks | None = None,
    comparisons: Sequence[Comparison] = (),
    links: Mapping[str, Mapping[str, str]] | None = None,
) -> str:
    """The table of one report: a grid when it pivots, else its rows; ``marks`` (one per
    row) says which are not final yet, ``comparisons`` add the change against them,
    ``links`` (column -> value -> URL) make a column's cells links to their pages."""
    spec = query.spec
    if spec.pivot:
        return pivot_html(
            result,
            spec.pivot,
            spec.format,
            limit=limit,
            currency=currency,
            caption=spec.title,
            marks=marks,
        )
    highlight = spec.highlight.column if spec.highlight else None
    return table_html(
        ordered(query, result),
        spec.format,
        limit=limit,
        currency=currency,
        caption=spec.title,
        highlight=highlight,
        verdict=verdict_columns(query, result.columns),
        marks=marks,
        changes=change_columns(query, result, list(comparisons), currency),
        row_label=label_column(query, result),
        links=links,
    )


def table_html(
    result: QueryResult,
    formats: dict[str, str],
    *,
    limit: int,
    currency: str = "$",
    caption: str = "",
    highlight: str | None = None,
    verdict: Sequence[str] = (),
    marks: Marks | None = None,
    changes: list[tuple[str, list[tuple[str, str]]]] | None = None,
    row_label: str | None = None,
    links: Mapping[str, Mapping[str, str]] | None = None,
) -> str:
    """An escaped HTML table of the first ``limit`` rows, saying how many there are; the
    ``verdict`` columns' headers are marked (the browser tests keep them in view).

    With ``marks``, a marked row says so in its ``row_label`` column; ``changes`` are extra
    columns (header, (text, tone) per row) of ``compare:``.
    """
    marks = marks or [None] * result.row_count
    changes = changes or []
    formatted = column_formats(result, formats, currency)
    shown = [i for i, c in enumerate(result.columns) if c not in MARK_COLUMNS]
    numeric = {i: _is_numeric(result.types[i]) for i in shown}
    head = "".join(
        f'<th scope="col"{_align(numeric[i])}'
        f"{' data-verdict' if result.columns[i] in verdict else ''}>"
        f"{escape(label(result.columns[i]))}</th>"
        for i in shown
    ) + "".join(f'<th scope="col">{escape(header)}</th>' for header, _cells in changes)
    flag = result.columns.index(highlight) if highlight in result.columns else None
    body = []
    for number, row in enumerate(result.rows[:limit]):
        mark = marks[number]
        cells = "".join(
            f"<td{_align(numeric[i])}>"
            + _linked(
                escape(formatted[result.columns[i]].text(row[i])),
                (links or {}).get(result.columns[i], {}).get(str(row[i])),
            )
            + (escape(cell_note(mark)) if result.columns[i] == row_label else "")
            + "</td>"
            for i in shown
        )
        cells += "".join(_change_cell(*column[number]) for _header, column in changes)
        classes = " ".join(
            name
            for name, on in (
                ("revpages-flagged", flag is not None and row[flag] is True),
                ("revpages-marked", mark is not None),
            )
            if on
        )
        body.append(f'<tr class="{classes}">{cells}</tr>' if classes else f"<tr>{cells}</tr>")
    note = _note(min(limit, result.row_count), result.row_count)
    return _region(caption, note, head, body)


def _linked(text: str, href: str | None) -> str:
    """A cell's (escaped) text, as a link to its value's page when it has one."""
    return f'<a href="{escape(href)}">{text}</a>' if href else text


def _change_cell(text: str, tone: str) -> str:
    """A change against another period: its words (arrow, size, the earlier value) and a
    colour class; the tone is also said in words for screen readers."""
    if not text:
        return "<td></td>"
    said = f'<span class="revpages-visually-hidden"> ({tone})</span>' if tone != "neutral" else ""
    return f'<td class="revpages-change revpages-{tone}">{escape(text)}{said}</td>'


def pivot_html(
    result: QueryResult,
    pivot: Pivot,
    formats: dict[str, str],
    *,
    limit: int,
    currency: str = "$",
    caption: str = "",
    marks: Marks | None = None,
) -> str:
    """The result as a grid: a row per value of ``pivot.rows``, a column per value of
    ``pivot.columns``, each cell the value of ``pivot.values`` (empty when no row has it).
    A grid row is marked when a row of the result it holds is (``marks``)."""
    marks = marks or [None] * result.row_count
    shown = column_formats(result, formats, currency)
    r, c, v = (result.columns.index(name) for name in (pivot.rows, pivot.columns, pivot.values))
    rows: dict[Any, dict[Any, Any]] = {}
    marked: dict[Any, Mark] = {}
    across: dict[Any, None] = {}
    for record, mark in zip(result.rows, marks, strict=True):
        rows.setdefault(record[r], {})[record[c]] = record[v]
        across.setdefault(record[c])
        if mark is not None:
            marked.setdefault(record[r], mark)
    fmt: ColumnFormat = shown[pivot.values]
    numeric = fmt.is_number
    head = f'<th scope="col">{escape(label(pivot.rows))}</th>' + "".join(
        f'<th scope="col"{_align(numeric)}>{escape(shown[pivot.columns].text(key))}</th>'
        for key in across
    )
    body = []
    for key, cells in list(rows.items())[:limit]:
        mark = marked.get(key)
        line = f"<td>{escape(shown[pivot.rows].text(key) + cell_note(mark))}</td>" + "".join(
            f"<td{_align(numeric)}>{escape(fmt.text(cells.get(col)))}</td>" for col in across
        )
        body.append(f'<tr class="revpages-marked">{line}</tr>' if mark else f"<tr>{line}</tr>")
    note = (
        f"{_note(min(limit, len(rows)), len(rows))} {label(pivot.values)} by "
        f"{label(pivot.rows).lower()} and {label(pivot.columns).lower()}; the CSV has one row "
        f"per pair ({rows_text(result.row_count)})."
    )
    names = (label(pivot.rows), label(pivot.columns), label(pivot.values))
    return _region(caption, note, head, body, pivoted=names)


def _region(
    caption: str, note: str, head: str, body: list[str], *, pivoted: tuple[str, ...] = ()
) -> str:
    kind = "revpages-table"
    if pivoted:  # what the rows, the columns and the cells are, as the chart's tooltip says
        rows, across, cells = (escape(name) for name in pivoted)
        kind += (
            f' revpages-table--pivot" data-rows="{rows}" data-columns="{across}" '
            f'data-values="{cells}'
        )
    return (
        f'<div class="{kind}" role="region" tabindex="0" '
        f'aria-label="Data table: {escape(caption)}">\n'
        f"<table>\n<caption>{escape(note)}</caption>\n"
        f"<thead><tr>{head}</tr></thead>\n<tbody>\n" + "\n".join(body) + "\n</tbody>\n</table>\n"
        "</div>\n"
        '<p class="revpages-scroll-hint">Scroll sideways for more columns →</p>\n'
    )


def _note(shown: int, total: int) -> str:
    if shown == total:
        return "1 row." if total == 1 else f"All {total:,} rows."
    return f"First {shown:,} of {total:,} rows; the CSV has all of them."


def _is_numeric(kind: str) -> bool:
    return kind.startswith(NUMERIC_TYPES) and not kind.endswith("]")


def _align(is_numeric: bool) -> str:
    return ' class="revpages-num"' if is_numeric else ""
