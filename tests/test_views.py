"""Views of a report (``params:``): one per combination of its values, each with the numbers
of the query run alone with those values, selectable on the page, capped by limit_views."""

from __future__ import annotations

import csv
import html
import io
import itertools
import json
import re
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from tests.conftest import MKDOCS_YML, base_files, write_tree

pytestmark = pytest.mark.slow  # a site built each

SEGMENTS = ["enterprise", "<b>smb</b>", 'Mid "market" & co']
AS_OF = "2025-08-14"  # the end of that day: Q3 2025 runs, Q2 2025 is the last complete one
# The windows of the presets at that moment, by hand: [start, end).
WINDOWS = {
    "last_complete_quarter": (datetime(2025, 4, 1), datetime(2025, 7, 1)),
    "quarter_to_date": (datetime(2025, 7, 1), datetime(2025, 8, 15)),
}

VIEWS_SQL = """/*
title: Deals by stage
chart: bar
x: stage
y: amount
format: {amount: currency, deals: integer}
params: {segment: deals.segment, period: [last_complete_quarter, quarter_to_date]}
*/
select stage, count(*) as deals, sum(amount) as amount
from deals
where created_at >= $period_start and created_at < $period_end
  and ($segment is null or segment = $segment)
group by stage
order by stage
"""


def deals() -> list[dict[str, object]]:
    """Sixty deals over Q2 and Q3 2025, three stages, the segments in turn."""
    rows = []
    for i in range(60):
        rows.append(
            {
                "deal_id": f"D{i:03d}",
                "created_at": datetime(2025, 4 + i % 5, 1 + (i * 7) % 28, 9, 0),
                "stage": ["discovery", "proposal", "negotiation"][i % 3],
                "amount": 1000 + 37 * i,
                "owner": "Avery Chen",
                "segment": SEGMENTS[i % len(SEGMENTS)],
            }
        )
    return rows


