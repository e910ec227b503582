"""What a report gives the pages that summarise the site: its headline number (section
pages), its tiles (the home page's ``[[tiles]]``) and its rows that need attention (the home
page's ``[[attention]]``), each formatted exactly as the report's own table shows it.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from revpages.pages.compare import Comparison
from revpages.pages.formats import column_formats, label
from revpages.pages.tiles import targets_met, tile, tile_bodies, tile_columns, tile_list
from revpages.reports.queryfile import QueryFile
from revpages.reports.result import QueryResult

# Below this share of the records it concerns, a gap in the data is not worth a line on
# the home page (the data-quality page still lists it).
GAP_SHARE = 0.10


@dataclass(frozen=True)
class Headline:
    """A report's headline: its number as text, what the number is and of which row."""

    value: str
    caption: str


@dataclass(frozen=True)
class Summary:
    """What the home and section pages show of one report (all text is unescaped)."""

    page: str  # docs-relative path of the report page
    title: str
    question: str
    headline: Headline | None
    home: int | None  # position among the home page's tiles; None: not on it
    tiles: tuple[str, ...]  # tile bodies (escaped HTML), KPI reports only
    attention: tuple[str, ...]  # sentences, one per row that needs attention
    met: tuple[bool, ...] = ()  # of each tile with a target: whether it is met


def summarise(
    query: QueryFile,
    result: QueryResult,
    *,
    currency: str,
    comparisons: tuple[Comparison, ...] = (),
) -> Summary:
    spec = query.spec
    tiles: tuple[str, ...] = ()
    if spec.chart == "kpi":
        bodies = tile_bodies(query, result, currency=currency, comparisons=comparisons)
        tiles = tuple(body for _column, body in bodies)
    return Summary(
        page=f"{query.report_id}.md",
        title=spec.title,
        question=spec.question,
        headline=headline(query, result, currency),
        home=spec.home,
        tiles=tiles,
        attention=tuple(attention_sentences(query, result, currency)),
        met=tuple(targets_met(query, result)) if spec.chart == "kpi" else (),
    )


def headline(query: QueryFile, result: QueryResult, currency: str) -> Headline | None:
    """The value of ``headline:`` (a KPI report: its first tile) in the first row, with the
    row's ``x`` when the report has one: the SQL's order decides which row leads."""
    spec = query.spec
    column = spec.headline
    if column is None and spec.chart == "kpi":
        column = next(iter(tile_columns(query, result)), None)
    if column is None or not result.rows or column not in result.columns:
        return None
    row = dict(zip(result.columns, result.rows[0], strict=True))
    formats = column_formats(result, spec.format, currency)
    value = formats[column].text(row[column]) or "–"
    caption = label(column)
    if spec.chart != "kpi" and spec.x and spec.x in row and row[spec.x] is not None:
        caption = f"{caption} · {formats[spec.x].text(row[spec.x])}"
    return Headline(value, caption)


def attention_sentences(query: QueryFile, result: QueryResult, currency: str) -> list[str]:
    """``say`` for each row where ``when`` is true, its placeholders filled with the values
    as the report's table formats them."""
    spec = query.spec
    if spec.attention is None or not result.rows:
        return []
    formats = column_formats(result, spec.format, currency)
    flag = result.columns.index(spec.attention.when)
    sentences = []
    for values in result.rows:
        if values[flag] is not True:
            continue
        row = dict(zip(result.columns, values, strict=True))
        filled = {
            name: formats[name].text(row[name]) or "–" for name in spec.attention.placeholders
        }
        sentences.append(spec.attention.say.format(**filled))
    return sentences


def home_tiles_html(summaries: Sequence[Summary], link: Callable[[str], str]) -> str:
    """The home page's tiles: each report with ``home:``, in its order; a KPI report gives
    its tiles, any other its headline; every tile links to its report (``link`` turns a
    report page into a URL relative to the page being written)."""
    shown = sorted(
        (s for s in summaries if s.home is not None), key=lambda s: (s.home, s.title.lower())
    )
    tiles = []
    for summary in shown:
        foot = (
            f'<p class="revpages-tile__link"><a href="{_e(link(summary.page))}">'
            f"{_e(summary.title)} →</a></p>"
        )
        bodies = list(summary.tiles)
        if not bodies and summary.headline is not None:
            bodies = [
                f'<p class="revpages-tile__label">{_e(summary.headline.caption)}</p>'
                f'<p class="revpages-tile__value">{_e(summary.headline.value)}</p>'
            ]
        tiles += [tile(body, link=foot) for body in bodies]
    if not tiles:
        return (
            '<p class="revpages-empty">No report is on the home page yet: add '
            "'home: 10' to a KPI report's front matter.</p>\n"
        )
    met = [m for summary in shown for m in summary.met]
    line = (
        f'<p class="revpages-verdict"><strong>Against their targets: {met.count(True)} met, '
        f"{met.count(False)} missed.</strong></p>\n"
        if met
        else ""
    )
    return line + tile_list("Key numbers", tiles, kind="home")


def attention_html(
    summaries: Sequence[Summary], data_items: Sequence[str], link: Callable[[str], str]
) -> str:
    """The Attention list: every report's flagged rows, then the data's problems, each with
    a link to where the evidence is."""
    items = [
        f'<li>{_e(sentence)} <a href="{_e(link(s.page))}">{_e(s.title)} →</a></li>'
        for s in sorted(summaries, key=lambda s: s.page)
        for sentence in s.attention
    ]
    items += [
        f'<li>{_e(item)} <a href="{_e(link("data-quality.md"))}">Data quality →</a></li>'
        for item in data_items
    ]
    if not items:
        return '<p class="revpages-attention revpages-empty">Nothing needs attention.</p>\n'
    return (
        '<ul class="revpages-attention" aria-label="Needs attention">\n'
        + "\n".join(items)
        + "\n</ul>\n"
    )


def _e(text: Any) -> str:
    return html.escape(str(text), quote=True)
