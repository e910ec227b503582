"""The site under test: built once per test session in a temporary folder, served on 127.0.0.1.

With report queries in the repository's ``queries/`` the site is the real one, over
``revpages sample-data --leads 2000``; without them (or with REVPAGES_BROWSER_SITE=fixture)
it is a small fixture site (``fixture_site/queries``) over a tiny data set made here.
Either way ``mkdocs.yml`` and ``site_src/`` are the repository's own.
"""

from __future__ import annotations

import csv
import functools
import html
import json
import os
import re
import shutil
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
FIXTURE_QUERIES = Path(__file__).resolve().parent / "fixture_site" / "queries"
SAMPLE_LEADS = 2000
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; worker-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


def uses_real_queries() -> bool:
    if os.environ.get("REVPAGES_BROWSER_SITE") == "fixture":
        return False
    return any((REPO / "queries").glob("*/*.sql"))


def queries_dir() -> Path:
    return REPO / "queries" if uses_real_queries() else FIXTURE_QUERIES


def expected_pages(root: Path = REPO) -> list[str]:
    """URL paths ("" for home, "section/report/") of the pages the sources in ``root`` ask
    for: one per docs page, section and query file (the build may add more)."""
    pages: set[str] = set()
    docs = root / "site_src"
    for path in docs.rglob("*.md"):
        parts = list(path.relative_to(docs).with_suffix("").parts)
        if parts[-1] in ("index", "README"):
            parts.pop()
        pages.add("".join(f"{part}/" for part in parts))
    for folder in sorted((root / "queries").iterdir()):
        if not folder.is_dir() or folder.name.startswith(("_", ".")):
            continue
        pages.add(f"{folder.name}/")
        pages.update(f"{folder.name}/{sql.stem}/" for sql in folder.glob("*.sql"))
    return sorted(pages, key=lambda p: (p.count("/"), p))


def fixture_data(data_dir: Path) -> None:
    """A tiny, deterministic deals export in the data contract (with awkward text in it)."""
    sources = ["paid_search", "organic", "events", "partner"]
    owners = ["Avery Chen", "Smith, Jones & Co", "Müller <GmbH>", 'O\'Brien "OB"']
    stages = ["qualification", "discovery", "proposal", "negotiation", "closed_won", "closed_lost"]
    data_dir.mkdir(parents=True, exist_ok=True)
    with open(data_dir / "deals.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [
                "deal_id",
                "created_at",
                "closed_at",
                "stage",
                "amount",
                "is_closed",
                "is_won",
                "owner",
                "source",
            ]
        )
        for i in range(80):
            stage = (i * 5) % 6
            created = (
                f"2025-{1 + (i * 7) % 12:02d}-{1 + (i * 11) % 28:02d} "
                f"{i % 24:02d}:{(i * 13) % 60:02d}:00"
            )
            closed = created[:10] + " 23:59:00" if stage >= 4 else ""
            writer.writerow(
                [
                    f"D{i:04d}",
                    created,
                    closed,
                    stages[stage],
                    f"{1000 + (i * 7919) % 90000}.00",
                    str(stage >= 4).lower(),
                    str(stage == 4).lower(),
                    owners[i % 4],
                    sources[(i * 3) % 4],
                ]
            )


@dataclass
class BuiltPage:
    path: str  # URL path below the site root: "", "funnel/", "funnel/lead_to_mql/"
    title: str
    figures: list[str] = field(default_factory=list)  # data-figure of each chart
    has_table: bool = False
    has_download: bool = False  # a report page's CSV link; pages that embed reports have none

    @property
    def is_report(self) -> bool:
        return self.has_table and self.has_download


