"""Integration: tiny real sites built for real, checked through the files they produce."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import DEALS_CSV, PIPELINE_SQL, write_tree

WIN_RATE_SQL = """/*
title: Win rate against each competitor
description: Closed deals where the competitor was recorded.
chart: bar
x: competitor
y: win_rate
format: {win_rate: percent, deals: integer}
sort: -win_rate
*/
select competitor, count(*) as deals, avg(is_won::int) as win_rate
from deal_competitors join deals using (deal_id)
where is_closed
group by competitor
order by competitor
"""


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def nav_links(html: str) -> list[str]:
    return re.findall(
        r'class="md-nav__link[^"]*"[^>]*href="([^"]+)"|href="([^"]+)"[^>]*'
        r'class="md-nav__link',
        html,
    )


def test_build_publishes_report_and_section_pages(built_site: Path):
    out = built_site / "build"
    page = read(out / "sales/pipeline/index.html")
    assert "<h1" in page and "Pipeline by stage" in page
    assert 'data-figure="sales/pipeline.json"' in page
    # Stage names read as words; the CSV keeps the data's own values.
    assert '<tr><td>Closed won</td><td class="revpages-num">$5,000</td></tr>' in page
    figure = json.loads(read(out / "sales/pipeline.json"))
    assert figure["data"][0]["type"] == "bar"
    assert sorted(zip(figure["data"][0]["x"], figure["data"][0]["y"], strict=True)) == [
        ("Closed lost", 2000),
        ("Closed won", 5000),
        ("Proposal", 3000),
    ]
    assert read(out / "sales/pipeline.csv").splitlines() == [
        "Stage,Amount ($)",
        "closed_lost,2000.00",
        "closed_won,5000.00",
        "proposal,3000.00",
    ]
    # No period parameter: all the data, up to the one as-of moment of the site.
    assert (
        "3 Jan – 20 Mar 2025 · all data to the as-of moment · data as of 20 Mar 2025, 09:30 UTC"
        in page
    )
    section = read(out / "sales/index.html")
    assert 'href="pipeline/"' in section


def test_a_new_query_file_becomes_a_new_page_in_the_nav(site: Path, build):
    assert build(site).exit_code == 0
    assert not (site / "build/competitive").exists()
    write_tree(
        site / "queries/competitive",
        {
            "win_rate.sql": WIN_RATE_SQL,
            "_section.yml": "title: Competitive intelligence\norder: 1\n",
        },
    )
    result = build(site)
    assert result.exit_code == 0, result.output
    page = read(site / "build/competitive/win_rate/index.html")
    home = read(site / "build/index.html")
    # In the nav of every page, before the 'sales' section (order: 1 < default 100).
    assert "Competitive intelligence" in home
    assert home.index("competitive/") < home.index("sales/")
    assert 'data-figure="competitive/win_rate.json"' in page
    assert "revpages-table" in page and "language-sql" in page
    assert 'href="../win_rate.csv"' in page and "data as of" in page
    csv = read(site / "build/competitive/win_rate.csv").splitlines()
    # The chart's value first, as in the table; headers name the unit of the raw values.
    assert csv == ["Competitor,Win rate (fraction),Deals", "Acme,0.5,2", "Globex,0.5,2"]


def test_sort_orders_table_and_chart(site: Path, build):
    write_tree(
        site / "queries/sales",
        {"pipeline.sql": PIPELINE_SQL.replace("format:", "sort: -amount\nformat:")},
    )
    assert build(site).exit_code == 0
    figure = json.loads(read(site / "build/sales/pipeline.json"))
    assert figure["data"][0]["x"] == ["Closed won", "Proposal", "Closed lost"]


def test_data_from_exports_is_escaped_everywhere(site: Path, build):
    write_tree(
        site / "queries/competitive",
        {
            "notes.sql": """/*
title: Field notes
chart: bar
x: competitor
y: n
*/
select notes as competitor, count(*) as n from deal_competitors
where notes is not null group by 1 order by 1
"""
        },
    )
    assert build(site).exit_code == 0
    page = read(site / "build/competitive/notes/index.html")
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    figure = read(site / "build/competitive/notes.json")
    assert "<script>" not in figure and "&lt;script&gt;" in figure
    assert "'=SUM(A1:A9)" in read(site / "build/competitive/notes.csv")


def test_sql_error_fails_with_location_and_keeps_the_last_site(site: Path, build):
    assert build(site).exit_code == 0
    before = read(site / "build/sales/pipeline/index.html")
    write_tree(
        site / "queries/sales",
        {"broken.sql": "/*\ntitle: Broken\n*/\nselect stage,\n  sum(amout) from deals group by 1"},
    )
    result = build(site)
    assert result.exit_code == 1
    assert result.output.splitlines()[0].startswith(
        "queries/sales/broken.sql:5:7: RP402 Binder error"
    )
    assert "Traceback" not in result.output
    assert read(site / "build/sales/pipeline/index.html") == before
    assert not (site / ".build.staging").exists()


def test_all_broken_files_are_reported_at_once(site: Path, build):
    write_tree(
        site / "queries/sales",
        {
            "a.sql": "/*\ntitle: A\ncahrt: bar\n*/\nselect 1",
            "b.sql": "/*\ntitle: B\n*/\nselect 1 fro deals",
        },
    )
    result = build(site)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0] == (
        "queries/sales/a.sql:3:1: RP210 unknown front-matter key 'cahrt'. "
        "Hint: Did you mean 'chart'?"
    )
    assert lines[1].startswith("queries/sales/b.sql:4:14: RP401 Parser error")
    assert "2 errors" in result.output


def test_strict_build_fails_on_a_warning(site: Path, build):
    write_tree(
        site / "queries/sales",
        {"none.sql": "/* title: None */ select * from deals where amount < 0"},
    )
    assert build(site).exit_code == 0
    result = build(site, "--strict")
    assert result.exit_code == 1
    assert "queries/sales/none.sql:1:19: RP410 the query returned no rows" in result.output


@pytest.mark.slow  # a fresh interpreter: the command as a user runs it
def test_mkdocs_build_strict_fails_on_revpages_warnings(site: Path):
    write_tree(
        site / "queries/sales",
        {"none.sql": "/* title: None */ select * from deals where amount < 0"},
    )
    run = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict"],
        cwd=site,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 1
    assert "queries/sales/none.sql:1:19:" in run.stderr
    assert "Traceback" not in run.stderr


@pytest.mark.slow  # a fresh interpreter: the command as a user runs it
def test_console_script_exit_code_and_message(site: Path):
    write_tree(site / "queries/sales", {"bad.sql": "/*\ntitle: Bad\nchart: pie\n*/\nselect 1"})
    run = subprocess.run(
        [Path(sys.executable).parent / "revpages", "build"],
        cwd=site,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 1
    assert run.stderr.startswith("queries/sales/bad.sql:3:1: RP211 the value 'pie' of 'chart'")
    assert "Traceback" not in run.stderr


def test_site_is_offline_with_one_plotly(built_site: Path):
    out = built_site / "build"
    plotly_copies = [p for p in out.rglob("*") if p.name.startswith("plotly") and p.suffix == ".js"]
    assert [p.relative_to(out).as_posix() for p in plotly_copies] == [
        "assets/revpages/plotly.min.js"
    ]
    cdn = re.compile(r"(?:src|href)=\"(?:https?:)?//(?!127\.0\.0\.1)[^\"]+\.(?:js|css)")
    fonts = re.compile(r"fonts\.(?:googleapis|gstatic)\.com|cdn\.plot\.ly|cdnjs|jsdelivr|unpkg")
    for page in out.rglob("*.html"):
        text = read(page)
        assert not cdn.search(text), page
        assert not fonts.search(text), page


def test_two_builds_are_byte_identical(site: Path, build, tmp_path: Path):
    assert build(site).exit_code == 0
    first = {
        p.relative_to(site / "build"): p.read_bytes()
        for p in (site / "build").rglob("*")
        if p.is_file()
    }
    assert build(site).exit_code == 0
    second = {
        p.relative_to(site / "build"): p.read_bytes()
        for p in (site / "build").rglob("*")
        if p.is_file()
    }
    assert first.keys() == second.keys()
    assert [k for k in first if first[k] != second[k]] == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "title: Sales\nordr: 2\n",
            "queries/sales/_section.yml:2:1: RP214 unknown section key 'ordr'. "
            "Hint: Did you mean 'order'?",
        ),
        (
            "title: Sales\norder: 2\ntitle: B\n",
            "queries/sales/_section.yml:3:1: RP209 the key 'title' appears twice. "
            "Hint: keep one of them.",
        ),
    ],
    ids=["unknown key", "key written twice"],
)
def test_section_yml_problems_are_located(site: Path, build, text: str, message: str):
    write_tree(site / "queries/sales", {"_section.yml": text})
    result = build(site)
    assert result.exit_code == 1
    assert result.output.startswith(message)


def test_query_file_outside_a_section_is_an_error(site: Path, build):
    write_tree(site / "queries", {"loose.sql": "/* title: Loose */ select 1"})
    result = build(site)
    assert result.exit_code == 1
    assert result.output.startswith(
        "queries/loose.sql: RP202 this query file is not directly inside"
    )


def test_missing_data_folder_tells_what_to_do(site: Path, build):
    for path in (site / "data").iterdir():
        path.unlink()
    result = build(site)
    assert result.exit_code == 1
    assert "no CSV, Excel or Parquet files" in result.output
    assert "revpages sample-data" in result.output


def test_titles_are_escaped_in_nav_and_head(site: Path, build):
    write_tree(
        site / "queries/sales",
        {
            "odd.sql": '/*\ntitle: "Odd <i>title</i> & co"\n*/\nselect 1 as a',
            "_section.yml": 'title: "Sales <b>team</b>"\n',
        },
    )
    assert build(site).exit_code == 0
    for page in ("index.html", "sales/odd/index.html"):
        html = read(site / "build" / page)
        assert "<i>title</i>" not in html and "<b>team</b>" not in html
        assert "Odd &lt;i&gt;title&lt;/i&gt; &amp; co" in html
        assert "Sales &lt;b&gt;team&lt;/b&gt;" in html


NO_ROWS_SQL = "/* title: None */ select * from deals where amount < 0"


def test_strict_quiet_fails_on_a_report_with_no_rows(site: Path, build):
    """The nightly workflow's own command: --quiet must not hide warnings from --strict."""
    assert build(site).exit_code == 0
    before = read(site / "build/sales/pipeline/index.html")
    write_tree(site / "queries/sales", {"none.sql": NO_ROWS_SQL})
    result = build(site, "--strict", "--quiet")
    assert result.exit_code == 1, result.output
    assert "queries/sales/none.sql:1:19: RP410 the query returned no rows" in result.output
    assert not (site / "build/sales/none").exists()
    assert read(site / "build/sales/pipeline/index.html") == before


def test_strict_quiet_fails_when_most_of_an_export_is_refused(site: Path, build):
    rows = DEALS_CSV.splitlines()
    # A row without its deal id cannot be placed: it is refused, not kept and flagged.
    refused = [rows[0], rows[1], *("," + r.split(",", 1)[1] for r in rows[2:])]
    write_tree(site / "data", {"deals.csv": "\n".join(refused) + "\n"})
    result = build(site, "--strict", "--quiet")
    assert result.exit_code == 1, result.output
    assert "RP509" in result.output
    assert not (site / "build").exists()


def test_strict_counts_warnings_whatever_the_log_level(site: Path):
    """Counting is the plugin's own: a logger set to ERROR by anyone still fails --strict."""
    import logging

    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort

    write_tree(site / "queries/sales", {"none.sql": NO_ROWS_SQL})
    logger = logging.getLogger("mkdocs")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        config = load_config(str(site / "mkdocs.yml"), strict=True)
        config.plugins.on_startup(command="build", dirty=False)
        try:
            mkdocs_build(config)
            raised = False
        except Abort:
            raised = True
        finally:
            config.plugins.on_shutdown()
    finally:
        logger.setLevel(level)
    assert raised and not (site / "build").exists()
