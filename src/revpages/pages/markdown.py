"""Report and section pages as Markdown (with escaped HTML blocks), and CSV downloads.

Everything that came from the data or a query file passes through ``escape``
before it reaches a page; links stay Markdown so MkDocs resolves them for any
URL style.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import yaml

from revpages.pages.compare import Comparison, change_columns
from revpages.pages.formats import cell_text, label
from revpages.pages.periods import MARK_COLUMNS, Marks, cell_note, label_column
from revpages.reports.queryfile import QueryFile
from revpages.reports.result import QueryResult

_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+\-.!|>~])")


@dataclass(frozen=True)
class PageLinks:
    """Where a report page points: its files (relative to the page) and its section."""

    figure: str | None  # site-root-relative path of the figure JSON, read by revpages.js
    csv: str  # page-relative link to the CSV download
    section_title: str
    section_index: str  # page-relative link to the section page


def escape(text: Any) -> str:
    return html.escape(str(text), quote=True)


def markdown_text(text: str) -> str:
    """Text safe to place in Markdown: HTML-escaped, Markdown syntax neutralised."""
    return _MARKDOWN_SPECIALS.sub(r"\\\1", escape(text))


def front_matter(title: str) -> str:
    """Page meta; the theme prints the title into the nav and <title> unescaped, so escape it."""
    meta = {"title": escape(title)}
    return "---\n" + yaml.safe_dump(meta, allow_unicode=True, width=1000) + "---\n"


def report_markdown(
    query: QueryFile,
    result: QueryResult,
    links: PageLinks,
    *,
    window: str,
    table_rows: int,
    currency: str = "$",
    definitions: str = "",
    marks: Marks | None = None,
    comparisons: tuple[Comparison, ...] = (),
) -> str:
    """The whole page of one report: ``window`` is its window in dates and the as-of
    moment, ``definitions`` links to the glossary, ``marks`` says which rows are running
    periods or immature cohorts, ``comparisons`` adds the change against other periods."""
    spec = query.spec
    parts = [
        front_matter(spec.title),
        f"# {markdown_text(spec.title)}\n",
        _window_line(window, spec.window),
    ]
    if spec.description:
        parts.append(f'<p class="revpages-description">{escape(spec.description)}</p>\n')
    if definitions:
        parts.append(definitions)
    parts.append(_meta_line(result))
    if links.figure:
        parts.append(chart_block(spec.title, links.figure))
    elif spec.chart != "table":
        parts.append(
            '<p class="revpages-empty">No data to chart: the query returned no rows.</p>\n'
        )
    parts.append(
        table_html(
            result,
            spec.format,
            limit=table_rows,
            currency=currency,
            caption=spec.title,
            marks=marks,
            changes=change_columns(query, result, list(comparisons), currency),
            row_label=label_column(query, result),
        )
    )
    parts.append(
        f"[Download CSV ({result.row_count:,} rows)]({links.csv}){{ .md-button "
        f".revpages-download download }}\n"
    )
    parts.append(_sql_block(query))
    parts.append(
        f"[← {markdown_text(links.section_title)}]({links.section_index}){{ .revpages-back }}\n"
    )
    return "\n".join(parts)


def section_markdown(
    title: str,
    description: str,
    reports: Sequence[tuple[QueryFile, str]],
    waiting: Mapping[str, Sequence[str]] | None = None,
) -> str:
    """A section's index page: its description and a list of its reports; a report waiting
    for data (``waiting``: report id -> missing tables) says so."""
    parts = [front_matter(title), f"# {markdown_text(title)}\n"]
    if description:
        parts.append(f'<p class="revpages-description">{escape(description)}</p>\n')
    for query, link in reports:
        line = f"- [{markdown_text(query.spec.title)}]({link})"
        missing = (waiting or {}).get(query.report_id)
        if missing:
            line += " *(waiting for data: " + ", ".join(f"`{t}`" for t in missing) + ")*"
        if query.spec.description:
            line += f": {markdown_text(query.spec.description)}"
        parts.append(line)
    return "\n".join(parts) + "\n"


def table_html(
    result: QueryResult,
    formats: dict[str, str],
    *,
    limit: int,
    currency: str = "$",
    caption: str = "",
    marks: Marks | None = None,
    changes: list[tuple[str, list[tuple[str, str]]]] | None = None,
    row_label: str | None = None,
) -> str:
    """An escaped HTML table of the first ``limit`` rows, saying how many there are.

    With ``marks``, a marked row says so in its ``row_label`` column ('Q4 2026 (to date,
    33 %)'); the columns that carry marks (``is_complete``...) are read, never shown (the
    CSV keeps them). ``changes`` are extra columns (header, (text, tone) per row) of
    ``compare:``.
    """
    marks = marks or [None] * result.row_count
    changes = changes or []
    shown = [i for i, c in enumerate(result.columns) if c not in MARK_COLUMNS]
    numeric = {i: _is_numeric(result, i) for i in shown}
    head = "".join(
        f'<th scope="col"{_align(numeric[i])}>{escape(label(result.columns[i]))}</th>'
        for i in shown
    ) + "".join(f'<th scope="col">{escape(header)}</th>' for header, _cells in changes)
    body = []
    for number, row in enumerate(result.rows[:limit]):
        mark = marks[number]
        cells = "".join(
            f"<td{_align(numeric[i])}>"
            + escape(cell_text(row[i], formats.get(result.columns[i]), currency))
            + (escape(cell_note(mark)) if result.columns[i] == row_label else "")
            + "</td>"
            for i in shown
        )
        cells += "".join(_change_cell(*column[number]) for _header, column in changes)
        marked = ' class="revpages-marked"' if mark else ""
        body.append(f"<tr{marked}>{cells}</tr>")
    count = min(limit, result.row_count)
    note = (
        f"All {result.row_count:,} rows."
        if count == result.row_count
        else f"First {count:,} of {result.row_count:,} rows; the CSV has all of them."
    )
    return (
        f'<div class="revpages-table" role="region" tabindex="0" '
        f'aria-label="Data table: {escape(caption)}">\n'
        f"<table>\n<caption>{escape(note)}</caption>\n"
        f"<thead><tr>{head}</tr></thead>\n<tbody>\n" + "\n".join(body) + "\n</tbody>\n</table>\n"
        "</div>\n"
    )


def _change_cell(text: str, tone: str) -> str:
    """A change against another period: its words (arrow, size, the earlier value) and a
    colour class; the tone is also said in words for screen readers."""
    if not text:
        return "<td></td>"
    said = f'<span class="revpages-visually-hidden"> ({tone})</span>' if tone != "neutral" else ""
    return f'<td class="revpages-change revpages-{tone}">{escape(text)}{said}</td>'


def _is_numeric(result: QueryResult, index: int) -> bool:
    return result.types[index].startswith(
        ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "FLOAT", "DOUBLE", "DECIMAL")
    )


def _align(is_numeric: bool) -> str:
    return ' class="revpages-num"' if is_numeric else ""


def _window_line(window: str, note: str) -> str:
    """The report's window under its title, with why it differs from the site's period."""
    why = f'<br><span class="revpages-window-note">{escape(note)}</span>' if note else ""
    return f'<p class="revpages-window">{escape(window)}{why}</p>\n'


def _meta_line(result: QueryResult) -> str:
    tables = ", ".join(sorted(result.tables)) or "no tables"
    return (
        '<p class="revpages-meta">'
        f'<span class="revpages-rows">{result.row_count:,} rows</span> · '
        f'<span class="revpages-tables">from {escape(tables)}</span></p>\n'
    )


def chart_block(
    title: str, figure_path: str, *, note: str = "The data table below holds the same numbers."
) -> str:
    """The element revpages.js draws a figure into; ``figure_path`` is site-root-relative."""
    return (
        f'<div class="revpages-chart" data-figure="{escape(figure_path)}" role="img" '
        f'aria-label="Chart: {escape(title)}. {escape(note)}">'
        "</div>\n"
    )


def error_markdown(title: str, messages: Sequence[str], *, source: str | None = None) -> str:
    """A report page that failed in preview: the problems, escaped, in place of the report."""
    parts = [
        front_matter(title),
        f"# {markdown_text(title)}\n",
        '<div class="admonition failure revpages-error">\n'
        '<p class="admonition-title">This report could not be built</p>\n'
        + "".join(f"<pre><code>{escape(m)}</code></pre>\n" for m in messages)
        + "<p>Fix the file and save it: the page rebuilds by itself.</p>\n</div>\n",
    ]
    if source:
        parts.append(f'<p class="revpages-source">Source: <code>{escape(source)}</code></p>\n')
    return "\n".join(parts)


def _sql_block(query: QueryFile) -> str:
    return (
        '<details class="revpages-sql">\n<summary>SQL</summary>\n'
        f'<pre><code class="language-sql">{escape(query.sql)}</code></pre>\n'
        f'<p class="revpages-source">Source: <code>{escape(query.path)}</code></p>\n'
        "</details>\n"
    )


_FENCE = re.compile(r"^ {0,3}(?P<fence>`{3,}|~{3,})")


def lines_outside_fences(lines: Iterable[str]) -> Iterator[tuple[int, str]]:
    """(1-based number, line) of each Markdown line that is not in a fenced code block."""
    fence = ""  # the open code fence, if any
    for number, line in enumerate(lines, start=1):
        found = _FENCE.match(line)
        if fence:
            closes = (
                found
                and found["fence"][0] == fence[0]
                and len(found["fence"]) >= len(fence)
                and not line.strip().strip(fence[0])
            )
            fence = "" if closes else fence
        elif found:
            fence = found["fence"]
        else:
            yield number, line