@dataclass
class BuiltSite:
    root: Path  # the built site folder
    url: str  # "http://127.0.0.1:PORT/"
    pages: dict[str, BuiltPage]
    expected: list[str] = field(default_factory=list)  # pages its sources ask for

    def reports(self) -> list[BuiltPage]:
        return [p for p in self.pages.values() if p.is_report]

    def starter_reports(self) -> list[BuiltPage]:
        """The page of every query file of the site, in file order (a per: report's first
        page: its index lists them)."""
        files = sorted(queries_dir().glob("*/*.sql"))
        paths = [f"{f.parent.name}/{f.stem}/" for f in files if not f.parent.name.startswith("_")]
        found = []
        for path in paths:
            if self.pages.get(path, BuiltPage(path, "")).is_report:
                found.append(self.pages[path])
                continue
            inside = sorted(p for p in self.pages if p.startswith(path) and p != path)
            found += [self.pages[p] for p in inside[:1]]
        return found

    def walk(self) -> list[BuiltPage]:
        """The pages a walk over the site visits: every page, except that of the pages a
        ``per:`` report makes for each value only the first stands for the rest (they share
        one template and differ only in their rows, which the build tests check)."""
        seen: set[str] = set()
        pages = []
        for path in sorted(self.pages):
            report = entity_report(path)
            if report is not None:
                if report in seen:
                    continue
                seen.add(report)
            pages.append(self.pages[path])
        return pages

    def one_page_per_template(self) -> list[BuiltPage]:
        """The first page of each kind a reader can open directly: home, a section, a
        report with and one without a chart, a ``per:`` report's index and one of its
        pages, each hand-written page folder (guide, scorecards, ...)."""
        seen, pages = set(), []
        for page in self.walk():
            parts = page.path.strip("/").split("/") if page.path else []
            in_queries = bool(parts) and (queries_dir() / parts[0]).is_dir()
            kind = (
                "reports" if in_queries else (parts[0] if parts else "home"),
                len(parts),
                page.is_report,
                bool(page.figures),
                entity_report(page.path) is not None,
            )
            if kind not in seen:
                seen.add(kind)
                pages.append(page)
        return pages

    def chart_pages(self) -> list[BuiltPage]:
        return [p for p in self.walk() if p.figures]

    def one_page_per_kind(self) -> list[BuiltPage]:
        """The first chart page of each chart kind (by the trace types of its figure)."""
        seen, pages = set(), []
        for page in self.chart_pages():
            for figure in page.figures:
                data = json.loads((self.root / figure).read_text(encoding="utf-8"))
                kind = (
                    tuple(sorted({t.get("type", "scatter") for t in data["data"]})),
                    data.get("layout", {}).get("barmode"),
                    any("stackgroup" in t for t in data["data"]),
                    any(t.get("orientation") == "h" for t in data["data"]),
                    "grid" in data.get("layout", {}),  # small multiples
                    bool(data.get("layout", {}).get("shapes")),  # reference lines and bands
                )
                if kind not in seen:
                    seen.add(kind)
                    pages.append(page)
                    break
        return pages


def entity_report(path: str) -> str | None:
    """``section/report/`` when ``path`` is one of the pages of that ``per:`` report."""
    parts = path.strip("/").split("/")
    if len(parts) != 3 or not (queries_dir() / parts[0] / f"{parts[1]}.sql").is_file():
        return None
    return f"{parts[0]}/{parts[1]}/"


class CSPHandler(SimpleHTTPRequestHandler):
    """Static files with the Content-Security-Policy a locked-down intranet would send."""

    def end_headers(self) -> None:
        self.send_header("Content-Security-Policy", CSP)
        self.send_header("Cache-Control", "no-cache")
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


class SiteServer:
    """A threaded static server bound to 127.0.0.1 on a free port, before the site exists."""

    def __init__(self, root: Path) -> None:
        self.root = root
        handler = functools.partial(CSPHandler, directory=str(root))
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        if self.thread.is_alive():  # shutdown() waits forever for a loop that never ran
            self.httpd.shutdown()
        self.httpd.server_close()


def build_site(workdir: Path, site_url: str) -> Path:
    """Copy the site's sources into ``workdir``, make its data, build it; return the site."""
    shutil.copy(REPO / "mkdocs.yml", workdir / "mkdocs.yml")
    shutil.copytree(REPO / "site_src", workdir / "site_src")
    shutil.copytree(queries_dir(), workdir / "queries")
    revpages = Path(sys.executable).with_name("revpages")
    if uses_real_queries():
        _run(
            [str(revpages), "sample-data", "--output", "data", "--leads", str(SAMPLE_LEADS)],
            workdir,
        )
    else:
        fixture_data(workdir / "data")
    config = (workdir / "mkdocs.yml").read_text(encoding="utf-8")
    # Material's instant navigation only takes links that match site_url (port included).
    config, found = re.subn(r"(?m)^site_url:.*$", f"site_url: {site_url}", config)
    if not found:
        config = f"site_url: {site_url}\n" + config
    config = re.sub(r"(?m)^site_dir:.*$", "site_dir: build", config)
    (workdir / "mkdocs.yml").write_text(config, encoding="utf-8")
    _run([str(revpages), "build", "-q"], workdir)
    return workdir / "build"


def _run(command: list[str], cwd: Path) -> None:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
    if done.returncode:
        raise RuntimeError(
            f"{' '.join(command)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}"
        )


_H1 = re.compile(r"<h1[^>]*>(.*?)</h1>", re.S)
_TAGS = re.compile(r"<[^>]+>")
_FIGURE = re.compile(
    r'class="revpages-chart"[^>]*data-figure="([^"]+)"'
    r'|data-figure="([^"]+)"[^>]*class="revpages-chart"'
)


def read_pages(site: Path) -> dict[str, BuiltPage]:
    """Every page of the built site (404.html aside), by URL path."""
    pages = {}
    for path in sorted(site.rglob("index.html")):
        relative = path.parent.relative_to(site).as_posix()
        url = "" if relative == "." else f"{relative}/"
        if url.startswith(("assets/", "search/")):
            continue
        text = path.read_text(encoding="utf-8")
        h1 = _H1.search(text)
        title = html.unescape(_TAGS.sub("", h1.group(1))).strip().rstrip("¶").strip() if h1 else ""
        figures = [a or b for a, b in _FIGURE.findall(text)]
        pages[url] = BuiltPage(
            url, title, figures, 'class="revpages-table"' in text, "revpages-download" in text
        )
    return pages
