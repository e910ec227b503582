"""Report tables: the verdict columns first, a long result pivoted into a grid, flagged rows
marked, one format per column, escaped cells."""

from __future__ import annotations

import re

from revpages.pages.csv_download import result_csv
from revpages.pages.tables import column_order, ordered, pivot_html, report_table, table_html
from revpages.reports.queryfile import parse_query_file
from revpages.reports.result import QueryResult
from revpages.reports.spec import Pivot


def query(front: str):
    return parse_query_file(
        f"/*\ntitle: Bias\n{front}\n*/\nselect 1", path="queries/s/q.sql", section="s", name="q"
    )


BIAS = QueryResult(
    ("owner", "metric", "quarters", "wape", "tracking_signal", "bias", "flagged"),
    ("VARCHAR", "VARCHAR", "BIGINT", "DOUBLE", "DOUBLE", "DOUBLE", "BOOLEAN"),
    [
        ("Marcus <Reid>", "bookings", 8, 0.442, -7.3, 0.403, True),
        ("Avery Chen", "bookings", 8, 0.33, 0.06, -0.002, False),
    ],
    0.0,
)
FRONT = (
    "chart: horizontal_bar\nx: owner\ny: bias\n"
    "highlight: {column: flagged, label: Persistent bias}\n"
    "format: {bias: percent, wape: percent}"
)


def cells(html: str) -> list[list[str]]:
    return [re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row) for row in html.split("<tr")[1:]]


def test_verdict_columns_come_first():
    assert column_order(query(FRONT), BIAS.columns) == [
        "owner",
        "flagged",
        "bias",
        "metric",
        "quarters",
        "wape",
        "tracking_signal",
    ]
    table = cells(report_table(query(FRONT), BIAS, limit=50, currency="$"))
    assert table[0] == [
        "Owner",
        "Flagged",
        "Bias",
        "Metric",
        "Quarters",
        "WAPE",
        "Tracking signal",
    ]
    assert table[1] == ["Marcus &lt;Reid&gt;", "Yes", "40.3%", "Bookings", "8", "44.2%", "−7.30"]


def test_a_table_report_keeps_the_order_of_its_sql():
    assert column_order(query("chart: table"), BIAS.columns) == list(BIAS.columns)


def test_flagged_rows_are_marked_as_in_the_chart():
    html = report_table(query(FRONT), BIAS, limit=50, currency="$")
    assert html.count('<tr class="revpages-flagged">') == 1
    assert '<tr class="revpages-flagged"><td>Marcus &lt;Reid&gt;</td>' in html


def test_the_csv_follows_the_table_with_labelled_units():
    lines = result_csv(ordered(query(FRONT), BIAS), query(FRONT).spec.format).splitlines()
    assert lines[0] == (
        "Owner,Flagged,Bias (fraction),Metric,Quarters,WAPE (fraction),Tracking signal"
    )
    assert lines[1] == "Marcus <Reid>,True,0.403,bookings,8,0.442,-7.3"


SPEND = QueryResult(
    ("month", "channel", "spend"),
    ("DATE", "VARCHAR", "DOUBLE"),
    [
        ("2025-01-01", "paid_search", 1200.0),
        ("2025-01-01", "events", 300.0),
        ("2025-02-01", "paid_search", 1500.0),
    ],
    0.0,
)


def test_pivot_turns_a_long_result_into_a_grid():
    html = pivot_html(
        SPEND, Pivot("month", "channel", "spend"), {"spend": "currency"}, limit=50, caption="S"
    )
    assert cells(html) == [
        ["Month", "Paid search", "Events"],
        ["2025-01-01", "$1,200", "$300"],
        ["2025-02-01", "$1,500", ""],
    ]
    assert "All 2 rows. Spend by month and channel; the CSV has one row per pair (3 rows)." in html
    assert (
        'class="revpages-table revpages-table--pivot" data-rows="Month" data-columns="Channel" '
        'data-values="Spend"' in html
    )


def test_one_row_reads_as_one_row():
    one = QueryResult(("n",), ("BIGINT",), [(1,)], 0.0)
    assert "<caption>1 row.</caption>" in table_html(one, {}, limit=50)


def test_wide_tables_say_there_is_more_to_scroll():
    html = table_html(BIAS, {}, limit=50)
    assert html.rstrip().endswith(
        '<p class="revpages-scroll-hint">Scroll sideways for more columns →</p>'
    )
