"""One build of the reports, independent of MkDocs: query files in, generated files out.

``build_reports`` discovers sections and query files, loads the data once,
runs every query once and returns the pages, figures and CSVs to publish.
Problems are collected and raised together, so one build shows them all; in a
preview (``revpages serve``) they become error pages instead.
"""

from __future__ import annotations

import json
import posixpath
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from revpages.derive.calendar import Calendar
from revpages.derive.calendar_table import DataRange
from revpages.errors import BuildErrors, QueryFileError, RevpagesError
from revpages.incremental.manifest import MANIFEST_PATH, content_hash, manifest_json
from revpages.ingest.loaded import rows_by_table
from revpages.ingest.quality import QualityReport, reject_share_problems
from revpages.pages.charts import build_figure, check_columns, series_names
from revpages.pages.compare import Comparison, comparison_formats, with_comparisons
from revpages.pages.csv_download import result_csv
from revpages.pages.entities import (
    Entity,
    drill_column,
    drill_pages,
    entities,
    index_markdown,
    page_url,
    relative_url,
)
from revpages.pages.formats import plain_text
from revpages.pages.generated import GeneratedFile
from revpages.pages.glossary import (
    Glossary,
    check_glossary,
    definition_links,
    load_glossary,
)
from revpages.pages.markdown import (
    PageLinks,
    ViewParts,
    escape,
    page_markdown,
    section_markdown,
    view_parts,
)
from revpages.pages.missing_data import (
    check_required_tables,
    column_uses,
    required_table_errors,
    waiting_files,
)
from revpages.pages.narrative import Embed, report_embed
from revpages.pages.palette import ColorMap
from revpages.pages.periods import Marks, compare_label, row_marks, window_text
from revpages.pages.preview import error_pages, not_run
from revpages.pages.quality_pages import (
    ColumnUses,
    contract_markdown,
    data_attention,
    load_notes,
    quality_markdown,
)
from revpages.pages.site_output import ReportOutcome, SiteOutput
from revpages.pages.tables import ordered
from revpages.pages.views import (
    Choices,
    View,
    choices,
    selectors_html,
    site_params,
    view_folder,
    views,
)
from revpages.progress import NullProgress, Progress
from revpages.reports.engine import Engine
from revpages.reports.limits import check_page_rows
from revpages.reports.parameters import PERIOD_PARAMETERS, check_compare
from revpages.reports.privacy import Withheld, publishable
from revpages.reports.queryfile import MODELS_SECTION, QueryFile, parse_model_file, parse_query_file
from revpages.reports.result import QueryResult
from revpages.reports.sections import Section, read_sections
from revpages.reports.session import CachedEngine
from revpages.reports.spec_values import SITE_PARAMS, Param
from revpages.settings import Settings
from revpages.site.assets import static_files


def discover_queries(
    settings: Settings,
) -> tuple[list[Section], list[QueryFile], list[RevpagesError]]:
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


def discover_models(settings: Settings) -> tuple[list[QueryFile], list[RevpagesError]]:
    """Parse every shared model of ``queries/_models``; problems are returned, not raised."""
    models: list[QueryFile] = []
    errors: list[RevpagesError] = []
    for path in sorted((settings.queries_dir / MODELS_SECTION).glob("*.sql")):
        try:
            models.append(_read_query(settings, None, path))
        except RevpagesError as error:
            errors.append(error)
    return models, errors