def deals_csv(rows: list[dict[str, object]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    for row in rows:
        writer.writerow({**row, "created_at": f"{row['created_at']:%Y-%m-%d %H:%M:%S}"})
    return out.getvalue()


def by_hand(rows: list[dict[str, object]], segment: str, period: str) -> dict[str, tuple]:
    """stage -> (deals, amount) of the deals in the period (and segment; All: every one)."""
    start, end = WINDOWS[period]
    found: dict[str, tuple[int, int]] = {}
    for row in rows:
        created = row["created_at"]
        assert isinstance(created, datetime)
        if not start <= created < end or segment not in ("All", row["segment"]):
            continue
        deals_, amount = found.get(str(row["stage"]), (0, 0))
        found[str(row["stage"])] = (deals_ + 1, amount + int(str(row["amount"])))
    return found


def from_csv(text: str) -> dict[str, tuple]:
    rows = list(csv.DictReader(io.StringIO(text)))
    return {r["Stage"]: (int(r["Deals"]), int(float(r["Amount ($)"]))) for r in rows}


def run_alone(site: Path, segment: str, period: str) -> dict[str, tuple]:
    """The report's SQL run by plain DuckDB over the export, with these values bound."""
    sql = VIEWS_SQL.split("*/", 1)[1]
    start, end = WINDOWS[period]
    con = duckdb.connect()
    con.execute("create table deals as select * from read_csv($1)", [str(site / "data/deals.csv")])
    values = {"period_start": start, "period_end": end, "segment": None}
    if segment != "All":
        values["segment"] = segment
    found = con.execute(sql, values).fetchall()
    return {stage: (deals_, int(amount)) for stage, deals_, amount in found}


def views_site(root: Path, **options: object) -> Path:
    files = base_files()
    files["mkdocs.yml"] = {
        **MKDOCS_YML,
        "plugins": ["search", {"revpages": {"calendar_as_of": AS_OF, **options}}],
    }
    files["queries"]["sales"] = {"by_stage.sql": VIEWS_SQL}
    files["data"] = {"deals.csv": deals_csv(deals())}
    write_tree(root, files)
    return root


def page_form(page: str) -> tuple[dict, dict[str, list[str]]]:
    """The views' lookup and each select's options, from a built page."""
    form = re.search(r'<form class="revpages-params" data-views="([^"]+)"', page)
    assert form, "no selectors on the page"
    lookup = json.loads(html.unescape(form.group(1)))
    selects = {
        name: [html.unescape(v) for v in re.findall(r'<option value="([^"]*)"', options)]
        for name, options in re.findall(r'<select name="(\w+)"[^>]*>(.*?)</select>', page)
    }
    return lookup, selects


def test_every_view_has_the_numbers_of_its_values(tmp_path: Path, build):
    site = views_site(tmp_path)
    result = build(site, "--strict")
    assert result.exit_code == 0, result.output
    out = site / "build"
    page = (out / "sales/by_stage/index.html").read_text(encoding="utf-8")
    lookup, selects = page_form(page)
    assert selects == {
        "segment": ["All", *sorted(SEGMENTS)],
        "period": ["last_complete_quarter", "quarter_to_date"],
    }
    assert "<b>smb</b>" not in page  # export values are escaped in the selector
    combinations = list(itertools.product(selects["segment"], selects["period"]))
    assert len(lookup["keys"]) == len(combinations) == 8
    rows = deals()
    for segment, period in combinations:
        key = lookup["keys"][f"{segment}\u001f{period}"]
        view = json.loads((out / lookup["folder"] / f"{key}.json").read_text(encoding="utf-8"))
        assert view["values"] == {"segment": segment, "period": period}
        shown = from_csv((out / view["csv"]).read_text(encoding="utf-8"))
        expected = by_hand(rows, segment, period)
        assert expected, (segment, period)  # every view has deals to compare
        assert shown == expected, (segment, period)
        assert run_alone(site, segment, period) == expected, (segment, period)
        rows_said = f"{len(expected)} row{'s' if len(expected) > 1 else ''}"
        assert view["csvText"] == f"Download CSV ({rows_said})"
        drawn = re.search(r'data-figure="([^"]+)"', view["body"])
        assert drawn, view["body"]
        figure = json.loads((out / drawn.group(1)).read_text(encoding="utf-8"))
        assert sum(figure["data"][0]["y"]) == sum(a for _, a in expected.values())
    # The page itself is the default view (All, the site's period): its figure and CSV.
    default = lookup["keys"]["All\u001flast_complete_quarter"]
    view = json.loads((out / lookup["folder"] / f"{default}.json").read_text(encoding="utf-8"))
    assert view["csv"] == "sales/by_stage.csv" and 'data-figure="sales/by_stage.json"' in page
    assert view["body"] in page and view["table"] in page
    assert not (out / lookup["folder"] / f"{default}.csv").exists()
    assert "1 Apr – 30 Jun 2025" in page


def test_the_views_follow_the_site_period_and_keep_their_file_names(tmp_path: Path, build):
    site = views_site(tmp_path / "a", calendar_period="quarter_to_date")
    assert build(site).exit_code == 0
    page = (site / "build/sales/by_stage/index.html").read_text(encoding="utf-8")
    assert re.search(r'<option value="quarter_to_date" selected>', page)
    other = views_site(tmp_path / "b")
    assert build(other).exit_code == 0
    assert (
        page_form(page)[0]
        == page_form((other / "build/sales/by_stage/index.html").read_text(encoding="utf-8"))[0]
    )


def test_more_views_than_the_limit_fail_with_the_option_named(tmp_path: Path, build):
    site = views_site(tmp_path, limit_views=5)
    result = build(site)
    assert result.exit_code == 1
    assert "RP317 'params' makes 8 views (every combination of its values), more than " in (
        result.output
    )
    assert "limit_views (5)" in result.output and "sales/by_stage.sql:7:1" in result.output


def test_values_can_come_from_a_select_over_the_contract(tmp_path: Path, build):
    site = views_site(tmp_path)
    report = site / "queries/sales/by_stage.sql"
    report.write_text(
        VIEWS_SQL.replace(
            "params: {segment: deals.segment,",
            "params: {segment: \"select segment from deals where segment <> 'enterprise' "
            'order by segment desc",',
        ),
        encoding="utf-8",
    )
    result = build(site, "--strict")
    assert result.exit_code == 0, result.output
    page = (site / "build/sales/by_stage/index.html").read_text(encoding="utf-8")
    others = sorted((s for s in SEGMENTS if s != "enterprise"), reverse=True)
    assert page_form(page)[1]["segment"] == ["All", *others]
