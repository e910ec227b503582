"""One browser tab under watch: console errors, page errors, failed requests, CSP violations
and any request that would leave 127.0.0.1 are recorded, and ``assert_clean`` fails on them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import BrowserContext, ConsoleMessage, Page, Request, Response, Route
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from .site import REPO

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]  # fmt: skip
SCREENSHOTS = REPO / "test-artifacts" / "screenshots"
LOCAL_HOSTS = frozenset({"127.0.0.1"})
LEAVING_LOCALHOST = re.compile(r"^(?!(?:https?|wss?)://127\.0\.0\.1(?:[:/?#]|$)|data:|blob:)")
TIMEOUT_MS = 20_000
DESKTOP = {"width": 1280, "height": 900}

# Runs before any page script, in every document of the context. Test-side only: records
# the page Material has finished setting up (document$ emits after each instant navigation,
# after Material's own components, tables wrapped and so on, have mounted).
WATCH_CSP = """
document.addEventListener("DOMContentLoaded", () => {
  if (window.document$) {
    window.document$.subscribe(() => { window.__revpagesTestPage = location.href; });
  }
});
window.addEventListener("securitypolicyviolation", (event) => {
  window.__revpagesReport({
    directive: event.effectiveDirective || event.violatedDirective,
    blocked: event.blockedURI, source: event.sourceFile, line: event.lineNumber,
    sample: event.sample,
  });
}, true);
"""

CHARTS_SETTLED = """() => {
  const charts = [...document.querySelectorAll(".revpages-chart")];
  return charts.every((c) => c.dataset.state === "drawn" || c.dataset.state === "failed");
}"""

MARK_NAV_LINK = """(url) => {
  document.querySelectorAll("[data-revpages-test-link]")
    .forEach((a) => a.removeAttribute("data-revpages-test-link"));
  const link = [...document.querySelectorAll(".md-sidebar--primary a.md-nav__link[href]")]
    .find((a) => a.href === url);
  if (link) link.setAttribute("data-revpages-test-link", "");
  return Boolean(link);
}"""

# A link a pointer can reach: shown, and not in the closed drawer a narrow screen keeps the
# navigation in (Material shows it as a sidebar from 76.25em).
ON_SCREEN = """(a) => {
  const box = a.getBoundingClientRect();
  return a.checkVisibility({ visibilityProperty: true, opacityProperty: true })
    && box.width > 0 && box.height > 0
    && (matchMedia("(min-width: 76.25em)").matches
        || Boolean(document.getElementById("__drawer")?.checked));
}"""

# Plotly draws a chart as stacked SVG layers: all of them must start at the chart's top-left
# (they are absolutely positioned by Plotly's own stylesheet), and the chart's box must hold
# them (a collapsed box lets the plot spill over the table below).
CHART_STATES = """() => [...document.querySelectorAll(".revpages-chart")].map((c) => {
  const layers = [...c.querySelectorAll(".main-svg")].map((svg) => svg.getBoundingClientRect());
  const box = c.getBoundingClientRect();
  return {
    figure: c.dataset.figure, state: c.dataset.state || "",
    svg: layers.length,
    stacked: layers.every((layer) => Math.abs(layer.top - layers[0].top) < 1
                                   && Math.abs(layer.left - layers[0].left) < 1),
    contained: layers.every((layer) => layer.bottom <= box.bottom + 1),
    width: box.width,
  };
})"""


@dataclass
class Tab:
    """A page in its own browser context, with everything that went wrong on it."""

    page: Page
    base_url: str
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    external_requests: list[str] = field(default_factory=list)
    csp_violations: list[str] = field(default_factory=list)
    checked: bool = False

    def url(self, path: str) -> str:
        return self.base_url + path

    def goto(self, path: str, *, wait_until: str = "load") -> None:
        response = self.page.goto(self.url(path), wait_until=wait_until)
        assert response is not None and response.ok, f"{path}: HTTP {response and response.status}"

    def wait_for_charts(self, timeout_ms: int = TIMEOUT_MS) -> list[dict]:
        """Wait until every chart on the page is drawn or failed; return their states.
        Charts that never settle (the chart script stopped) fail as an assertion."""
        try:
            self.page.wait_for_function(CHARTS_SETTLED, timeout=timeout_ms)
        except PlaywrightTimeoutError:
            states = self.page.evaluate(CHART_STATES)
            raise AssertionError(
                f"charts not drawn on {self.page.url} after {timeout_ms} ms: {states}"
            ) from None
        return self.page.evaluate(CHART_STATES)

    def assert_charts_drawn(
        self, expected: int | None = None, *, timeout_ms: int = TIMEOUT_MS
    ) -> list[dict]:
        states = self.wait_for_charts(timeout_ms)
        if expected is not None:
            assert len(states) == expected, f"expected {expected} charts, found {states}"
        bad = [
            s
            for s in states
            if s["state"] != "drawn" or s["svg"] < 1 or not s["stacked"] or not s["contained"]
        ]
        assert not bad, f"charts not drawn on {self.page.url}: {bad}"
        return states

    def follow(self, path: str, *, real_click: bool = True) -> None:
        """Go to ``path`` by its link in the primary navigation, with instant navigation.

        Fails if the browser loaded a new document instead (a marker on ``window`` would be
        lost). ``real_click=False`` clicks the link from script, for a nav hidden in a drawer;
        so does a link in a closed folder of the navigation.
        """
        target = self.url(path)
        # Material binds instant navigation as it starts, before its first document$: a
        # click any earlier (a busy machine, right after a load) is a plain full load.
        self.page.wait_for_function("() => Boolean(window.__revpagesTestPage)")
        found = self.page.evaluate(MARK_NAV_LINK, target)
        assert found, f"no link to {path or 'home'} in the navigation of {self.page.url}"
        self.page.evaluate("() => { window.__revpagesMarker = 'same document' }")
        link = self.page.locator("a[data-revpages-test-link]").first
        # A per: report's pages sit in a folder the navigation keeps closed, and a phone's
        # navigation is a closed drawer: no pointer can reach those links, so they are
        # clicked from script.
        if real_click and link.evaluate(ON_SCREEN):
            link.click()
        else:
            link.evaluate("(a) => a.click()")
        self.wait_for_page(target)
        marker = self.page.evaluate("() => window.__revpagesMarker")
        assert marker == "same document", f"{path}: a full page load, not instant navigation"

    def visit(self, path: str) -> None:
        """Open ``path`` as a reader walking the site would: by its navigation link from
        the page shown (instant navigation, a fraction of a direct load), or by a direct
        load in a new tab."""
        if self.page.url.startswith(self.base_url):
            self.follow(path)
        else:
            self.goto(path)

    def wait_for_page(self, url: str) -> None:
        """Wait until Material has shown and set up the page at ``url`` (query aside)."""
        self.page.wait_for_url(lambda now: now.split("?")[0].split("#")[0] == url)
        self.page.wait_for_function(
            """url => document.querySelector('link[rel=canonical]')?.href === url
                      && (window.__revpagesTestPage || "").split(/[?#]/)[0] === url""",
            arg=url,
        )

    def problems(self) -> list[str]:
        return (
            [f"request leaving 127.0.0.1: {u}" for u in self.external_requests]
            + [f"CSP violation: {v}" for v in self.csp_violations]
            + [f"page error: {e}" for e in self.page_errors]
            + [f"console error: {e}" for e in self.console_errors]
            + [f"failed request: {r}" for r in self.failed_requests]
        )

    def take_problems(self) -> list[str]:
        """The problems so far, forgotten: for a test that checks page after page."""
        problems = self.problems()
        for found in (
            self.console_errors,
            self.page_errors,
            self.failed_requests,
            self.external_requests,
            self.csp_violations,
        ):
            found.clear()
        return problems

    def assert_clean(self) -> None:
        self.checked = True
        problems = self.problems()
        assert not problems, "problems in the browser:\n  " + "\n  ".join(problems)

    def screenshot(self, name: str, *, full_page: bool = True, folder: str = "") -> Path:
        """A PNG in test-artifacts/screenshots (or its ``folder``, e.g. "reports")."""
        target = SCREENSHOTS / folder if folder else SCREENSHOTS
        target.mkdir(parents=True, exist_ok=True)
        path = target / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=full_page, animations="disabled")
        return path