def build_reports(
    settings: Settings,
    *,
    progress: Progress | None = None,
    engine: Engine | CachedEngine | None = None,
    preview: bool = False,
) -> SiteOutput:
    """Run every report and render its page, figure and CSV; raise all problems at once.

    ``engine`` lets a preview server keep one (cached) engine across builds; ``preview``
    turns problems into error pages instead of raising them.
    """
    progress = progress or NullProgress()
    sections, queries, errors = discover_queries(settings)
    models, model_errors = discover_models(settings)
    errors += model_errors
    if settings.audience == "wide":
        queries = [q for q in queries if not q.spec.internal_only]
    runner = engine or Engine(settings.engine)
    output = SiteOutput(glossary=load_glossary(settings))
    groups: dict[str, list[Entity]] = {}  # per: report id -> its entities' pages
    view_sets: dict[str, tuple[Choices, list[View]]] = {}  # params: report id -> its views
    errors += check_glossary(queries, settings, output.glossary)
    errors += check_required_tables(settings)
    try:
        progress.step("Loading data")
        try:
            output.tables = rows_by_table(runner.load(settings.data_dir))
            calendar = runner.use_calendar(settings.calendar)
            output.banner = site_banner(calendar)
            output.load_seconds = dict(getattr(runner, "load_seconds", {}))
            errors += required_table_errors(settings, runner.quality)
            errors += runner.add_models(models)
            output.files += data_pages(
                runner.quality, column_uses(runner, queries), calendar, runner.range
            )
            output.warnings += reject_share_problems(runner.quality, settings.max_reject_share)
            output.data_problems = data_attention(runner.quality)
            output.notes += load_notes(runner.quality)
            groups = _entity_groups(runner, queries)
            view_sets = _view_sets(runner, queries, settings, errors)
            run = []
            for query in queries:
                if query.report_id in view_sets:
                    run += [view.query for view in view_sets[query.report_id][1]]
                elif query.report_id not in groups:
                    run.append(query)
            run += [entity.query for found in groups.values() for entity in found]
            results = _run_all(
                runner,
                run,
                errors,
                progress,
                audience=settings.audience,
                warnings=output.warnings,
                waiting=output.waiting,
            )
            output.files += waiting_files(settings, runner, queries, sections, output)
        except RevpagesError as error:
            _relative(error, settings)
            if not preview:
                raise
            errors += [error, *(not_run(q) for q in queries)]
            results = []
        colors = ColorMap(charts=[series_names(q, r.result) for q, r in results])
        drill = drill_pages(groups)
        view_of = {id(v.query): v for found in view_sets.values() for v in found[1]}
        view_runs: dict[str, list[tuple[View, ReportRun]]] = {}
        pages: dict[str, _Rendered] = {}  # a params: report's page: its default view
        progress.step("Rendering reports", len(results))
        for query, run in results:
            result = run.result
            view = view_of.get(id(query))
            if view is not None:
                view_runs.setdefault(query.report_id, []).append((view, run))
                if not view.default:
                    continue
            progress.item(query.report_id)
            selectors = selectors_html(query.report_id, *view_sets[query.report_id]) if view else ""
            try:
                files, embed, shown = _report_files(
                    settings,
                    runner,
                    query,
                    run,
                    sections,
                    colors,
                    output.glossary,
                    drill,
                    selectors,
                )
            except RevpagesError as error:
                errors.append(error)
                output.embeds[query.report_id] = None
                continue
            output.files += files
            output.embeds[query.report_id] = embed
            if view is not None:
                pages[query.report_id] = shown
            if not result.rows:
                output.warnings.append(_empty_result_warning(query))
            output.reports.append(
                ReportOutcome(
                    query,
                    result.row_count,
                    result.seconds,
                    content_hash(files[1].content),
                    result.cached,
                )
            )
        for report_id, found_runs in view_runs.items():
            seconds = sum(run.result.seconds for _, run in found_runs)
            output.views[report_id] = (len(found_runs), seconds)
            for view, run in found_runs:
                page = pages.get(report_id) if view.default else None
                if view.default and page is None:
                    continue  # the page itself failed: its error is reported
                try:
                    output.files += _view_files(settings, runner, view, run, colors, drill, page)
                except RevpagesError as error:
                    errors.append(error)
    finally:
        if engine is None:
            runner.close()
    if errors and not preview:
        raise BuildErrors(errors)
    if errors:
        output.errors = errors
        pages, stubs, output.site_errors = error_pages(settings, sections, queries, errors)
        output.files += pages
        queries = queries + stubs
        output.embeds.update(
            {q.report_id: None for q in queries if q.report_id not in output.embeds}
        )
    output.files += _section_files(sections, queries, output.waiting, output.embeds, groups)
    output.files += _entity_indexes(queries, groups, output.embeds)
    output.files += static_files()
    output.files.append(GeneratedFile(MANIFEST_PATH, manifest_json(output, timings=False)))
    has_data_pages = any(f.path == DATA_NAV[1][0] for f in output.files)
    output.nav = [*_nav(sections, queries, groups), *([DATA_NAV] if has_data_pages else [])]
    return output


