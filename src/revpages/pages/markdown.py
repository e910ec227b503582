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

from revpages.pages.compare import Comparison
from revpages.pages.formats import rows_text
from revpages.pages.home import Headline
from revpages.pages.periods import Marks
from revpages.pages.tables import report_table
from revpages.pages.tiles import tiles_html
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


def front_matter(title: str, *, wide: bool = False) -> str:
    """Page meta; the theme prints the title into the nav and <title> unescaped, so escape it.
    ``wide`` pages hide the table of contents: a report has no headings to list, and its
    tables need the width."""
    meta: dict[str, Any] = {"title": escape(title)}
    if wide:
        meta["hide"] = ["toc"]
    return "---\n" + yaml.safe_dump(meta, allow_unicode=True, width=1000) + "---\n"


@dataclass(frozen=True)
class ViewParts:
    """The parts of a report page that depend on its data: what a view (``params:``)
    replaces when the reader switches to it. Each is HTML, escaped."""

    window: str
    meta: str
    body: str  # the tiles, the chart's element, or the note that there is nothing to chart
    table: str
    csv_text: str


def view_parts(
    query: QueryFile,
    result: QueryResult,
    figure: str | None,
    *,
    window: str,
    table_rows: int,
    currency: str = "$",
    marks: Marks | None = None,
    comparisons: tuple[Comparison, ...] = (),
    table_links: Mapping[str, Mapping[str, str]] | None = None,
) -> ViewParts:
    """``figure``: the site-root-relative path of the chart's figure JSON, if it has one."""
    spec = query.spec
    if spec.chart == "kpi" and result.rows:
        body = tiles_html(query, result, currency=currency, comparisons=comparisons)
    elif figure:
        body = chart_block(spec.title, figure)
    elif spec.chart != "table":
        body = '<p class="revpages-empty">No data to chart: the query returned no rows.</p>\n'
    else:
        body = ""
    table = report_table(
        query,
        result,
        limit=table_rows,
        currency=currency,
        marks=marks,
        comparisons=comparisons,
        links=table_links,
    )
    return ViewParts(
        _window_line(window, spec.window),
        _meta_line(result),
        body,
        table,
        f"Download CSV ({rows_text(result.row_count)})",
    )


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
    table_links: Mapping[str, Mapping[str, str]] | None = None,
    selectors: str = "",
) -> str:
    """The whole page of one report: ``window`` is its window in dates and the as-of
    moment, ``definitions`` links to the glossary, ``marks`` says which rows are running
    periods or immature cohorts, ``comparisons`` adds the change against other periods,
    ``table_links`` make a column's cells links (drill-down), ``selectors`` switch between
    its views (``params:``)."""
    parts = view_parts(
        query,
        result,
        links.figure,
        window=window,
        table_rows=table_rows,
        currency=currency,
        marks=marks,
        comparisons=comparisons,
        table_links=table_links,
    )
    return page_markdown(query, links, parts, definitions=definitions, selectors=selectors)


def page_markdown(
    query: QueryFile,
    links: PageLinks,
    parts: ViewParts,
    *,
    definitions: str = "",
    selectors: str = "",
) -> str:
    """A report page from the ``parts`` its data gives (see ``report_markdown``)."""
    spec = query.spec
    page = [
        front_matter(spec.title, wide=True),
        f"# {markdown_text(spec.title)}\n",
        *([selectors] if selectors else []),
        parts.window,
    ]
    if spec.description:
        page.append(f'<p class="revpages-description">{escape(spec.description)}</p>\n')
    if definitions:
        page.append(definitions)
    page.append(parts.meta)
    if parts.body:
        page.append(parts.body)
    page.append(parts.table)
    page.append(
        f"[{escape(parts.csv_text)}]({links.csv}){{ .md-button .revpages-download download }}\n"
    )
    page.append(_sql_block(query))
    page.append(
        f"[← {markdown_text(links.section_title)}]({links.section_index}){{ .revpages-back }}\n"
    )
    return "\n".join(page)


def section_markdown(
    title: str,
    description: str,
    reports: Sequence[tuple[QueryFile, str]],
    waiting: Mapping[str, Sequence[str]] | None = None,
    headlines: Mapping[str, Headline] | None = None,
) -> str:
    """A section's index page: its description and its reports, each with the question it
    answers (else its description) and its headline number (``headlines``: report id ->
    headline); a report waiting for data (``waiting``: report id -> missing tables) says so."""
    parts = [front_matter(title), f"# {markdown_text(title)}\n"]
    if description:
        parts.append(f'<p class="revpages-description">{escape(description)}</p>\n')
    for query, link in reports:
        line = f"- [{markdown_text(query.spec.title)}]({link})"
        missing = (waiting or {}).get(query.report_id)
        if missing:
            line += " *(waiting for data: " + ", ".join(f"`{t}`" for t in missing) + ")*"
        said = query.spec.question or query.spec.description
        if said:
            line += f": {markdown_text(said)}"
        found = (headlines or {}).get(query.report_id)
        if found and not missing:
            line += (
                '<br><span class="revpages-headline"><strong>'
                f"{escape(found.value)}</strong> {escape(found.caption)}</span>"
            )
        parts.append(line)
    return "\n".join(parts) + "\n"


def _window_line(window: str, note: str) -> str:
    """The report's window under its title, with why it differs from the site's period."""
    why = f'<br><span class="revpages-window-note">{escape(note)}</span>' if note else ""
    return f'<p class="revpages-window">{escape(window)}{why}</p>\n'


def _meta_line(result: QueryResult) -> str:
    tables = ", ".join(sorted(result.tables)) or "no tables"
    return (
        '<p class="revpages-meta">'
        f'<span class="revpages-rows">{rows_text(result.row_count)}</span> · '
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
