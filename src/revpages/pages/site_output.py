"""What one build produced: its pages and files, each report's outcome, the problems."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from revpages.errors import RevpagesError
from revpages.pages.generated import GeneratedFile
from revpages.pages.glossary import (
    Glossary,
    add_report_links,
)
from revpages.pages.narrative import Embed
from revpages.reports.queryfile import QueryFile


@dataclass(frozen=True)
class ReportOutcome:
    query: QueryFile
    rows: int
    seconds: float
    digest: str = ""  # sha256 of the published CSV
    cached: bool = False  # the result was read from the result store: the query did not run


@dataclass
class SiteOutput:
    """Everything a build adds to the site."""

    files: list[GeneratedFile] = field(default_factory=list)
    nav: list[tuple[str, list[Any]]] = field(default_factory=list)  # pages, or {title: pages}
    reports: list[ReportOutcome] = field(default_factory=list)
    warnings: list[RevpagesError] = field(default_factory=list)
    tables: dict[str, int] = field(default_factory=dict)
    load_seconds: dict[str, float] = field(default_factory=dict)  # parse, derive, check, store
    embeds: dict[str, Embed | None] = field(default_factory=dict)  # None: failed (preview)
    errors: list[RevpagesError] = field(default_factory=list)  # preview: every problem
    site_errors: list[RevpagesError] = field(default_factory=list)  # preview: of no one report
    glossary: Glossary | None = None
    waiting: dict[str, tuple[str, ...]] = field(default_factory=dict)  # report -> missing tables
    notes: list[str] = field(default_factory=list)  # what loading guessed or mended
    banner: str = ""  # the site's as-of moment and period, at the top of every page
    data_problems: list[str] = field(default_factory=list)  # for the Attention list
    # params: report id -> (views built, seconds their queries took)
    views: dict[str, tuple[int, float]] = field(default_factory=dict)

    def glossary_markdown(self, markdown: str) -> str:
        """The glossary page with the reports listed under each term they show."""
        if self.glossary is None:
            return markdown
        shown = [(r.query, f"{r.query.report_id}.md") for r in self.reports]
        return add_report_links(markdown, self.glossary, shown)

    @property
    def page_paths(self) -> list[str]:
        return [f.path for f in self.files if f.path.endswith(".md")]