DATA_NAV = ("Data", ["data-quality.md", "data-contract.md"])


def data_pages(
    quality: QualityReport,
    uses: ColumnUses | None = None,
    calendar: Calendar | None = None,
    found: DataRange | None = None,
) -> list[GeneratedFile]:
    """The data-quality and data-contract pages (paths as in ``DATA_NAV``)."""
    return [
        GeneratedFile("data-quality.md", quality_markdown(quality, uses or {}, calendar, found)),
        GeneratedFile("data-contract.md", contract_markdown()),
    ]


def site_banner(calendar: Calendar) -> str:
    """The line every page shows at the top: the site's as-of moment and its period."""
    return f"Data as of {calendar.as_of_text()} · period: {calendar.window().text()}"


@dataclass(frozen=True)
class ReportRun:
    """What running one report gave: its result, the comparison runs, and whether its
    SQL is bound to the site's period."""

    result: QueryResult
    comparisons: tuple[Comparison, ...] = ()
    uses_period: bool = False


def _relative(error: RevpagesError, settings: Settings) -> None:
    """The loader names export files by absolute path; show them as the user types them."""
    if error.path and Path(error.path).is_absolute():
        error.path = settings.display_path(Path(error.path))


def _empty_result_warning(query: QueryFile) -> RevpagesError:
    return query.problem(
        "the query returned no rows; the page shows an empty table.",
        code="RP410",
        hint="check the filters, or the data folder.",
    )


def _read_query(settings: Settings, section: Section | None, path: Path) -> QueryFile:
    """A report of ``section``, or a shared model when there is no section."""
    shown = settings.display_path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise QueryFileError(
            f"the file is not UTF-8 text ({error.reason} at byte {error.start}).",
            code="RP203",
            path=shown,
            hint="save the file as UTF-8.",
        ) from None
    if section is None:
        return parse_model_file(text, path=shown, name=path.stem)
    query = parse_query_file(text, path=shown, section=section.name, name=path.stem)
    return site_params(query, settings.params) if query.spec.params == (SITE_PARAMS,) else query


def _misplaced_sql(settings: Settings) -> list[RevpagesError]:
    """SQL files the build would silently ignore: loose in queries/ or nested too deep."""
    errors: list[RevpagesError] = []
    for path in sorted(settings.queries_dir.rglob("*.sql")):
        depth = len(path.relative_to(settings.queries_dir).parts)
        in_private = any(p.startswith("_") for p in path.relative_to(settings.queries_dir).parts)
        if depth != 2 and not in_private:
            errors.append(
                QueryFileError(
                    "this query file is not directly inside a section folder, so it has no page.",
                    code="RP202",
                    path=settings.display_path(path),
                    hint="move it to queries/<section>/<report>.sql.",
                )
            )
    return errors


