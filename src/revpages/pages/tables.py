"""Report tables as escaped HTML: one format per column, the verdict columns first, and a
long result turned into a grid by ``pivot``.

The column order is the chart's: the row's label, then what the chart judges (the
flag, the value, its interval, its sample size, its reference), then the rest in the
order of the SQL. The CSV download follows the same order.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

from revpages.pages.formats import NUMERIC_TYPES, ColumnFormat, column_formats, label, rows_text
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


def report_table(query: QueryFile, result: QueryResult, *, limit: int, currency: str) -> str:
    """The table of one report: a grid when it pivots, else its rows."""
    spec = query.spec
    if spec.pivot:
        return pivot_html(
            result, spec.pivot, spec.format, limit=limit, currency=currency, caption=spec.title
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
) -> str:
    """An escaped HTML table of the first ``limit`` rows, saying how many there are; the
    ``verdict`` columns' headers are marked (the browser tests keep them in view)."""
    shown = column_formats(result, formats, currency)
    numeric = [_is_numeric(t) for t in result.types]
    head = "".join(
        f'<th scope="col"{_align(is_num)}{" data-verdict" if c in verdict else ""}>'
        f"{escape(label(c))}</th>"
        for c, is_num in zip(result.columns, numeric, strict=True)
    )
    flag = result.columns.index(highlight) if highlight in result.columns else None
    body = []
    for row in result.rows[:limit]:
        cells = "".join(
            f"<td{_align(is_num)}>{escape(shown[c].text(value))}</td>"
            for c, value, is_num in zip(result.columns, row, numeric, strict=True)
        )
        flagged = flag is not None and row[flag] is True
        body.append(
            f'<tr class="revpages-flagged">{cells}</tr>' if flagged else f"<tr>{cells}</tr>"
        )
    note = _note(min(limit, result.row_count), result.row_count)
    return _region(caption, note, head, body)


def pivot_html(
    result: QueryResult,
    pivot: Pivot,
    formats: dict[str, str],
    *,
    limit: int,
    currency: str = "$",
    caption: str = "",
) -> str:
    """The result as a grid: a row per value of ``pivot.rows``, a column per value of
    ``pivot.columns``, each cell the value of ``pivot.values`` (empty when no row has it)."""
    shown = column_formats(result, formats, currency)
    r, c, v = (result.columns.index(name) for name in (pivot.rows, pivot.columns, pivot.values))
    rows: dict[Any, dict[Any, Any]] = {}
    across: dict[Any, None] = {}
    for record in result.rows:
        rows.setdefault(record[r], {})[record[c]] = record[v]
        across.setdefault(record[c])
    fmt: ColumnFormat = shown[pivot.values]
    numeric = fmt.is_number
    head = f'<th scope="col">{escape(label(pivot.rows))}</th>' + "".join(
        f'<th scope="col"{_align(numeric)}>{escape(shown[pivot.columns].text(key))}</th>'
        for key in across
    )
    body = []
    for key, cells in list(rows.items())[:limit]:
        line = f"<td>{escape(shown[pivot.rows].text(key))}</td>" + "".join(
            f"<td{_align(numeric)}>{escape(fmt.text(cells.get(col)))}</td>" for col in across
        )
        body.append(f"<tr>{line}</tr>")
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
