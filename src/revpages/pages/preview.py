"""``revpages serve`` keeps going when a report breaks: its page shows the error instead.

``error_pages`` turns the problems of one build into report pages: each problem that
belongs to a query file replaces that report's page (a file too broken to parse still
gets a page, named after the file); the others are returned as site-wide problems for
the plugin to show on every page. ``revpages build`` never uses this: it fails.
"""

from __future__ import annotations

from revpages.errors import QueryFileError, RevpagesError
from revpages.pages.generated import GeneratedFile
from revpages.pages.markdown import error_markdown
from revpages.reports.queryfile import NAME_PATTERN, QueryFile
from revpages.reports.sections import Section
from revpages.reports.spec import ReportSpec
from revpages.settings import Settings


def not_run(query: QueryFile) -> RevpagesError:
    """Why a report has no result when the data itself could not be loaded."""
    return QueryFileError(
        "the query did not run: the data could not be loaded.",
        code="RP510",
        path=query.path,
        hint="fix the data problem shown above.",
    )


def error_pages(
    settings: Settings,
    sections: list[Section],
    queries: list[QueryFile],
    errors: list[RevpagesError],
) -> tuple[list[GeneratedFile], list[QueryFile], list[RevpagesError]]:
    """(error pages, placeholder queries for unparsable files, problems of no report)."""
    by_path = {query.path: query for query in queries}
    placeholders: dict[str, QueryFile] = {}
    for section in sections:
        for file in sorted(section.folder.glob("*.sql")):
            shown = settings.display_path(file)
            if shown not in by_path and NAME_PATTERN.match(file.stem):
                placeholders[shown] = _placeholder(shown, section.name, file.stem)
    grouped: dict[str, list[RevpagesError]] = {}
    site_wide: list[RevpagesError] = []
    for error in errors:
        if error.path in by_path or error.path in placeholders:
            grouped.setdefault(error.path, []).append(error)
        else:
            site_wide.append(error)
    pages = []
    for path, problems in grouped.items():
        query = by_path.get(path) or placeholders[path]
        page = error_markdown(query.spec.title, [p.message() for p in problems], source=path)
        pages.append(GeneratedFile(f"{query.report_id}.md", page))
    stubs = [placeholders[path] for path in grouped if path in placeholders]
    return pages, stubs, site_wide


def _placeholder(path: str, section: str, name: str) -> QueryFile:
    title = name.replace("_", " ").replace("-", " ").capitalize()
    return QueryFile(
        path=path, section=section, name=name, spec=ReportSpec(title=title), sql="", text=""
    )