def _run_all(
    engine: Engine | CachedEngine,
    queries: list[QueryFile],
    errors: list[RevpagesError],
    progress: Progress,
    *,
    audience: str = "internal",
    warnings: list[RevpagesError] | None = None,
    waiting: dict[str, tuple[str, ...]] | None = None,
) -> list[tuple[QueryFile, ReportRun]]:
    """Run every query; a query that needs a table no export filled does not run: it is
    put in ``waiting`` (report id -> the missing tables)."""
    results = []
    progress.step("Running queries", len(queries))
    for query in queries:
        progress.item(query.report_id)
        needs = engine.waiting_for(query)
        if needs and waiting is not None:
            waiting[query.report_id] = tuple(needs)
            continue
        try:
            result, withheld = publishable(query, engine.run(query), audience=audience)
            check_columns(query, result)
            names = engine.parameters_of(query)
            check_compare(query, names)
            comparisons = tuple(
                Comparison(
                    which,
                    compare_label(engine.calendar, which),
                    publishable(query, engine.run(query, compare=which), audience=audience)[0],
                )
                for which in query.spec.compare
            )
            uses_period = bool(PERIOD_PARAMETERS & set(names))
            results.append((query, ReportRun(result, comparisons, uses_period)))
        except RevpagesError as error:
            errors.append(error)
            continue
        if warnings is not None:
            warnings += [
                _withheld_warning(query, w) for w in withheld if w.reason == "personal data"
            ]
    return results


def _withheld_warning(query: QueryFile, withheld: Withheld) -> RevpagesError:
    return query.problem(
        f"the column '{withheld.column}' looks like personal data and was left out of the page "
        "and the CSV.",
        code="RP309",
        hint="add 'personal_data: true' to publish it, or leave it out of the query.",
    )


def _report_files(
    settings: Settings,
    engine: Engine | CachedEngine,
    query: QueryFile,
    run: ReportRun,
    sections: list[Section],
    colors: ColorMap,
    glossary: Glossary | None = None,
    drill: dict[str, dict[str, str]] | None = None,
    selectors: str = "",
) -> tuple[list[GeneratedFile], Embed, _Rendered]:
    """The page, CSV (always second) and figure of one report, what pages can embed, and
    what its data shows; ``drill`` (column -> value -> page) makes the values of its x,
    color or label column lead to their per: pages; ``selectors`` switch between its views."""
    check_page_rows(query, len(run.result.rows), settings.table_rows, settings.limits)
    section = next(s for s in sections if s.name == query.section)
    base = query.report_id
    shown = _rendered(settings, engine, query, run, colors, drill, f"{base}.json")
    depth = query.name.count("/")  # a per: page sits in its report's folder
    links = PageLinks(
        figure=f"{base}.json" if shown.figure else None,
        csv=f"{posixpath.basename(query.name)}.csv",
        section_title=section.title,
        section_index="../" * depth + "index.md",
    )
    page = page_markdown(
        query,
        links,
        shown.parts,
        definitions=definition_links(query, glossary, f"{base}.md"),
        selectors=selectors,
    )
    files = [GeneratedFile(f"{base}.md", page), GeneratedFile(f"{base}.csv", shown.csv)]
    if shown.figure:
        files.append(GeneratedFile(f"{base}.json", _json(shown.figure)))
    embed = report_embed(
        query,
        shown.result,
        figure_path=links.figure,
        table_rows=settings.table_rows,
        currency=settings.currency,
        marks=shown.marks,
        comparisons=run.comparisons,
    )
    return files, embed, shown


@dataclass(frozen=True)
class _Rendered:
    """What one run of a report shows: its sorted result, marks, figure, page parts, CSV."""

    result: QueryResult
    marks: Marks
    figure: dict[str, Any] | None
    parts: ViewParts
    csv: str


