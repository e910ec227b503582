"""One build of the reports, independent of MkDocs: query files in, generated files out.

``build_reports`` discovers sections and query files, loads the data once,
runs every query once and returns the pages, figures and CSVs to publish.
Problems are collected and raised together, so one build shows them all.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from revpages.assets import static_files
from revpages.charts import ColorMap, build_figure, check_columns, series_names
from revpages.engine import Engine, QueryResult
from revpages.errors import BuildErrors, QueryFileError, RevpagesError
from revpages.files import GeneratedFile
from revpages.queryfile import QueryFile, parse_query_file
from revpages.render import PageLinks, escape, report_markdown, result_csv, section_markdown
from revpages.sections import Section, read_sections
from revpages.settings import Settings


@dataclass(frozen=True)
class ReportOutcome:
    query: QueryFile
    rows: int
    seconds: float


@dataclass
class SiteOutput:
    """Everything a build adds to the site."""

    files: list[GeneratedFile] = field(default_factory=list)
    nav: list[tuple[str, list[str]]] = field(default_factory=list)
    reports: list[ReportOutcome] = field(default_factory=list)
    warnings: list[RevpagesError] = field(default_factory=list)
    tables: dict[str, int] = field(default_factory=dict)

    @property
    def page_paths(self) -> list[str]:
        return [f.path for f in self.files if f.path.endswith(".md")]


def discover_queries(settings: Settings) -> tuple[list[Section], list[QueryFile],
                                                  list[RevpagesError]]:
    """Parse every section and query file; problems are returned, not raised."""
    errors: list[RevpagesError] = []
    sections = read_sections(settings, errors)
    queries: list[QueryFile] = []
    for section in sections:
        for path in sorted(section.folder.glob("*.sql")):
            try:
                queries.append(_read_query(settings, section, path))
            except RevpagesError as error:
                errors.append(error)
    errors += _misplaced_sql(settings)
    return sections, queries, errors


def build_reports(settings: Settings) -> SiteOutput:
    """Run every report and render its page, figure and CSV; raise all problems at once."""
    sections, queries, errors = discover_queries(settings)
    engine = Engine(memory_limit=settings.memory_limit, threads=settings.threads)
    try:
        output = SiteOutput()
        output.tables = {t.name: t.rows for t in engine.load(settings.data_dir)}
        results = _run_all(engine, queries, errors)
        colors = ColorMap([n for q, r in results for n in series_names(q, r)])
        for query, result in results:
            try:
                output.files += _report_files(settings, engine, query, result, sections, colors)
            except RevpagesError as error:
                errors.append(error)
            if not result.rows:
                output.warnings.append(_empty_result_warning(query))
            output.reports.append(ReportOutcome(query, result.row_count, result.seconds))
    finally:
        engine.close()
    if errors:
        raise BuildErrors(errors)
    output.files += _section_files(sections, queries)
    output.files += static_files()
    output.nav = _nav(sections, queries)
    return output


def _empty_result_warning(query: QueryFile) -> RevpagesError:
    line, column = query.sql_position(0)
    return QueryFileError(
        "the query returned no rows; the page shows an empty table.",
        path=query.path, line=line, column=column, hint="check the filters, or the data folder.",
    )


def _read_query(settings: Settings, section: Section, path: Path) -> QueryFile:
    shown = settings.display_path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise QueryFileError(
            f"the file is not UTF-8 text ({error.reason} at byte {error.start}).",
            path=shown, hint="save the file as UTF-8.",
        ) from None
    return parse_query_file(text, path=shown, section=section.name, name=path.stem)


def _misplaced_sql(settings: Settings) -> list[RevpagesError]:
    """SQL files the build would silently ignore: loose in queries/ or nested too deep."""
    errors: list[RevpagesError] = []
    for path in sorted(settings.queries_dir.rglob("*.sql")):
        depth = len(path.relative_to(settings.queries_dir).parts)
        in_private = any(p.startswith("_") for p in path.relative_to(settings.queries_dir).parts)
        if depth != 2 and not in_private:
            errors.append(QueryFileError(
                "this query file is not directly inside a section folder, so it has no page.",
                path=settings.display_path(path),
                hint="move it to queries/<section>/<report>.sql.",
            ))
    return errors


def _run_all(
    engine: Engine, queries: list[QueryFile], errors: list[RevpagesError]
) -> list[tuple[QueryFile, QueryResult]]:
    results = []
    for query in queries:
        try:
            result = engine.run(query)
            check_columns(query, result)
            results.append((query, result))
        except RevpagesError as error:
            errors.append(error)
    return results


def _report_files(
    settings: Settings,
    engine: Engine,
    query: QueryFile,
    result: QueryResult,
    sections: list[Section],
    colors: ColorMap,
) -> list[GeneratedFile]:
    result = _sorted(query, result)
    section = next(s for s in sections if s.name == query.section)
    base = query.report_id
    figure = build_figure(query, result, colors=colors, currency=settings.currency,
                          max_points=settings.chart_max_points)
    links = PageLinks(
        figure=f"{base}.json" if figure else None,
        csv=f"{query.name}.csv",
        section_title=section.title,
        section_index="index.md",
    )
    page = report_markdown(query, result, links, freshness=engine.freshness(result.tables),
                           table_rows=settings.table_rows, currency=settings.currency)
    files = [GeneratedFile(f"{base}.md", page), GeneratedFile(f"{base}.csv", result_csv(result))]
    if figure:
        files.append(GeneratedFile(f"{base}.json", _json(figure)))
    return files


def _sorted(query: QueryFile, result: QueryResult) -> QueryResult:
    sort = query.spec.sort
    if not sort:
        return result
    descending = sort.startswith("-")
    index = result.columns.index(sort.lstrip("-"))
    # None sorts last either way; Python's sort is stable, so SQL order breaks ties.
    present = [r for r in result.rows if r[index] is not None]
    missing = [r for r in result.rows if r[index] is None]
    present.sort(key=lambda r: r[index], reverse=descending)
    return QueryResult(result.columns, result.types, present + missing, result.seconds,
                       result.tables)


def _section_files(sections: list[Section], queries: list[QueryFile]) -> list[GeneratedFile]:
    files = []
    for section in sections:
        reports = [(q, f"{q.name}.md") for q in _in_section(section, queries)]
        page = section_markdown(section.title, section.description, reports)
        files.append(GeneratedFile(f"{section.name}/index.md", page))
    return files


def _nav(sections: list[Section], queries: list[QueryFile]) -> list[tuple[str, list[str]]]:
    return [
        (escape(s.title),
         [f"{s.name}/index.md", *(f"{q.report_id}.md" for q in _in_section(s, queries))])
        for s in sections
    ]


def _in_section(section: Section, queries: list[QueryFile]) -> list[QueryFile]:
    mine = [q for q in queries if q.section == section.name]
    return sorted(mine, key=lambda q: (q.spec.order, q.spec.title.lower(), q.name))


def _json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
