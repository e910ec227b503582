"""Pages per entity (``per:``): one page per value of a contract column, a battlecard per
competitor or a page per sales owner, each the report's query with that value bound.

A page's file name must be stable (a link sent today works tomorrow) and unique for any
name: quotes, markup, emoji, 300 characters, two names that differ only in case. So it is
a readable part (ASCII, lower case, at most 60 characters) and 8 hex digits of the value's
SHA-256: it depends on the value alone, never on the other values.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, cast

from revpages.pages.home import Headline
from revpages.pages.markdown import escape, front_matter, markdown_text
from revpages.reports.queryfile import QueryFile

_NOT_SLUG = re.compile(r"[^a-z0-9]+")
SLUG_LENGTH = 60


@dataclass(frozen=True)
class Entity:
    """One value of a ``per:`` report and its page's query."""

    value: str
    slug: str
    query: QueryFile


def entity_slug(value: str) -> str:
    """'Pipewise' -> 'pipewise-1f0e3dad'; the readable part is 'x' when nothing of the
    value is ASCII."""
    folded = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode("ascii")
    readable = _NOT_SLUG.sub("-", folded.lower()).strip("-")[:SLUG_LENGTH].strip("-") or "x"
    return f"{readable}-{hashlib.sha256(value.encode('utf-8')).hexdigest()[:8]}"


def entities(query: QueryFile, values: Sequence[str]) -> list[Entity]:
    """The page of each value: the query under ``<report>/<slug>``, titled with the value
    and binding it to ``per:``'s parameter."""
    per = query.spec.per
    assert per is not None, "entities() of a report without per:"
    return [
        Entity(
            value,
            slug := entity_slug(value),
            replace(
                query,
                name=f"{query.name}/{slug}",
                # ReportSpec is a dataclass made from the key table: mypy cannot see it.
                spec=replace(
                    cast(Any, query.spec), title=f"{query.spec.title}: {value}", home=None
                ),
                bindings=((per.parameter, value),),
            ),
        )
        for value in values
    ]


def index_markdown(
    query: QueryFile, found: Sequence[Entity], headlines: Mapping[str, Headline]
) -> str:
    """The index of a ``per:`` report: a link to each value's page, with its headline
    (``headlines``: report id -> headline)."""
    spec = query.spec
    parts = [front_matter(spec.title), f"# {markdown_text(spec.title)}\n"]
    said = spec.question or spec.description
    if said:
        parts.append(f'<p class="revpages-description">{escape(said)}</p>\n')
    if not found:
        parts.append(
            f'<p class="revpages-empty">No {escape(spec.per.column if spec.per else "")} '
            "in the data yet: a page appears here for each one the exports hold.</p>\n"
        )
    for entity in found:
        line = f"- [{markdown_text(entity.value)}]({entity.slug}.md)"
        headline = headlines.get(entity.query.report_id)
        if headline:
            line += (
                f' <span class="revpages-headline"><strong>{escape(headline.value)}</strong> '
                f"{escape(headline.caption)}</span>"
            )
        parts.append(line)
    parts.append("\n[← Back to the section](../index.md){ .revpages-back }\n")
    return "\n".join(parts) + "\n"


# --- drill-down: a chart's bar or a table's cell leads to the page of its value ---------------


def drill_pages(groups: Mapping[str, Sequence[Entity]]) -> dict[str, dict[str, str]]:
    """Parameter (column) name -> value -> the docs-relative page of that value; where two
    per: reports take the same parameter, the first (by report id) is the one linked."""
    pages: dict[str, dict[str, str]] = {}
    for report_id in sorted(groups):
        for entity in groups[report_id]:
            name = entity.query.bindings[0][0]
            pages.setdefault(name, {}).setdefault(entity.value, f"{entity.query.report_id}.md")
    return pages


def drill_column(query: QueryFile, columns: Sequence[str], pages: Mapping[str, object]) -> str:
    """The column whose values lead to pages: x, else color, else label ('' for none). A
    report never links its own values to itself."""
    for column in (query.spec.x, query.spec.color, query.spec.label):
        if column and column in columns and column in pages and query.spec.per is None:
            return column
    return ""


def page_url(page: str, *, directory_urls: bool = True) -> str:
    """The site-root-relative URL of a docs-relative page, as MkDocs writes it."""
    stem = page.removesuffix(".md")
    if not directory_urls:
        return stem + ".html"
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index")
    return stem + "/"


def relative_url(target: str, page: str, *, directory_urls: bool = True) -> str:
    """The URL of the page ``target`` from the page ``page`` (both docs-relative)."""
    to = page_url(target, directory_urls=directory_urls)
    here = page_url(page, directory_urls=directory_urls)
    base = here.rstrip("/") if directory_urls else posixpath.dirname(here)
    relative = posixpath.relpath(to.rstrip("/") or ".", base or ".")
    return relative + "/" if to.endswith("/") or not to else relative
