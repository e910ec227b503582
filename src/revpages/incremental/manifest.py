"""The build manifest: what a build published, for people (a summary) and machines (JSON).

The copy inside the site (``revpages-manifest.json``) holds no timings, so two builds of
the same inputs stay byte-identical; ``revpages build --manifest PATH`` writes the full
manifest, with seconds per query, whether each result came from the cache, and the
seconds of each build step, for CI dashboards and the benchmarks in ``bench/``.
"""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING, Any

from revpages import __version__

if TYPE_CHECKING:
    from revpages.pages.site_output import SiteOutput

MANIFEST_PATH = "revpages-manifest.json"


def content_hash(content: str | bytes) -> str:
    """sha256 of a published file, e.g. a report's CSV: equal results give equal hashes."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    return hashlib.sha256(data).hexdigest()


def manifest(
    output: SiteOutput, *, timings: bool, steps: dict[str, float] | None = None
) -> dict[str, Any]:
    """Every report with its rows, result hash and warnings; with ``timings`` also the
    seconds and cache use of each query and the seconds of each build step (``steps``)."""
    reports = []
    for outcome in sorted(output.reports, key=lambda r: r.query.report_id):
        query = outcome.query
        entry: dict[str, Any] = {
            "id": query.report_id,
            "title": query.spec.title,
            "source": query.path,
            "page": f"{query.report_id}.md",
            "chart": query.spec.chart,
            "rows": outcome.rows,
            "sha256": outcome.digest,
            "warnings": [w.message() for w in output.warnings if w.path == query.path],
        }
        if timings:
            entry["seconds"] = round(outcome.seconds, 4)
            entry["cached"] = outcome.cached
        reports.append(entry)
    data: dict[str, Any] = {
        "revpages": __version__,
        "reports": reports,
        "tables": dict(sorted(output.tables.items())),
        "warnings": [w.message() for w in output.warnings],
    }
    if output.waiting:  # reports that need a table no export filled
        data["waiting"] = {rid: list(tables) for rid, tables in sorted(output.waiting.items())}
    if output.views:  # params: reports, with the number of views each one has
        data["views"] = {rid: count for rid, (count, _) in sorted(output.views.items())}
    if timings:
        data["view_seconds"] = {
            rid: round(seconds, 4) for rid, (_, seconds) in sorted(output.views.items())
        }
        data["query_seconds"] = round(sum(r.seconds for r in output.reports), 4)
        cached = sum(r.cached for r in output.reports)
        data["queries_run"] = len(output.reports) - cached
        data["queries_cached"] = cached
        data["step_seconds"] = {name: round(s, 4) for name, s in (steps or {}).items()}
        # The parts of "Loading data": parse, derive, check, store (none: data reused).
        data["load_seconds"] = {name: round(s, 4) for name, s in output.load_seconds.items()}
    return data


def manifest_json(
    output: SiteOutput, *, timings: bool, steps: dict[str, float] | None = None
) -> str:
    return (
        json.dumps(
            manifest(output, timings=timings, steps=steps),
            indent=2,
            sort_keys=True,
            ensure_ascii=False,
        )
        + "\n"
    )


def summary_lines(output: SiteOutput, *, slowest: int = 3) -> list[str]:
    """The end-of-build summary: reports, rows, the slowest queries, warnings."""
    count = len(output.reports)
    rows = sum(r.rows for r in output.reports)
    lines = [
        f"{count} report{'s' if count != 1 else ''} built, {rows:,} result rows, "
        f"{len(output.tables)} data table{'s' if len(output.tables) != 1 else ''}."
    ]
    ran = [r for r in output.reports if not r.cached]
    cached = len(output.reports) - len(ran)
    from_cache = f"{cached} result{'s' if cached != 1 else ''} from the cache."
    ranked = sorted(ran, key=lambda r: (-r.seconds, r.query.report_id))[:slowest]
    if ranked:
        lines.append(
            "Slowest queries: "
            + ", ".join(f"{r.query.report_id} {r.seconds:.3f} s" for r in ranked)
            + "."
            + (f" {from_cache}" if cached else "")
        )
    elif cached:
        lines.append(f"No query ran: {from_cache}")
    lines += _waiting_lines(output.waiting)
    lines += [f"Data: {note}" for note in output.notes]
    warned = len(output.warnings)
    lines.append(f"{warned} warning{'s' if warned != 1 else ''}" + (":" if warned else "."))
    lines += [f"  {w.message()}" for w in output.warnings]
    return lines


def _waiting_lines(waiting: dict[str, tuple[str, ...]]) -> list[str]:
    """One line per missing table, with the reports that wait for it."""
    by_table: dict[str, list[str]] = {}
    for report, tables in sorted(waiting.items()):
        for table in tables:
            by_table.setdefault(table, []).append(report)
    if not by_table:
        return []
    count = len(waiting)
    lines = [
        f"{count} report{'s' if count != 1 else ''} wait{'' if count != 1 else 's'} for data "
        "no export provides (not an error; see each page):"
    ]
    lines += [f"  {table}: {', '.join(reports)}" for table, reports in sorted(by_table.items())]
    return lines
