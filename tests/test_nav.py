"""The automatic navigation: home and hand-written pages, the report sections, the data
pages, then the reference pages of ``nav_last``."""

from __future__ import annotations

from revpages.site.plugin import _nav_with_reports

USER_PAGES = [
    "glossary.md",
    "guide/index.md",
    "guide/queries.md",
    "index.md",
    "scorecards/sales.md",
    "scorecards/marketing.md",
]
SECTIONS = [
    ("Funnel", ["funnel/index.md", "funnel/win_rate.md"]),
    ("Data", ["data-quality.md", "data-contract.md"]),
]


def test_home_and_scorecards_first_then_sections_then_the_reference_pages():
    nav = _nav_with_reports(None, USER_PAGES, SECTIONS, ["glossary.md", "guide"])
    assert nav == [
        "index.md",
        {"Scorecards": ["scorecards/marketing.md", "scorecards/sales.md"]},
        {"Funnel": ["funnel/index.md", "funnel/win_rate.md"]},
        {"Data": ["data-quality.md", "data-contract.md"]},
        "glossary.md",
        {"Guide": ["guide/index.md", "guide/queries.md"]},
    ]


def test_nav_last_is_followed_in_its_order_and_can_be_empty():
    nav = _nav_with_reports(None, USER_PAGES, SECTIONS, ["guide/", "glossary.md"])
    assert nav[-2:] == [{"Guide": ["guide/index.md", "guide/queries.md"]}, "glossary.md"]
    everything_first = _nav_with_reports(None, USER_PAGES, SECTIONS, [])
    assert everything_first[-2:] == SECTIONS_AS_NAV


SECTIONS_AS_NAV = [{title: pages} for title, pages in SECTIONS]


def test_a_written_nav_is_kept_and_the_sections_it_omits_follow_it():
    nav = _nav_with_reports(["index.md", {"Funnel": ["funnel/index.md"]}], USER_PAGES, SECTIONS)
    assert nav == ["index.md", {"Funnel": ["funnel/index.md"]}, SECTIONS_AS_NAV[1]]
