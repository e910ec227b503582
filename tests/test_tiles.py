"""KPI tiles: the number as the table shows it, with its unit, its target and its course."""

from __future__ import annotations

import re

import pytest

from revpages.errors import ChartSpecError
from revpages.pages.tables import report_table
from revpages.pages.tiles import check_tiles, tiles_html
from revpages.reports.queryfile import parse_query_file
from revpages.reports.result import QueryResult


def query(front: str):
    return parse_query_file(
        f"/*\ntitle: Speed <to> lead\n{front}\n*/\nselect 1",
        path="queries/s/q.sql",
        section="s",
        name="q",
    )


SPEED = QueryResult(
    ("median_minutes", "within_1_hour", "velocity", "within_1_hour_by_month"),
    ("DOUBLE", "DOUBLE", "DOUBLE", "DOUBLE[]"),
    [(68.58, 0.441, 90189.4999, [0.39, 0.43, 0.41, 0.37])],
    0.0,
)
FRONT = (
    "chart: kpi\ny: [median_minutes, within_1_hour, velocity]\n"
    "reference: {y: within_1_hour, value: 0.8, label: SLA target, better: higher}\n"
    "sparkline: {within_1_hour: within_1_hour_by_month}\n"
    "format: {median_minutes: minutes, within_1_hour: percent, velocity: currency}"
)


def tiles(html: str) -> dict[str, str]:
    found = re.findall(
        r'revpages-tile__label">(.*?)</p><p class="revpages-tile__value">(.*?)</p>', html
    )
    return dict(found)


def test_each_tile_reads_like_its_table_cell():
    html = tiles_html(query(FRONT), SPEED)
    assert tiles(html) == {
        "Median minutes": "69 min",
        "Within 1 hour": "44.1%",
        "Velocity": "$90,189",
    }
    table = report_table(query(FRONT), SPEED, limit=50, currency="$")
    for value in tiles(html).values():
        assert f">{value}</td>" in table
    assert 'role="list" aria-label="Key numbers: Speed &lt;to&gt; lead"' in html


def test_a_target_says_whether_the_tile_meets_it():
    html = tiles_html(query(FRONT), SPEED)
    assert "SLA target: ≥ 80.0% · " in html and "✗ missed" in html
    met = QueryResult(SPEED.columns, SPEED.types, [(5.0, 0.9, 1.0, None)], 0.0)
    assert "✓ met" in tiles_html(query(FRONT), met)


def test_a_sparkline_draws_the_recent_values_and_says_where_they_went():
    html = tiles_html(query(FRONT), SPEED)
    assert html.count("<svg") == 1 and 'aria-hidden="true"' in html
    assert re.search(r'<polyline points="0\.0,[\d.]+ 40\.0,[\d.]+ 80\.0,[\d.]+ 120\.0,', html)
    assert "Trend: 39.0% → 37.0%" in html
    # The list itself is drawn, not listed in the table.
    assert "Within 1 hour by month" not in report_table(query(FRONT), SPEED, limit=5, currency="$")


def test_tiles_need_one_row_of_numbers():
    with pytest.raises(ChartSpecError, match="exactly one row"):
        check_tiles(query(FRONT), QueryResult(SPEED.columns, SPEED.types, SPEED.rows * 2, 0.0))
    text = QueryResult(("latest",), ("TIMESTAMP",), [(None,)], 0.0)
    with pytest.raises(ChartSpecError, match="holds TIMESTAMP values"):
        check_tiles(query("chart: kpi\ny: latest"), text)