def _rendered(
    settings: Settings,
    engine: Engine | CachedEngine,
    query: QueryFile,
    run: ReportRun,
    colors: ColorMap,
    drill: dict[str, dict[str, str]] | None,
    figure_path: str,
) -> _Rendered:
    """The parts of a report page its data gives, with the figure (if it draws one) to be
    written at ``figure_path``; table links are relative to the report's own page."""
    result = _sorted(query, run.result)
    calendar = _calendar_of(engine, query)
    marks = row_marks(query, result, calendar.running())
    figure = build_figure(
        query,
        result,
        colors=colors,
        currency=settings.currency,
        max_points=settings.chart_max_points,
        marks=marks,
    )
    column = drill_column(query, result.columns, drill or {})
    targets = (drill or {}).get(column, {})
    if figure and targets:
        figure["drill"] = _figure_drill(query, column, targets, settings.directory_urls)
    page = f"{query.report_id}.md"
    parts = view_parts(
        query,
        result,
        figure_path if figure else None,
        window=window_text(
            calendar,
            uses_period=run.uses_period,
            first_event=engine.range.first(result.tables),
        ),
        table_rows=settings.table_rows,
        currency=settings.currency,
        marks=marks,
        comparisons=run.comparisons,
        table_links={
            column: {
                value: relative_url(target, page, directory_urls=settings.directory_urls)
                for value, target in targets.items()
            }
        }
        if targets
        else None,
    )
    compared = with_comparisons(query, result, run.comparisons)
    download = result_csv(
        ordered(query, compared), comparison_formats(query, run.comparisons), settings.currency
    )
    return _Rendered(result, marks, figure, parts, download)


def _calendar_of(engine: Engine | CachedEngine, query: QueryFile) -> Calendar:
    """The site's calendar, or that of a view's period."""
    calendar = engine.calendar
    assert calendar is not None, "the data is loaded before any report is rendered"
    return calendar.with_period(query.period) if query.period else calendar


def _view_files(
    settings: Settings,
    engine: Engine | CachedEngine,
    view: View,
    run: ReportRun,
    colors: ColorMap,
    drill: dict[str, dict[str, str]] | None,
    page: _Rendered | None = None,
) -> list[GeneratedFile]:
    """One view of a report: the JSON revpages.js swaps into the page (the parts its data
    gives, its CSV's path), with its CSV and figure. The default view is the ``page``
    itself: its JSON points at the page's own figure and CSV."""
    query = view.query
    base = f"{view_folder(query.report_id)}{view.key}"
    files = []
    if page is not None:
        shown, csv = page, f"{query.report_id}.csv"
    else:
        check_page_rows(query, len(run.result.rows), settings.table_rows, settings.limits)
        shown, csv = (
            _rendered(settings, engine, query, run, colors, drill, f"{base}.figure.json"),
            f"{base}.csv",
        )
        files.append(GeneratedFile(csv, shown.csv))
        if shown.figure:
            files.append(GeneratedFile(f"{base}.figure.json", _json(shown.figure)))
    data = {
        "values": dict(zip((p.name for p in query.spec.params), view.values, strict=True)),
        "window": shown.parts.window,
        "meta": shown.parts.meta,
        "body": shown.parts.body,
        "table": shown.parts.table,
        "csv": csv,
        "csvText": shown.parts.csv_text,
    }
    return [GeneratedFile(f"{base}.json", _json(data)), *files]


def _figure_drill(
    query: QueryFile, column: str, targets: dict[str, str], directory_urls: bool
) -> dict[str, Any]:
    """What revpages.js needs to open a value's page from a click: where the chart shows
    the value (a category, a series, a point's label) and each value's site-root URL, under
    the value and under the words the chart shows for it."""
    spec = query.spec
    by = "x" if column == spec.x else "color" if column == spec.color else "label"
    pages = {}
    for value, page in targets.items():
        url = page_url(page, directory_urls=directory_urls)
        pages[value] = url
        pages.setdefault(plain_text(value), url)
    return {"by": by, "pages": pages}


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
    return QueryResult(
        result.columns, result.types, present + missing, result.seconds, result.tables
    )


