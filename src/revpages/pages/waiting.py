"""Reports waiting for data: their query needs a table no export filled.

Such a report is not an error (only leads and deals are needed for a site): its page
says which tables are missing, which export files would fill them and where the guide
explains them; its section lists it as waiting, and the build summary counts it. A
table named in ``required_tables`` is different: its absence fails the build.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from revpages.pages.home import Headline, Summary
from revpages.pages.markdown import escape, front_matter, markdown_text
from revpages.pages.narrative import Embed
from revpages.reports.queryfile import QueryFile

GUIDE_PAGE = "guide/exports.md"  # docs-relative; linked when the site has it
GUIDE_ANCHOR = "#tables-that-were-not-exported"


def waiting_note(
    tables: Sequence[str],
    exports: Mapping[str, Sequence[str]],
    *,
    guide: str | None,
    contract: str,
) -> str:
    """What is missing and what fills it, as Markdown; ``guide`` and ``contract`` are
    links relative to the page (MkDocs checks and rewrites Markdown links)."""
    lines = [
        '<div class="admonition info revpages-waiting">\n'
        '<p class="admonition-title">Waiting for data</p>\n'
        "<p>This report needs data that no export in the data folder provides.</p>\n</div>\n",
    ]
    for table in tables:
        files = " or ".join(f"`{name}`" for name in exports.get(table, ()))
        lines.append(f"- `{table}`: export {files} ([its columns]({contract}#{table}))")
    lines.append("")
    if guide:
        lines.append(f"See [which exports fill which tables]({guide}{GUIDE_ANCHOR}).")
    lines.append(
        "Put the export in the data folder and build again: the report appears by itself.\n"
    )
    return "\n".join(lines)


def waiting_markdown(
    query: QueryFile,
    tables: Sequence[str],
    exports: Mapping[str, Sequence[str]],
    *,
    guide: str | None,
    section_title: str,
    section_index: str,
) -> str:
    """The page of a waiting report, ``{section}/{report}.md``."""
    spec = query.spec
    parts = [front_matter(spec.title), f"# {markdown_text(spec.title)}\n"]
    if spec.description:
        parts.append(f'<p class="revpages-description">{escape(spec.description)}</p>\n')
    parts.append(
        waiting_note(tables, exports, guide=guide and f"../{guide}", contract="../data-contract.md")
    )
    parts.append(f"[← {markdown_text(section_title)}]({section_index}){{ .revpages-back }}\n")
    return "\n".join(parts)


def waiting_embed(query: QueryFile, tables: Sequence[str]) -> Embed:
    """What a hand-written page shows where it embeds a waiting report."""
    names = ", ".join(f"<code>{escape(t)}</code>" for t in tables)
    note = (
        '<div class="admonition info revpages-waiting">\n'
        f'<p class="admonition-title">{escape(query.spec.title)}: waiting for data</p>\n'
        f"<p>No export provides {names} yet.</p>\n</div>\n"
    )
    page = f"{query.report_id}.md"
    waiting = Headline("–", "Waiting for data: " + ", ".join(tables))
    summary = Summary(page, query.spec.title, query.spec.question, waiting, query.spec.home, (), ())
    return Embed(query.spec.title, page, note, note, True, summary)
