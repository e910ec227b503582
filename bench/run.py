"""Benchmarks: revpages against raw DuckDB and a hand-written site, in one run, as ratios.

For each size (100k and 1M sample leads by default, ~8 touchpoints each; the exports
are generated once into bench/data/ and reused) it runs, each as its own process, on
the same machine, in one go:

  (a) raw DuckDB: the same export files into tables and the same report SQL (floor.py)
  (b) ``revpages build`` cold: no .cache, no build/
  (c) ``revpages build`` again, nothing changed
  (c') ``revpages build --force``, nothing changed: every page rendered again
  (d) ``revpages build`` after editing one query file (the slowest one)
  (e) the hand-written baseline: DuckDB -> Plotly to_html -> Markdown -> ``mkdocs build``

and writes bench/RESULTS.md: wall time as a ratio to (a), CPU time (user + system, all
threads), peak RSS of each process (ru_maxrss from wait4), where revpages' time goes
(the step seconds of its ``--manifest``), the size of build/ and the heaviest report
page with its chart data, gzipped, and which targets are met, with what stands in the
way of those that are not. The machine is shared, so every figure that matters is a
ratio between runs made minutes apart.

    python bench/run.py                          # make bench: 100k and 1M leads
    python bench/run.py --leads 100000           # a quicker run
    python bench/run.py --leads 2000 --quick --output /tmp/RESULTS.md   # smoke test
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import time
from importlib import metadata
from pathlib import Path
from typing import Any

import hashing
import yaml
from report import GiB, Run, SizeResult, render

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
BIN = Path(sys.executable).parent
SIZES = (100_000, 1_000_000)
EDIT_MARK = "-- bench: edited"
BUILDS = ("cold", "rebuild", "forced", "edit")  # (b), (c), (c'), (d), in this order


# ---------------------------------------------------------------- measuring


def measure(command: list[str], *, cwd: Path, env: dict[str, str] | None = None) -> Run:
    """Run ``command`` as a child process; its wall time and peak RSS (with its children)."""
    log = cwd / ".bench-stderr.txt"
    started = time.perf_counter()
    with log.open("w") as stderr:
        child = subprocess.Popen(
            command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=stderr, text=True
        )
        stdout = child.stdout.read() if child.stdout else ""
        _pid, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode:
        raise RuntimeError(
            f"{' '.join(command)} failed ({child.returncode}):\n" + log.read_text()[-3000:]
        )
    log.unlink()
    return Run(seconds, usage.ru_maxrss * 1024, stdout, usage.ru_utime + usage.ru_stime)


def combined(*runs: Run) -> Run:
    """Processes run one after the other, as one: times add up, memory is the peak."""
    return Run(sum(r.seconds for r in runs), max(r.rss for r in runs), "", sum(r.cpu for r in runs))


def median_run(runs: list[Run]) -> Run:
    """The run of median wall time (its RSS and output come with it)."""
    ordered = sorted(runs, key=lambda r: r.seconds)
    return ordered[(len(ordered) - 1) // 2]


def tree_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def gzipped(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6, mtime=0))


def report_pages(build: Path) -> list[tuple[str, int, int]]:
    """Every report page of a revpages build with its chart JSON, gzipped, heaviest first."""
    pages = []
    for data in build.glob("*/*.csv"):
        page = data.with_suffix("") / "index.html"
        figure = data.with_suffix(".json")
        if page.is_file():
            pages.append(
                (
                    data.with_suffix("").relative_to(build).as_posix(),
                    gzipped(page.read_bytes()),
                    gzipped(figure.read_bytes()) if figure.is_file() else 0,
                )
            )
    return sorted(pages, key=lambda p: (-(p[1] + p[2]), p[0]))


def heaviest_page(site: Path) -> tuple[str, int]:
    """The largest HTML page of any site, gzipped."""
    sizes = [
        (gzipped(p.read_bytes()), p.relative_to(site).as_posix()) for p in site.rglob("*.html")
    ]
    size, name = max(sizes) if sizes else (0, "")
    return name, size


def plotly_use(build: Path) -> dict[str, int]:
    """How pages get plotly.js: files of it, pages linking it, pages inlining it."""
    copies = [p for p in build.rglob("plotly*.js")]
    linking = inlining = 0
    for page in build.rglob("*.html"):
        text = page.read_text(encoding="utf-8", errors="replace")
        linking += bool(re.search(r'<script[^>]+src="[^"]*plotly[^"/]*\.js"', text))
        inlining += "plotly.js v" in text  # the banner of the bundle itself
    return {"files": len(copies), "linking": linking, "inlining": inlining}


# ---------------------------------------------------------------- preparing


def generator_stamp(leads: int) -> str:
    """What the generated exports depend on: the generator's source and the size."""
    digest = hashlib.sha256(str(leads).encode())
    for name in ("sample_data.py", "sample_exports.py"):
        source = ROOT / "src/revpages" / name
        if source.is_file():
            digest.update(source.read_bytes())
    return digest.hexdigest()