def _section_files(
    sections: list[Section],
    queries: list[QueryFile],
    waiting: dict[str, tuple[str, ...]] | None = None,
    embeds: dict[str, Embed | None] | None = None,
    groups: dict[str, list[Entity]] | None = None,
) -> list[GeneratedFile]:
    files = []
    found = embeds or {}
    for section in sections:
        reports = [
            (q, f"{q.name}/index.md" if q.report_id in (groups or {}) else f"{q.name}.md")
            for q in _in_section(section, queries)
        ]
        headlines = {
            q.report_id: embed.summary.headline
            for q, _ in reports
            if (embed := found.get(q.report_id))
            and embed.summary is not None
            and embed.summary.headline
        }
        page = section_markdown(
            section.title, section.description, reports, waiting or {}, headlines
        )
        files.append(GeneratedFile(f"{section.name}/index.md", page))
    return files


def _nav(
    sections: list[Section],
    queries: list[QueryFile],
    groups: dict[str, list[Entity]] | None = None,
) -> list[tuple[str, list[Any]]]:
    """Each section: its page, then its reports; a per: report as a folder of its index
    and one page per value."""

    def entry(query: QueryFile) -> Any:
        found = (groups or {}).get(query.report_id)
        if found is None:
            return f"{query.report_id}.md"
        pages = [f"{e.query.report_id}.md" for e in found]
        return {escape(query.spec.title): [f"{query.report_id}/index.md", *pages]}

    return [
        (escape(s.title), [f"{s.name}/index.md", *(entry(q) for q in _in_section(s, queries))])
        for s in sections
    ]


def _entity_groups(
    engine: Engine | CachedEngine, queries: list[QueryFile]
) -> dict[str, list[Entity]]:
    """The pages of each per: report whose tables were exported: one per value."""
    groups = {}
    for query in queries:
        per = query.spec.per
        if per is not None and not engine.waiting_for(query):
            groups[query.report_id] = entities(query, engine.values_of(per.table, per.column))
    return groups


def _view_sets(
    engine: Engine | CachedEngine,
    queries: list[QueryFile],
    settings: Settings,
    errors: list[RevpagesError],
) -> dict[str, tuple[Choices, list[View]]]:
    """The choices and views of each params: report whose tables were exported."""
    sets = {}
    for query in queries:
        if not query.spec.params or query.spec.per or engine.waiting_for(query):
            continue
        try:
            found = [_param_values(engine, query, p) for p in query.spec.params]
            chosen = choices(query, found, settings.calendar.period)
            sets[query.report_id] = (chosen, views(query, chosen, settings.limits.views))
        except RevpagesError as error:
            errors.append(error)
    return sets


def _param_values(engine: Engine | CachedEngine, query: QueryFile, param: Param) -> list[str]:
    """A parameter's values: listed, a contract column's, or the first column of its SELECT
    (run read-only like a report query, in the report's file)."""
    if param.source:
        return engine.values_of(param.source.table, param.source.column)
    if not param.sql:
        return list(param.values)
    result = engine.run(replace(query, sql=param.sql, bindings=(), period=None))
    return list(dict.fromkeys(str(row[0]) for row in result.rows if row[0] not in (None, "")))


def _entity_indexes(
    queries: list[QueryFile],
    groups: dict[str, list[Entity]],
    embeds: dict[str, Embed | None],
) -> list[GeneratedFile]:
    """The index page of each per: report, with each value's headline."""
    files = []
    for query in queries:
        found = groups.get(query.report_id)
        if found is None:
            continue
        headlines = {
            e.query.report_id: embed.summary.headline
            for e in found
            if (embed := embeds.get(e.query.report_id))
            and embed.summary is not None
            and embed.summary.headline
        }
        files.append(
            GeneratedFile(f"{query.report_id}/index.md", index_markdown(query, found, headlines))
        )
    return files


def _in_section(section: Section, queries: list[QueryFile]) -> list[QueryFile]:
    mine = [q for q in queries if q.section == section.name]
    return sorted(mine, key=lambda q: (q.spec.order, q.spec.title.lower(), q.name))


def _json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
