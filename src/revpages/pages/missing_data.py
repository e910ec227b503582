"""What the build does about data that is missing: a required table no export filled (an
error), the reports that wait for a table (their pages), and which reports read each
contract column (what a column missing from an export costs, on the data-quality page).
"""

from __future__ import annotations

import difflib

from revpages.contract import TABLES_BY_NAME
from revpages.errors import DataLoadError, RevpagesError
from revpages.ingest.crm.catalog import exports_filling
from revpages.ingest.quality import QualityReport
from revpages.pages.generated import GeneratedFile
from revpages.pages.quality_pages import ColumnUses
from revpages.pages.site_output import SiteOutput
from revpages.pages.waiting import GUIDE_PAGE, waiting_embed, waiting_markdown
from revpages.reports.engine import Engine
from revpages.reports.queryfile import QueryFile
from revpages.reports.sections import Section
from revpages.reports.session import CachedEngine
from revpages.settings import Settings


def required_table_errors(settings: Settings, quality: QualityReport) -> list[RevpagesError]:
    """A table named in ``required_tables`` that no export filled fails the build."""
    errors: list[RevpagesError] = []
    for table in settings.required_tables:
        if table in quality.missing_tables:
            files = " or ".join(exports_filling(table, settings.data.format))
            errors.append(
                DataLoadError(
                    f"table '{table}' is required (required_tables), but no export fills it.",
                    code="RP512",
                    path=settings.display_path(settings.data_dir),
                    hint=f"put {files} in the data folder, or remove '{table}' from "
                    "required_tables.",
                )
            )
    return errors


def column_uses(engine: Engine | CachedEngine, queries: list[QueryFile]) -> ColumnUses:
    """(contract table, column) -> the reports that read it: what a missing column costs."""
    uses: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for query in queries:
        for used in engine.columns_used(query):
            uses.setdefault(used, []).append((query.spec.title, f"{query.report_id}.md"))
    return uses


def waiting_files(
    settings: Settings,
    engine: Engine | CachedEngine,
    queries: list[QueryFile],
    sections: list[Section],
    output: SiteOutput,
) -> list[GeneratedFile]:
    """The pages of the reports waiting for a table no export filled."""
    guide = GUIDE_PAGE if settings.docs_dir and (settings.docs_dir / GUIDE_PAGE).is_file() else None
    files = []
    for query in queries:
        tables = output.waiting.get(query.report_id)
        if not tables:
            continue
        section = next(s for s in sections if s.name == query.section)
        exports = {t: exports_filling(t, settings.data.format) for t in tables}
        page = waiting_markdown(
            query,
            tables,
            exports,
            guide=guide,
            section_title=section.title,
            section_index="index.md",
        )
        files.append(GeneratedFile(f"{query.report_id}.md", page))
        output.embeds[query.report_id] = waiting_embed(query, tables)
    return files


def check_required_tables(settings: Settings) -> list[RevpagesError]:
    """``required_tables`` names contract tables."""
    errors: list[RevpagesError] = []
    for table in settings.required_tables:
        if table not in TABLES_BY_NAME:
            near = difflib.get_close_matches(table, list(TABLES_BY_NAME), n=1)
            errors.append(
                DataLoadError(
                    f"required_tables: '{table}' is not a contract table.",
                    code="RP109",
                    hint=f"Did you mean '{near[0]}'?"
                    if near
                    else f"use table names of the data contract: {', '.join(TABLES_BY_NAME)}.",
                )
            )
    return errors