def ensure_data(data_root: Path, leads: int) -> Path:
    """Sample exports of ``leads`` leads, generated once and reused while the generator
    is unchanged."""
    folder = data_root / f"leads-{leads}"
    stamp = data_root / f"leads-{leads}.stamp"
    wanted = generator_stamp(leads)
    if folder.is_dir() and stamp.is_file() and stamp.read_text() == wanted:
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    print(f"generating sample exports with {leads:,} leads into {folder}", file=sys.stderr)
    subprocess.run(
        [str(BIN / "revpages"), "sample-data", "--output", str(folder), "--leads", str(leads)],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    stamp.write_text(wanted)
    return folder


def prepare_site(work: Path, data: Path, duckdb_options: dict[str, Any]) -> Path:
    """A copy of this repository's site (mkdocs.yml, site_src/, queries/) over ``data``."""
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    for folder in ("site_src", "queries"):
        shutil.copytree(ROOT / folder, work / folder)
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    plugins = []
    for plugin in config.get("plugins", []):
        if plugin == "revpages" or (isinstance(plugin, dict) and "revpages" in plugin):
            options = dict(plugin["revpages"] or {}) if isinstance(plugin, dict) else {}
            options.update({"data_dir": str(data), **duckdb_options})
            plugin = {"revpages": options}
        plugins.append(plugin)
    config["plugins"] = plugins
    (work / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return work


def edit_query(path: Path) -> None:
    """A real edit of a query file: its SQL text changes (a trailing comment)."""
    path.write_text(
        path.read_text(encoding="utf-8").rstrip("\n") + f"\n{EDIT_MARK}\n", encoding="utf-8"
    )


def slowest_report(manifest: dict[str, Any]) -> str:
    """The slowest report of one page (a per: report's file runs once per page)."""
    single = [r for r in manifest["reports"] if r["id"].count("/") == 1]
    return max(single, key=lambda r: (r["seconds"], r["id"]))["id"]


# ---------------------------------------------------------------- running


def bench_size(leads: int, args: argparse.Namespace, env: dict[str, str]) -> SizeResult:
    data = ensure_data(args.data_dir, leads)
    duckdb_options = {
        k: v
        for k, v in (("duckdb_memory_limit", args.memory_limit), ("duckdb_threads", args.threads))
        if v
    }
    duck_args = [
        *(["--memory-limit", args.memory_limit] if args.memory_limit else []),
        *(["--threads", str(args.threads)] if args.threads else []),
    ]
    work = prepare_site(args.data_dir / f"site-{leads}", data, duckdb_options)
    baseline = args.data_dir / f"baseline-{leads}"
    result = SizeResult(leads)
    result.hashing = hashing.measure(data, args.data_dir / f"hashing-{leads}")
    runs: dict[str, list[Run]] = {}
    build = [str(BIN / "revpages"), "build", "--quiet", "--manifest"]
    for _ in range(args.repeat):
        floor = measure(
            [sys.executable, str(BENCH / "floor.py"), str(data), str(work / "queries"), *duck_args],
            cwd=work,
            env=env,
        )
        runs.setdefault("floor", []).append(floor)
        result.floor = json.loads(floor.stdout)
        shutil.rmtree(work / ".cache", ignore_errors=True)
        shutil.rmtree(work / "build", ignore_errors=True)
        shutil.copytree(ROOT / "queries", work / "queries", dirs_exist_ok=True)  # undo (d)
        for name in BUILDS:
            if name == "edit":
                result.edited = slowest_report(result.manifests["cold"])
                edit_query(work / "queries" / f"{result.edited}.sql")
            manifest = args.data_dir / f"manifest-{leads}-{name}.json"  # outside the site
            command = [*build, str(manifest), *(["--force"] if name == "forced" else [])]
            runs.setdefault(name, []).append(measure(command, cwd=work, env=env))
            result.manifests[name] = json.loads(manifest.read_text())
        if not args.quick:
            made = measure(
                [
                    sys.executable,
                    str(BENCH / "baseline.py"),
                    str(data),
                    str(work / "queries"),
                    str(work / "site_src"),
                    str(baseline),
                    *duck_args,
                ],
                cwd=work,
                env=env,
            )
            built = measure([str(BIN / "mkdocs"), "build", "--quiet"], cwd=baseline, env=env)
            runs.setdefault("baseline", []).append(combined(made, built))
    result.runs = {name: median_run(measured) for name, measured in runs.items()}
    result.build_bytes = tree_bytes(work / "build")
    result.pages = report_pages(work / "build")
    result.plotly = plotly_use(work / "build")
    if not args.quick:
        result.baseline_bytes = tree_bytes(baseline / "site")
        result.baseline_page = heaviest_page(baseline / "site")
    return result


def machine() -> dict[str, str]:
    """CPU, cores, memory, system and the versions that matter."""
    cpu = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        names = re.findall(r"^model name\s*:\s*(.+)$", cpuinfo.read_text(), re.MULTILINE)
        cpu = names[0] if names else cpu
    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.is_file():
        kib = int(re.search(r"MemTotal:\s+(\d+)", meminfo.read_text()).group(1))
        memory = f"{kib * 1024 / GiB:.1f} GiB"
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    versions = ", ".join(
        f"{name} {_version(name)}"
        for name in ("revpages", "duckdb", "mkdocs", "mkdocs-material", "plotly")
    )
    return {
        "cpu": cpu,
        "cores": f"{os.cpu_count()} ({usable} usable)",
        "memory": memory,
        "system": platform.platform(),
        "python": platform.python_version(),
        "versions": versions,
    }


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--leads",
        type=int,
        action="append",
        help="sample leads (repeatable; default: 100000 and 1000000)",
    )
    parser.add_argument("--quick", action="store_true", help="skip the hand-written baseline (e)")
    parser.add_argument(
        "--repeat", type=int, default=1, help="measure each step N times and keep the median"
    )
    parser.add_argument(
        "--memory-limit",
        default="1GB",
        help="duckdb_memory_limit for revpages, and the same for (a) and (e)",
    )
    parser.add_argument(
        "--threads",
        type=int,
        default=None,
        help="duckdb_threads for revpages, and the same for (a) and (e)",
    )
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=BENCH / "data",
        help="where exports and working copies are kept (git-ignored)",
    )
    parser.add_argument("--output", type=Path, default=BENCH / "RESULTS.md")
    args = parser.parse_args(argv)
    args.data_dir = args.data_dir.resolve()
    args.data_dir.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "NO_MKDOCS_2_WARNING": "1",
        # One reference time for the whole run: the loaded data stays valid past midnight.
        "SOURCE_DATE_EPOCH": os.environ.get("SOURCE_DATE_EPOCH", str(int(time.time()))),
    }
    started = time.perf_counter()
    load_before = os.getloadavg()
    results = []
    for leads in args.leads or SIZES:
        print(f"benchmarking {leads:,} leads", file=sys.stderr)
        results.append(bench_size(leads, args, env))
    settings = {
        "DuckDB settings (revpages, (a) and (e))": "memory_limit "
        f"{args.memory_limit or 'DuckDB default (80% of RAM)'}, "
        f"threads {args.threads or 'DuckDB default (one per core)'}",
        "repetitions": f"{args.repeat} (median kept)",
    }
    text = render(
        results,
        host=machine(),
        settings=settings,
        load=(load_before, os.getloadavg()),
        seconds=time.perf_counter() - started,
    )
    args.output.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