def watch(context: BrowserContext, base_url: str) -> Tab:
    """Open a page in ``context`` that records every problem on it."""
    tab_holder: list[Tab] = []

    def report_csp(_source: dict, violation: dict) -> None:
        tab_holder[0].csp_violations.append(
            f"{violation.get('directive')} blocked {violation.get('blocked')!r} "
            f"at {violation.get('source')}:{violation.get('line')} {violation.get('sample')!r}"
        )

    def stop_external(route: Route) -> None:
        tab_holder[0].external_requests.append(route.request.url)
        route.abort("blockedbyclient")

    context.expose_binding("__revpagesReport", report_csp)
    context.add_init_script(WATCH_CSP)
    # Only requests leaving 127.0.0.1 are intercepted: the browser matches the pattern
    # itself, so the site's own requests never wait for a round trip to this process.
    context.route(LEAVING_LOCALHOST, stop_external)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    tab = Tab(page, base_url)
    tab_holder.append(tab)

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            location = message.location or {}
            tab.console_errors.append(f"{message.text} ({location.get('url', '')})")

    def on_request_failed(request: Request) -> None:
        failure = request.failure or ""
        # Requests the browser cancels itself (leaving a page, a download) are not failures.
        if "ERR_ABORTED" in failure and urlsplit(request.url).hostname in LOCAL_HOSTS:
            return
        tab.failed_requests.append(f"{request.method} {request.url}: {failure}")

    def on_response(response: Response) -> None:
        if response.status >= 400:
            tab.failed_requests.append(f"HTTP {response.status} {response.url}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: tab.page_errors.append(str(error)))
    page.on("requestfailed", on_request_failed)
    page.on("response", on_response)
    return tab


def shot_name(path: str, suffix: str = "") -> str:
    name = re.sub(r"[^A-Za-z0-9_-]+", "__", path.strip("/")) or "home"
    return name + (f"-{suffix}" if suffix else "")


# --- colours -------------------------------------------------------------------------------

_COLOR = re.compile(r"rgba?\(([^)]+)\)")


def parse_color(text: str) -> tuple[float, float, float, float]:
    """'rgb(1, 2, 3)' / 'rgba(1, 2, 3, 0.5)' -> (r, g, b, alpha) with r, g, b in 0..255."""
    match = _COLOR.search(text)
    assert match, f"not a computed colour: {text!r}"
    parts = [float(p) for p in re.split(r"[,\s/]+", match.group(1).strip()) if p]
    return (parts[0], parts[1], parts[2], parts[3] if len(parts) > 3 else 1.0)


def blend(top: tuple[float, float, float, float], bottom: tuple[float, float, float, float]):
    alpha = top[3]
    return (*(top[i] * alpha + bottom[i] * (1 - alpha) for i in range(3)), 1.0)


def luminance(color: tuple[float, ...]) -> float:
    """WCAG 2 relative luminance of an opaque sRGB colour."""

    def channel(value: float) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in color[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(foreground: tuple[float, ...], background: tuple[float, ...]) -> float:
    """WCAG 2 contrast ratio; a translucent foreground is blended onto the background."""
    background = blend(background, (255.0, 255.0, 255.0, 1.0))
    foreground = blend(foreground, background)
    light, dark = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)
