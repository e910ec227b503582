"""The glossary: each metric defined once, linked both ways with the reports that show it.

The glossary is a hand-written page (``site_src/glossary.md`` by default) where every
term is a heading; its anchor is the heading's ``{#id}`` when it has one, otherwise the
id MkDocs' table of contents gives it. A query file names the terms its report shows
(``glossary: [win-rate]``): the report page links to each definition, the glossary lists
the reports under each term, and a term the glossary lacks is an error at the query file.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from markdown.extensions.toc import slugify

from revpages.errors import RevpagesError, did_you_mean
from revpages.pages.markdown import lines_outside_fences, markdown_text
from revpages.reports.queryfile import QueryFile
from revpages.settings import Settings

_HEADING = re.compile(r"^ {0,3}(?P<hashes>#{1,6})[ \t]+(?P<text>.+?)[ \t#]*$")
_ATTRIBUTES = re.compile(r"[ \t]*\{(?P<attrs>[^}]*)\}[ \t]*$")
_ID = re.compile(r"(?:^|\s)#(?P<id>[\w-]+)")


@dataclass(frozen=True)
class Term:
    anchor: str
    title: str
    line: int  # 1-based line of the heading


@dataclass(frozen=True)
class Glossary:
    """The terms of the glossary page at ``uri`` (docs-relative), shown as ``path``."""

    uri: str
    path: str
    terms: Mapping[str, Term] = field(default_factory=dict)

    def link(self, anchor: str, page_uri: str) -> str:
        """A Markdown link target from the page at ``page_uri`` to one definition."""
        here = posixpath.dirname(page_uri) or "."
        return f"{posixpath.relpath(self.uri, here)}#{anchor}"


def read_glossary(text: str, *, uri: str, path: str) -> Glossary:
    """Every heading of the page below the title (level 2 and deeper) is a term."""
    terms: dict[str, Term] = {}
    for number, line in lines_outside_fences(text.split("\n")):
        heading = _HEADING.match(line)
        if heading is None or len(heading["hashes"]) < 2:
            continue
        title, anchor = _title_and_anchor(heading["text"])
        if anchor and anchor not in terms:
            terms[anchor] = Term(anchor, title, number)
    return Glossary(uri, path, terms)


def load_glossary(settings: Settings) -> Glossary | None:
    """The project's glossary page, or None when it has none."""
    path = glossary_path(settings)
    if path is None or not path.is_file():
        return None
    text = path.read_text(encoding="utf-8-sig", errors="replace")
    return read_glossary(text, uri=settings.glossary_page, path=settings.display_path(path))


def glossary_path(settings: Settings) -> Path | None:
    return settings.docs_dir / settings.glossary_page if settings.docs_dir else None


def check_glossary(
    queries: Iterable[QueryFile], settings: Settings, glossary: Glossary | None
) -> list[RevpagesError]:
    path = glossary_path(settings)
    expected = settings.display_path(path) if path else settings.glossary_page
    return glossary_problems(queries, glossary, expected_path=expected)


def glossary_problems(
    queries: Iterable[QueryFile], glossary: Glossary | None, *, expected_path: str
) -> list[RevpagesError]:
    """An error for each term a query names that the glossary lacks."""
    problems: list[RevpagesError] = []
    for query in queries:
        for term in query.spec.glossary:
            if glossary is None or term not in glossary.terms:
                problems.append(_unknown_term(query, term, glossary, expected_path))
    return problems


def definition_links(query: QueryFile, glossary: Glossary | None, page_uri: str) -> str:
    """The report page's line of links to the definitions of the terms it shows."""
    if glossary is None:
        return ""
    links = [
        f"[{markdown_text(glossary.terms[t].title)}]({glossary.link(t, page_uri)})"
        for t in query.spec.glossary
        if t in glossary.terms
    ]
    if not links:
        return ""
    return '<span class="revpages-definitions">Definitions:</span> ' + ", ".join(links) + "\n"


def add_report_links(
    markdown: str, glossary: Glossary, reports: Sequence[tuple[QueryFile, str]]
) -> str:
    """The glossary page with, under each term, the reports (title, page uri) showing it."""
    shown_on: dict[str, list[str]] = {}
    for query, page_uri in reports:
        target = posixpath.relpath(page_uri, posixpath.dirname(glossary.uri) or ".")
        for anchor in query.spec.glossary:
            shown_on.setdefault(anchor, []).append(f"[{markdown_text(query.spec.title)}]({target})")
    lines = markdown.split("\n")
    for term in sorted(glossary.terms.values(), key=lambda t: -t.line):
        if term.anchor in shown_on:
            listed = ", ".join(shown_on[term.anchor])
            lines.insert(
                term.line, f'\n<span class="revpages-shown-on">Shown on:</span> {listed}\n'
            )
    return "\n".join(lines)


def _title_and_anchor(text: str) -> tuple[str, str]:
    attributes = _ATTRIBUTES.search(text)
    if attributes is not None:
        title = text[: attributes.start()].strip()
        given = _ID.search(attributes["attrs"])
        if given is not None:
            return title, given["id"]
        text = title
    return text, slugify(text, "-")


def _unknown_term(
    query: QueryFile, term: str, glossary: Glossary | None, expected_path: str
) -> RevpagesError:
    line, column = query.key_position("glossary")
    if glossary is None:
        return RevpagesError(
            f"glossary term '{term}': there is no glossary page {expected_path}.",
            code="RP605",
            path=query.path,
            line=line,
            column=column,
            hint=f"write {expected_path} with a heading per term, e.g. '## Win rate "
            "{#win-rate}', or set the plugin's glossary_page option.",
        )
    suggestion = did_you_mean(term, glossary.terms)
    known = ", ".join(sorted(glossary.terms)[:12]) or "none"
    return RevpagesError(
        f"glossary term '{term}' is not a heading of {glossary.path}."
        + (f" {suggestion}" if suggestion else ""),
        code="RP606",
        path=query.path,
        line=line,
        column=column,
        hint=f"use the anchor of a heading there (known: {known}) or add the term to it.",
    )
