"""bench/RESULTS.md from the measurements of ``bench/run.py``: tables, targets, and what
stands in the way of each target that is not met, worked out from the same numbers."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import Any

GiB = 2**30
KB = 1000
TARGETS = {
    "cold_vs_floor": 1.5,
    "baseline_vs_cold": 2.0,
    "rebuild_share": 0.05,
    "edit_share": 0.10,
    "page_gzip_bytes": 60 * KB,
    "peak_rss": 2 * GiB,
}
REVPAGES_RUNS = ("cold", "rebuild", "forced", "edit")


@dataclass
class Run:
    """One measured process: wall seconds, CPU seconds, peak resident memory, output."""

    seconds: float
    rss: int  # bytes
    stdout: str = ""
    cpu: float = 0.0  # user + system, every thread


@dataclass
class SizeResult:
    leads: int
    runs: dict[str, Run] = field(default_factory=dict)
    floor: dict[str, Any] = field(default_factory=dict)  # floor.py's own split
    manifests: dict[str, dict[str, Any]] = field(default_factory=dict)
    edited: str = ""  # the report whose query file (d) edits
    build_bytes: int = 0
    baseline_bytes: int = 0
    pages: list[tuple[str, int, int]] = field(default_factory=list)  # (page, html gz, json gz)
    baseline_page: tuple[str, int] = ("", 0)
    plotly: dict[str, int] = field(default_factory=dict)
    hashing: dict[str, float] = field(default_factory=dict)  # hashing.py: cold, warm, bytes


def _hashing_lines(result: SizeResult) -> list[str]:
    """The content fingerprint of the data folder (bench/hashing.py), cold and warm."""
    found = result.hashing
    if not found:
        return []
    rate = found["bytes"] / 2**20 / found["cold"] if found["cold"] else 0.0
    return [
        "Content fingerprints (sha256 of every export, `bench/hashing.py`, each its own process):",
        "",
        f"- cold, nothing remembered: {found['cold']:.2f} s for {mib(int(found['bytes']))} in "
        f"{int(found['files'])} files ({rate:,.0f} MiB/s);",
        f"- with the digests an earlier build remembered (no file read): {found['warm']:.3f} s.",
        "",
    ]


def ratio(value: float, base: float) -> str:
    return f"{value / base:.2f}×" if base else "–"


def mib(size: int) -> str:
    return f"{size / 2**20:,.0f} MiB"


def kb(size: int) -> str:
    return f"{size / KB:,.1f} KB"


STEPS = {
    "parse": "parse exports, type and check every row",
    "derive": "derive attribution tables",
    "check": "data-quality checks (orphans, rejects)",
    "store": "store the loaded data (Parquet)",
    "open": "open the stored data, models",
    "queries": "queries (run, or read back from the result store)",
    "render": "figures, tables and CSVs of every report",
    "mkdocs": "MkDocs: render every page, search index, sitemap",
    "other": "start-up, imports, config, up-to-date check, publish",
}


def steps(run: Run, manifest: dict[str, Any]) -> dict[str, float]:
    """Where one revpages build spent its wall time (keys of ``STEPS``), from its manifest."""
    step = manifest.get("step_seconds", {})
    parts = {
        name: manifest.get("load_seconds", {}).get(name, 0.0)
        for name in ("parse", "derive", "check", "store")
    }
    parts["open"] = max(0.0, step.get("Loading data", 0.0) - sum(parts.values()))
    parts["queries"] = step.get("Running queries", 0.0)
    parts["render"] = step.get("Rendering reports", 0.0)
    parts["mkdocs"] = step.get("Writing pages", 0.0)
    parts["other"] = run.seconds - sum(parts.values())
    return parts


def targets(result: SizeResult) -> list[tuple[str, str, bool | None]]:
    """(target, measured, met) at one size; met is None where it was not measured."""
    runs, manifests = result.runs, result.manifests
    floor, cold = runs["floor"].seconds, runs["cold"].seconds
    rows: list[tuple[str, str, bool | None]] = [
        (
            f"cold build ≤ {TARGETS['cold_vs_floor']}× raw DuckDB",
            ratio(cold, floor),
            cold <= TARGETS["cold_vs_floor"] * floor,
        )
    ]
    if "baseline" in runs:
        speedup = runs["baseline"].seconds / cold
        rows.append(
            (
                f"cold build ≥ {TARGETS['baseline_vs_cold']:.0f}× faster than the "
                "hand-written baseline",
                f"{speedup:.2f}× faster",
                speedup >= TARGETS["baseline_vs_cold"],
            )
        )
    rebuild, edit = runs["rebuild"].seconds / cold, runs["edit"].seconds / cold
    rows += [
        (
            f"no-change rebuild ≤ {TARGETS['rebuild_share']:.0%} of the cold build",
            f"{rebuild:.1%} ({manifests['rebuild']['queries_run']} queries run)",
            rebuild <= TARGETS["rebuild_share"],
        ),
        (
            f"one-query change ≤ {TARGETS['edit_share']:.0%} of the cold build",
            f"{edit:.1%} ({manifests['edit']['queries_run']} query run)",
            edit <= TARGETS["edit_share"],
        ),
    ]
    if result.pages:
        name, html, chart = result.pages[0]
        rows.append(
            (
                f"each report page with its chart data ≤ {kb(TARGETS['page_gzip_bytes'])} gzipped",
                f"largest: {name} {kb(html + chart)}",
                html + chart <= TARGETS["page_gzip_bytes"],
            )
        )
    plotly = result.plotly
    rows.append(
        (
            "plotly.js loaded once and cacheable (one static file, never inlined)",
            f"{plotly['files']} file, linked by {plotly['linking']} pages, inlined by "
            f"{plotly['inlining']}",
            plotly["files"] == 1 and plotly["inlining"] == 0,
        )
    )
    peak = max(runs[name].rss for name in REVPAGES_RUNS)
    rows.append(
        (f"peak RSS ≤ {TARGETS['peak_rss'] / GiB:.0f} GiB", mib(peak), peak <= TARGETS["peak_rss"])
    )
    return rows


def render(
    results: list[SizeResult],
    *,
    host: dict[str, str],
    settings: dict[str, str],
    load: tuple[tuple[float, ...], tuple[float, ...]],
    seconds: float,
) -> str:
    """RESULTS.md."""
    lines = [
        "# Benchmark results",
        "",
        f"Written by `bench/run.py` ({' '.join(sys.argv[1:]) or 'make bench'}) in "
        f"{seconds / 60:.1f} minutes; every figure below is from that one run. Times "
        "are wall seconds of one process each, CPU is user + system seconds of all its "
        "threads; ratios are to (a), raw DuckDB over the same files and SQL. The "
        "machine was shared with other work, so single times are noisy; the ratios "
        "compare runs made minutes apart, and the CPU column shows the work itself. "
        "[PROFILE.md](PROFILE.md) has the profile behind the changes.",
        "",
        "## Machine",
        "",
        "| | |",
        "|---|---|",
        *(f"| {k} | {v} |" for k, v in host.items()),
        f"| load average (1, 5, 15 min) | before {_loads(load[0])}, after {_loads(load[1])} |",
        *(f"| {k} | {v} |" for k, v in settings.items()),
        "",
    ]
    for result in results:
        lines += _size_section(result)
    return "\n".join(lines).rstrip() + "\n"


def _loads(values: tuple[float, ...]) -> str:
    return " / ".join(f"{v:.1f}" for v in values)


def _size_section(result: SizeResult) -> list[str]:
    tables = result.manifests["cold"]["tables"]
    lines = [
        f"## {result.leads:,} leads ({tables.get('touchpoints', 0):,} touchpoints, "
        f"{sum(tables.values()):,} rows in {len(tables)} tables)",
        "",
        *_runs_table(result),
        "",
        "Where revpages' time goes (wall seconds, from `--manifest`):",
        "",
        *_steps_table(result),
        "",
        "Output:",
        "",
        *_output_lines(result),
        "",
        *_hashing_lines(result),
        "Targets:",
        "",
        "| target | measured | met |",
        "|---|---|---|",
    ]
    missed = []
    for target, measured, met in targets(result):
        lines.append(
            f"| {target} | {measured} | {'–' if met is None else ('yes' if met else '**no**')} |"
        )
        if met is False:
            missed.append(target)
    if missed:
        lines += ["", "What stands in the way:", "", *_in_the_way(result, missed)]
    return [*lines, ""]


def _runs_table(result: SizeResult) -> list[str]:
    runs, manifests, floor = result.runs, result.manifests, result.floor
    reports = len(manifests["cold"]["reports"])
    skipped = floor.get("skipped", [])
    described = {
        "floor": f"(a) raw DuckDB: read_csv into tables, models as views, the same "
        f"{reports - len(skipped)} report queries (load "
        f"{floor.get('load_seconds', 0):.1f} s, queries "
        f"{floor.get('query_seconds', 0):.1f} s)",
        "cold": f"(b) `revpages build`, cold (no .cache, no build/): {reports} reports",
        "rebuild": f"(c) rebuild, nothing changed ({manifests['rebuild']['queries_run']} "
        "queries run)",
        "forced": "(c′) `revpages build --force`, nothing changed: every page rendered "
        f"again ({manifests['forced']['queries_run']} queries run)",
        "edit": f"(d) rebuild after editing `queries/{result.edited}.sql` "
        f"({manifests['edit']['queries_run']} query run)",
        "baseline": "(e) hand-written: DuckDB → Plotly `to_html` → Markdown → `mkdocs build`",
    }
    lines = [
        "| run | seconds | ratio to (a) | CPU s | CPU ratio | peak RSS |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    base = runs["floor"]
    for name, text in described.items():
        if name in runs:
            run = runs[name]
            lines.append(
                f"| {text} | {run.seconds:.1f} | {ratio(run.seconds, base.seconds)} "
                f"| {run.cpu:.1f} | {ratio(run.cpu, base.cpu)} | {mib(run.rss)} |"
            )
    if skipped:
        lines += [
            "",
            f"(a) and (e) leave out {len(skipped)} reports that read tables only "
            "revpages derives (attribution credits, Markov, Shapley): "
            + ", ".join(f"`{s}`" for s in skipped)
            + ".",
        ]
    return lines


def _steps_table(result: SizeResult) -> list[str]:
    names = [n for n in REVPAGES_RUNS if n in result.runs]
    broken = [steps(result.runs[n], result.manifests[n]) for n in names]
    heads = {"cold": "cold", "rebuild": "no change", "forced": "forced", "edit": "one edit"}
    lines = [
        "| step | " + " | ".join(heads[n] for n in names) + " |",
        "|---|" + "---:|" * len(names),
    ]
    for step, label in STEPS.items():
        lines.append(f"| {label} | " + " | ".join(f"{b[step]:.2f}" for b in broken) + " |")
    lines.append(
        "| **total** | " + " | ".join(f"**{result.runs[n].seconds:.2f}**" for n in names) + " |"
    )
    return lines


def _output_lines(result: SizeResult) -> list[str]:
    lines = [
        f"- `build/`: {mib(result.build_bytes)}"
        + (
            f" (the hand-written baseline's site: {mib(result.baseline_bytes)})"
            if result.baseline_bytes
            else ""
        )
        + ".",
        "- Heaviest report pages, HTML + chart JSON, gzipped: "
        + ", ".join(f"{name} {kb(html)} + {kb(chart)}" for name, html, chart in result.pages[:3])
        + ".",
    ]
    views = result.manifests.get("cold", {}).get("views", {})
    if views:
        seconds = result.manifests["cold"].get("view_seconds", {})
        lines.append(
            f"- Views (params:): {sum(views.values())} views of {len(views)} report"
            f"{'s' if len(views) != 1 else ''} built, their queries "
            f"{sum(seconds.values()):.2f} s of the cold build ("
            + ", ".join(f"{rid} {n} views {seconds.get(rid, 0):.2f} s" for rid, n in views.items())
            + "); each page above is shown with its default view, the others load when chosen."
        )
    if result.baseline_page[0]:
        lines.append(
            f"- Heaviest hand-written page: {result.baseline_page[0]} "
            f"{kb(result.baseline_page[1])} gzipped (plotly.js inlined in each page)."
        )
    return lines


def _in_the_way(result: SizeResult, missed: list[str]) -> list[str]:
    """One paragraph per missed target, from the measured numbers."""
    runs, floor = result.runs, result.floor
    cold = steps(runs["cold"], result.manifests["cold"])
    parse, derive, check, store = (cold[n] for n in ("parse", "derive", "check", "store"))
    site = cold["render"] + cold["mkdocs"]
    text = []
    if any(t.startswith("cold build ≤") for t in missed):
        extra = derive + store + site
        text.append(
            f"- Cold build: (a) only reads the files with DuckDB's type detection "
            f"({floor.get('load_seconds', 0):.1f} s) and runs the queries. revpages reads "
            f"every value as text and types it with the tolerant readers, checks every row "
            f"(missing keys, unreadable values, contradictions, dates after the as-of date, "
            f"duplicates) and accounts for every record: loaded, flagged, merged, excluded or "
            f"refused ({parse:.1f} s), checks references between "
            f"tables ({check:.1f} s), derives the attribution tables ({derive:.1f} s) that "
            f"{len(floor.get('skipped', []))} more reports read, stores the loaded data so "
            f"that later builds parse nothing ({store:.1f} s), and renders the site "
            f"({site:.1f} s). Derive, store and site alone are "
            f"{extra:.1f} s, {extra / runs['floor'].seconds:.2f}× (a); see PROFILE.md."
        )
    if any("hand-written" in t for t in missed) and "baseline" in runs:
        base, a = runs["baseline"].seconds, runs["floor"].seconds
        need = base / TARGETS["baseline_vs_cold"]
        if need < a:
            text.append(
                f"- Against the hand-written baseline: it takes {base:.1f} s, only "
                f"{base / a:.2f}× (a). A build does at least what (a) does, so none can be "
                f"more than {base / a:.2f}× faster than the baseline here; 2× would need a "
                f"cold build of {need:.1f} s, less than (a)'s {a:.1f} s."
            )
        else:
            text.append(
                f"- Against the hand-written baseline: it takes {base:.1f} s, {base / a:.2f}× "
                f"(a); 2× faster needs a cold build of {need:.1f} s, {need / a:.2f}× (a). What "
                "stands in the way is the work of the cold build above: the baseline does "
                "none of the typing, checking, deriving and storing, and has "
                f"{len(floor.get('skipped', []))} reports fewer."
            )
    if any(t.startswith("no-change") for t in missed):
        rebuild = runs["rebuild"].seconds
        text.append(
            f"- No-change rebuild: {rebuild:.1f} s, which is start-up, loading the "
            "MkDocs configuration and plugins, and the up-to-date check."
        )
    if any(t.startswith("one-query") for t in missed):
        edit = steps(runs["edit"], result.manifests["edit"])
        text.append(
            f"- One-query change: the edited query itself ({edit['queries']:.1f} s), MkDocs "
            f"rendering every page again ({edit['mkdocs']:.1f} s: each page holds the whole "
            f"navigation), and start-up and configuration ({edit['other']:.1f} s)."
        )
    if any(t.startswith("each report page") for t in missed):
        name, html, chart = result.pages[0]
        text.append(
            f"- Page size: {name} is {kb(html)} of HTML and {kb(chart)} of chart data, gzipped."
        )
    if any(t.startswith("peak RSS") for t in missed):
        text.append("- Memory: DuckDB's memory_limit bounds its buffers; the rest is Python.")
    return text
