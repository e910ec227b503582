"""Narrative pages: hand-written Markdown that embeds live report charts and tables.

A line holding only ``[[chart sales/pipeline]]`` or ``[[table sales/pipeline]]``
becomes that report's chart or table, followed by a link to the full report;
``[[tiles]]`` and ``[[attention]]`` become the site's key numbers and the list of what
needs attention (``[[tiles sales/pipeline]]``: that report's alone).
Markers inside fenced code blocks are left alone, so pages can show the syntax.
A broken marker is an error at ``page:line:col`` with a "Did you mean" hint.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace

from revpages.errors import RevpagesError, did_you_mean
from revpages.pages.compare import Comparison
from revpages.pages.entities import relative_url
from revpages.pages.home import Summary, attention_html, home_tiles_html, summarise
from revpages.pages.markdown import (
    chart_block,
    escape,
    lines_outside_fences,
    markdown_text,
)
from revpages.pages.periods import Marks
from revpages.pages.tables import report_table
from revpages.pages.tiles import tiles_html
from revpages.reports.queryfile import QueryFile
from revpages.reports.result import QueryResult

KINDS: tuple[str, ...] = ("chart", "table", "tiles", "attention")
SITE_WIDE = ("tiles", "attention")  # without a report: every report's
_WORD = re.compile(r"\S+")
MARKER = re.compile(
    r"^(?P<indent> {0,3})\[\[[ \t]*(?P<kind>[^\s\]]+)(?:[ \t]+(?P<ref>[^\]]*?))?"
    r"[ \t]*\]\][ \t]*$"
)


class NarrativeError(RevpagesError):
    """A broken ``[[kind section/report]]`` marker in a hand-written page."""


@dataclass(frozen=True)
class Marker:
    kind: str
    report_id: str
    line: int  # 1-based
    column: int  # 1-based column of the '[['
    text: str  # the marker as written
    kind_column: int
    ref_column: int


@dataclass(frozen=True)
class Embed:
    """What a marker can show of one report: its rendered chart and table, and its page."""

    title: str
    page: str  # docs-relative path of the report page, e.g. "sales/pipeline.md"
    table: str
    chart: str | None  # None: no chart (a table report, or no rows to draw)
    draws_chart: bool = True  # False for 'chart: table' reports
    summary: Summary | None = None  # what home and section pages show of it


def report_embed(
    query: QueryFile,
    result: QueryResult,
    *,
    figure_path: str | None,
    table_rows: int,
    currency: str,
    marks: Marks | None = None,
    comparisons: tuple[Comparison, ...] = (),
) -> Embed:
    """The embeddable parts of a rendered report (``marks``: its running periods;
    ``comparisons``: the changes its KPI tiles show)."""
    spec = query.spec
    chart = (
        chart_block(
            spec.title, figure_path, note="The linked report holds the same numbers as a table."
        )
        if figure_path
        else (tiles_html(query, result, currency=currency, comparisons=comparisons) or None)
    )
    table = report_table(query, result, limit=table_rows, currency=currency, marks=marks)
    summary = summarise(query, result, currency=currency, comparisons=comparisons)
    return Embed(spec.title, f"{query.report_id}.md", table, chart, spec.chart != "table", summary)


def find_markers(text: str) -> Iterator[Marker]:
    """Every marker of a Markdown text, outside fenced code blocks: one per report it names
    (``[[tiles funnel/leads sales/bookings]]`` names two), or one naming none."""
    for number, line in lines_outside_fences(text.splitlines()):
        match = MARKER.match(line)
        # "[[Some page]]" is text; a known kind or a section/report reference is a marker.
        if not match or not (match["kind"] in KINDS or "/" in (match["ref"] or "")):
            continue
        column = match.start("indent") + len(match.group("indent")) + 1
        refs = [
            (m.group(), match.start("ref") + m.start()) for m in _WORD.finditer(match["ref"] or "")
        ]
        for ref, start in refs or [("", match.end("kind"))]:
            yield Marker(
                kind=match.group("kind"),
                report_id=ref.removesuffix(".sql"),
                line=number,
                column=column,
                text=line.strip(),
                kind_column=match.start("kind") + 1,
                ref_column=start + 1,
            )


def marker_error(marker: Marker, path: str, reports: Mapping[str, bool]) -> NarrativeError | None:
    """The problem with one marker, given each report id and whether it draws a chart."""
    where = {"path": path, "line": marker.line}
    if marker.kind not in KINDS:
        hint = (
            did_you_mean(marker.kind, KINDS)
            or "write [[chart section/report]], [[table section/report]], [[tiles]] or "
            "[[attention]]."
        )
        return NarrativeError(
            f"unknown embed kind '{marker.kind}' in '{marker.text}'.",
            code="RP601",
            column=marker.kind_column,
            hint=hint,
            **where,
        )
    if not marker.report_id and marker.kind in SITE_WIDE:
        return None
    if not marker.report_id:
        return NarrativeError(
            f"the marker '{marker.text}' names no report.",
            code="RP602",
            column=marker.ref_column,
            hint=f"write [[{marker.kind} "
            "section/report]], e.g. the path of the query file in queries/.",
            **where,
        )
    if marker.report_id not in reports:
        hint = did_you_mean(marker.report_id, reports) or (
            "reports are named section/report after queries/<section>/<report>.sql"
            + (f"; this site has {_some(reports)}." if reports else "; this site has none yet.")
        )
        return NarrativeError(
            f"unknown report '{marker.report_id}' in '{marker.text}'.",
            code="RP603",
            column=marker.ref_column,
            hint=hint,
            **where,
        )
    if marker.kind == "chart" and not reports[marker.report_id]:
        return NarrativeError(
            f"the report '{marker.report_id}' has no chart (chart: table).",
            code="RP604",
            column=marker.kind_column,
            hint=f"embed its table: [[table {marker.report_id}]].",
            **where,
        )
    return None


def chart_flags(embeds: Mapping[str, Embed | None]) -> dict[str, bool]:
    """Report id -> whether a chart marker may name it (failed reports may: preview only)."""
    return {rid: embed is None or embed.draws_chart for rid, embed in embeds.items()}


def check_pages(
    pages: Iterable[tuple[str, str]], reports: Mapping[str, bool]
) -> list[RevpagesError]:
    """Every broken marker of the given (display path, Markdown) pages; ``reports`` maps
    each report id to whether it draws a chart."""
    errors: list[RevpagesError] = []
    for path, text in pages:
        for marker in find_markers(text):
            error = marker_error(marker, path, reports)
            if error:
                errors.append(error)
    return errors


def expand_markers(
    text: str,
    *,
    path: str,
    page_uri: str,
    embeds: Mapping[str, Embed | None],
    source: str | None = None,
    link: Callable[[str], str] | None = None,
    data_problems: Sequence[str] = (),
) -> tuple[str, list[RevpagesError]]:
    """``text`` with each marker replaced by its chart or table; broken markers become a
    visible error box in place and are returned, so the caller decides to fail or go on.

    ``page_uri`` is the page's docs-relative path (links to reports are made relative to
    it); a report mapped to ``None`` exists but failed to build (preview only). ``source``
    is the whole file when ``text`` is its body after a front-matter block, so that
    errors give the line in the file. ``link`` turns a docs-relative page into a URL from
    this page (default: directory URLs); ``data_problems`` end the Attention list.
    """
    markers: dict[int, list[Marker]] = {}
    for found in find_markers(text):
        markers.setdefault(found.line, []).append(found)
    if not markers:
        return text, []
    offset = 0
    if source is not None and source.endswith(text):
        offset = source[: len(source) - len(text)].count("\n")
    reports = chart_flags(embeds)
    url = link or (lambda target: relative_url(target, page_uri))
    errors: list[RevpagesError] = []
    lines = text.splitlines(keepends=True)
    for number, line_markers in markers.items():
        found_errors = [
            error
            for marker in line_markers
            if (error := marker_error(replace(marker, line=marker.line + offset), path, reports))
        ]
        first = line_markers[0]
        if found_errors:
            errors += found_errors
            block = "".join(
                error_box("This embed is broken", error.message()) for error in found_errors
            )
        elif first.kind in SITE_WIDE:
            block = _summary_block(line_markers, embeds, url, data_problems)
        else:
            block = "\n".join(_embed_block(m, embeds[m.report_id], page_uri) for m in line_markers)
        lines[number - 1] = f"\n{block}\n"
    return "".join(lines), errors


def error_box(title: str, message: str) -> str:
    """An escaped error admonition (Material styles it without the admonition extension)."""
    return (
        f'<div class="admonition failure revpages-error">\n'
        f'<p class="admonition-title">{escape(title)}</p>\n'
        f"<pre><code>{escape(message)}</code></pre>\n</div>\n"
    )


def _embed_block(marker: Marker, embed: Embed | None, page_uri: str) -> str:
    if embed is None:
        return error_box(
            "Report not built",
            f"The report '{marker.report_id}' failed to build; its page shows why.",
        )
    if marker.kind == "chart":
        body = embed.chart or (
            '<p class="revpages-empty">No data to chart: the query returned no rows.</p>\n'
        )
    else:
        body = embed.table
    link = posixpath.relpath(embed.page, posixpath.dirname(page_uri) or ".")
    return (
        f'<div class="revpages-embed revpages-embed--{marker.kind}">\n{body}</div>\n\n'
        f"[{markdown_text(embed.title)}: full report, SQL and CSV]({link})"
        "{ .revpages-embed-link }\n"
    )


def _summary_block(
    markers: list[Marker],
    embeds: Mapping[str, Embed | None],
    link: Callable[[str], str],
    data_problems: Sequence[str],
) -> str:
    """``[[tiles]]`` or ``[[attention]]``: of every report, or of the ones named (in the
    order named)."""
    named = [m.report_id for m in markers if m.report_id]
    chosen = [embeds.get(r) for r in named] if named else list(embeds.values())
    summaries = [e.summary for e in chosen if e is not None and e.summary is not None]
    if markers[0].kind == "attention":
        return attention_html(summaries, () if named else data_problems, link)
    if named:  # these reports' tiles, in the marker's order, wherever their front matter puts them
        summaries = [replace(s, home=i) for i, s in enumerate(summaries)]
    return home_tiles_html(summaries, link)


def _some(reports: Mapping[str, bool]) -> str:
    names = sorted(reports)
    shown = ", ".join(f"'{n}'" for n in names[:5])
    return shown + (f" and {len(names) - 5} more" if len(names) > 5 else "")
