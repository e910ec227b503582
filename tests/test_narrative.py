"""Narrative pages: `[[chart ...]]` and `[[table ...]]` markers in hand-written pages."""

from __future__ import annotations

from pathlib import Path

import pytest

from revpages.pages.narrative import Embed, check_pages, expand_markers, find_markers
from tests.conftest import write_tree

EMBEDS = {
    "sales/pipeline": Embed(
        "Pipeline <by> stage",
        "sales/pipeline.md",
        "<table>T</table>\n",
        '<div class="revpages-chart" data-figure="sales/pipeline.json"></div>\n',
    ),
    "sales/deals": Embed("Deals", "sales/deals.md", "<table>D</table>\n", None, draws_chart=False),
}
REPORTS = {"sales/pipeline": True, "sales/deals": False}


def errors_of(text: str) -> list[str]:
    return [e.message() for e in check_pages([("site_src/story.md", text)], REPORTS)]


def test_markers_on_their_own_line_outside_code():
    text = (
        "# Story\n[[chart sales/pipeline]]\n  [[ table   sales/deals ]]  \n"
        "Inline [[chart sales/pipeline]] is text.\n"
        "```md\n[[chart nowhere/x]]\n```\n"
        "~~~~\n```\n[[chart nowhere/y]]\n~~~~\n"
        "    [[chart indented/code]]\n"
        "[[Some wiki page]]\n[[see also]]\n"
    )
    found = [(m.kind, m.report_id, m.line, m.column) for m in find_markers(text)]
    assert found == [("chart", "sales/pipeline", 2, 1), ("table", "sales/deals", 3, 3)]


def test_expansion_puts_chart_and_table_with_a_relative_link():
    text = "Intro.\n[[chart sales/pipeline]]\nMiddle.\n[[table sales/deals]]\nEnd.\n"
    html, errors = expand_markers(
        text, path="site_src/story/q1.md", page_uri="story/q1.md", embeds=EMBEDS
    )
    assert errors == []
    assert 'data-figure="sales/pipeline.json"' in html and "<table>D</table>" in html
    assert "[Pipeline &lt;by&gt; stage: full report, SQL and CSV](../sales/pipeline.md)" in html
    assert "(../sales/deals.md)" in html
    assert html.index("Intro.") < html.index("revpages-chart") < html.index("Middle.")
    assert html.index("Middle.") < html.index("<table>D") < html.index("End.")


@pytest.mark.parametrize(
    "marker, message",
    [
        (
            "[[chart sales/pipelin]]",
            "site_src/story.md:3:9: RP603 unknown report 'sales/pipelin' in "
            "'[[chart sales/pipelin]]'. "
            "Hint: Did you mean 'sales/pipeline'?",
        ),
        (
            "[[chrat sales/pipeline]]",
            "site_src/story.md:3:3: RP601 unknown embed kind 'chrat' in "
            "'[[chrat sales/pipeline]]'. "
            "Hint: Did you mean 'chart'?",
        ),
        (
            "[[chart sales/deals]]",
            "site_src/story.md:3:3: RP604 the report 'sales/deals' has no chart (chart: table). "
            "Hint: embed its table: [[table sales/deals]].",
        ),
        (
            "[[table]]",
            "site_src/story.md:3:8: RP602 the marker '[[table]]' names no report. Hint: write "
            "[[table section/report]], e.g. the path of the query file in queries/.",
        ),
        (
            "[[chart zzz/qqq]]",
            "site_src/story.md:3:9: RP603 unknown report 'zzz/qqq' in '[[chart zzz/qqq]]'. Hint: "
            "reports are named section/report after queries/<section>/<report>.sql; this site has "
            "'sales/deals', 'sales/pipeline'.",
        ),
    ],
)
def test_broken_markers_are_located_with_a_hint(marker: str, message: str):
    assert errors_of(f"# Story\n\n{marker}\n") == [message]


def test_errors_count_lines_of_the_whole_file_after_front_matter():
    source = "---\ntitle: Story\n---\n\n# Story\n[[chart sales/nope]]\n"
    body = "# Story\n[[chart sales/nope]]\n"
    html, errors = expand_markers(
        body, path="site_src/s.md", page_uri="s.md", embeds=EMBEDS, source=source
    )
    assert [e.message().split(": ")[0] for e in errors] == ["site_src/s.md:6:9"]
    assert "revpages-error" in html and "unknown report" in html


def test_error_boxes_are_escaped():
    html, _ = expand_markers("[[chart <b>x</b>]]\n", path="p.md", page_uri="p.md", embeds=EMBEDS)
    assert "<b>x</b>" not in html and "&lt;b&gt;x&lt;/b&gt;" in html


STORY = """---
title: Q1 story
---

# Q1 story

Closed deals moved the pipeline:

[[chart sales/pipeline]]

The numbers behind it:

[[table sales/pipeline]]

```text
[[chart not/a_marker]]
```
"""


def test_a_narrative_page_embeds_live_numbers(site: Path, build):
    write_tree(site / "site_src", {"stories": {"q1.md": STORY}})
    result = build(site, "--strict")
    assert result.exit_code == 0, result.output
    page = (site / "build/stories/q1/index.html").read_text()
    assert 'data-figure="sales/pipeline.json"' in page
    assert "<td>Closed won</td>" in page and "$5,000" in page
    assert 'href="../../sales/pipeline/"' in page
    assert "[[chart not/a_marker]]" in page


def test_a_broken_marker_fails_the_build_with_its_location(site: Path, build):
    write_tree(
        site / "site_src",
        {
            "stories": {
                "q1.md": STORY.replace("[[table sales/pipeline]]", "[[tabel sales/pipeline]]")
            }
        },
    )
    result = build(site)
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == (
        "site_src/stories/q1.md:13:3: RP601 unknown embed kind 'tabel' in "
        "'[[tabel sales/pipeline]]'. Hint: Did you mean 'table'?"
    )
    assert not (site / "build").exists()
