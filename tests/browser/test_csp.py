"""The site runs under a strict Content-Security-Policy: script-src 'self', no inline script.

Every page test records CSP violations (``securitypolicyviolation`` events and the console
messages Chromium prints); these tests check the policy is really in force and that the
built pages carry no executable inline script for it to block.
"""

from __future__ import annotations

import urllib.request

import pytest

from revpages.site.inline_scripts import INLINE_DIR, externalize_scripts

from .browsing import Tab
from .site import CSP, BuiltSite

pytestmark = pytest.mark.browser


def test_the_server_sends_the_policy(site: BuiltSite) -> None:
    with urllib.request.urlopen(site.url, timeout=10) as response:
        assert response.headers["Content-Security-Policy"] == CSP
        assert "script-src 'self';" in CSP and "unsafe-inline" not in CSP.split("style-src")[0]


def test_built_pages_have_no_inline_script(site: BuiltSite) -> None:
    """Material's inline scripts were moved into files that exist (404.html aside)."""
    for page in sorted(site.root.rglob("index.html")):
        text = page.read_text(encoding="utf-8")
        url = page.parent.relative_to(site.root).as_posix()
        unchanged, moved = externalize_scripts(text, "" if url == "." else url + "/")
        assert not moved, f"{page}: inline scripts left: {list(moved.values())}"
        assert unchanged == text
        assert f"{INLINE_DIR}/" in text
    scripts = list((site.root / INLINE_DIR).glob("*.js"))
    assert scripts, "no moved scripts were written"


def test_a_violation_fails_the_test(site: BuiltSite, tab: Tab) -> None:
    """The guard itself: an inline script the policy blocks is recorded and fails the check."""
    tab.goto("")
    tab.page.evaluate("""() => {
      const script = document.createElement("script");
      script.textContent = "window.__ran = true";
      document.body.append(script);
    }""")
    for _ in range(100):  # the violation report arrives asynchronously
        if tab.csp_violations:
            break
        tab.page.wait_for_timeout(20)
    assert tab.page.evaluate("() => window.__ran") is None
    assert any("script-src" in v for v in tab.csp_violations), tab.csp_violations
    with pytest.raises(AssertionError, match="CSP violation"):
        tab.assert_clean()


def test_palette_and_scope_scripts_still_run(site: BuiltSite, tab: Tab) -> None:
    """The moved scripts run: Material's storage scope is set and the palette is restored."""
    tab.goto("")
    assert tab.page.evaluate("() => typeof __md_scope === 'object' && __md_scope.href") == (
        site.url
    )
    tab.page.locator("form[data-md-component=palette] label:visible").click()
    tab.page.wait_for_function("() => document.body.dataset.mdColorScheme === 'slate'")
    report = site.chart_pages()[0]
    tab.goto(report.path)  # a full load at another depth: the palette script restores it
    assert tab.page.evaluate("() => document.body.dataset.mdColorScheme") == "slate"
    assert tab.page.evaluate("() => __md_scope.href") == site.url
    tab.assert_clean()
