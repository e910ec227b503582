"""Fixtures of the browser suite: the built and served site, Debian's chromium, watched tabs.

Playwright drives /usr/bin/chromium (``make chromium`` installs it); it never downloads a
browser of its own. Each xdist worker builds and serves its own copy of the site.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright

from .browsing import CHROMIUM, CHROMIUM_ARGS, DESKTOP, SCREENSHOTS, Tab, watch
from .site import BuiltSite, SiteServer, build_site, expected_pages, read_pages

STARTED = time.time()


def clear_old_screenshots() -> None:
    """Keep only this run's screenshots. Every xdist worker does this before its first
    screenshot; a file older than this process can only be from an earlier run."""
    for old in SCREENSHOTS.glob("*.png"):
        with contextlib.suppress(FileNotFoundError):
            if old.stat().st_mtime < STARTED:
                old.unlink()


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BuiltSite]:
    clear_old_screenshots()
    workdir = tmp_path_factory.mktemp("browser-site")
    build_dir = workdir / "build"
    server = SiteServer(build_dir)
    try:
        build_site(workdir, server.url)
        server.start()
        yield BuiltSite(build_dir, server.url, read_pages(build_dir), expected_pages(workdir))
    finally:
        server.stop()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).is_file():
        pytest.fail(f"{CHROMIUM} is missing: run 'make chromium' (apt-get install chromium).")
    with sync_playwright() as playwright:
        # A plain launch starts with a fresh temporary profile, removed at close.
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture
def open_tab(
    browser: Browser,
    site: BuiltSite,
    request: pytest.FixtureRequest,
) -> Iterator[Callable[..., Tab]]:
    """Open watched tabs; any problem a test did not check itself fails it at teardown."""
    tabs: list[Tab] = []
    contexts = []

    def open_tab(**context_options) -> Tab:
        options = {
            "viewport": DESKTOP,
            "base_url": site.url,
            "color_scheme": "light",
            "reduced_motion": "reduce",
            **context_options,
        }
        context = browser.new_context(**options)
        contexts.append(context)
        tab = watch(context, site.url)
        tabs.append(tab)
        return tab

    yield open_tab
    unchecked = [p for tab in tabs if not tab.checked for p in tab.problems()]
    for context in contexts:
        context.close()
    report = getattr(request.node, "rep_call", None)
    if unchecked and (report is None or report.passed):
        pytest.fail("problems in the browser:\n  " + "\n  ".join(unchecked))


@pytest.fixture
def tab(open_tab: Callable[..., Tab]) -> Tab:
    return open_tab()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report
