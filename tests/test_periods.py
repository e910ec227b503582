"""Running periods and immature cohorts drawn as such, and period-over-period changes: on
the chart JSON, in the table, on KPI tiles and in the window line."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import revpages.site.assets
from revpages.derive.calendar import Calendar, CalendarOptions
from revpages.pages.charts import build_figure
from revpages.pages.compare import BAD, GOOD, Change, Comparison, change_columns
from revpages.pages.palette import CHANGE_COLORS, ColorMap
from revpages.pages.periods import Mark, row_marks, window_text
from revpages.pages.tables import report_table, table_html
from revpages.pages.tiles import tiles_html
from revpages.reports.queryfile import parse_query_file
from revpages.reports.result import QueryResult

CALENDAR = Calendar(CalendarOptions(), datetime(2026, 10, 31, 8, 36, 11))
RUNNING = CALENDAR.running()


def query(front: str):
    return parse_query_file(
        f"/*\ntitle: T\n{front}\n*/\nselect 1", path="queries/s/q.sql", section="s", name="q"
    )


def result(columns, types, rows):
    return QueryResult(tuple(columns), tuple(types), rows, 0.0)


QUARTERS = result(
    ["quarter", "bookings"],
    ["VARCHAR", "DOUBLE"],
    [("Q2 2026", 100.0), ("Q3 2026", 120.0), ("Q4 2026", 40.0)],
)
MONTHS = result(
    ["month", "leads"],
    ["DATE", "BIGINT"],
    [(date(2026, 8, 1), 10), (date(2026, 9, 1), 12), (date(2026, 10, 1), 5)],
)


def marks_of(front: str, data: QueryResult) -> list:
    return row_marks(query(front), data, RUNNING)


def test_a_running_quarter_label_is_to_date():
    marks = marks_of("chart: bar\nx: quarter", QUARTERS)
    assert marks[:2] == [None, None]
    assert marks[2].text() == "to date, 33 %"


def test_a_date_is_read_as_the_grain_its_column_names():
    assert [m and m.text() for m in marks_of("chart: line\nx: month", MONTHS)] == [
        None,
        None,
        "to date, 98 %",
    ]
    # 1 January starts the running year, not a running month: a monthly chart leaves it.
    january = result(["month", "n"], ["DATE", "BIGINT"], [(date(2026, 1, 1), 1)])
    assert marks_of("chart: bar\nx: month", january) == [None]
    years = result(["year_start", "n"], ["DATE", "BIGINT"], [(date(2026, 1, 1), 1)])
    assert marks_of("chart: bar\nx: year_start", years)[0].text() == "to date, 83 %"


def test_result_columns_say_complete_and_mature_themselves():
    data = result(
        ["cohort", "rate", "is_complete", "fraction_elapsed", "is_mature"],
        ["VARCHAR", "DOUBLE", "BOOLEAN", "DOUBLE", "BOOLEAN"],
        [("A", 0.1, True, 1.0, True), ("B", 0.1, True, 1.0, False), ("C", 0.0, False, 0.5, False)],
    )
    marks = marks_of("chart: line\nx: cohort", data)
    assert marks == [None, Mark("immature"), Mark("to date", 0.5)]


def test_running_bars_are_lighter_hatched_and_say_so():
    figure = build_figure(
        query("chart: bar\nx: quarter\ny: bookings"),
        QUARTERS,
        colors=ColorMap(),
        marks=marks_of("chart: bar\nx: quarter", QUARTERS),
    )
    bar = figure["data"][0]
    assert bar["marker"]["pattern"]["shape"] == ["", "", "/"]
    assert bar["marker"]["opacity"] == [1, 1, 0.5]
    assert [row[-1] for row in bar["customdata"]] == ["", "", " (to date, 33 %)"]
    assert bar["hovertemplate"].startswith("Quarter: %{customdata[0]}%{customdata[2]}<br>")
    notes = figure["layout"]["annotations"]
    assert [(n["x"], n["text"]) for n in notes] == [("Q4 2026", "to date, 33 %")]


def test_a_line_ends_dashed_over_a_band_where_it_is_not_final():
    front = "chart: line\nx: month\ny: leads"
    figure = build_figure(query(front), MONTHS, colors=ColorMap(), marks=marks_of(front, MONTHS))
    solid, dashed = figure["data"]
    assert solid["x"] == ["2026-08-01", "2026-09-01"] and "dash" not in solid["line"]
    assert dashed["x"] == ["2026-09-01", "2026-10-01"] and dashed["line"]["dash"] == "dash"
    assert dashed["marker"]["symbol"] == ["circle", "circle-open"]
    assert dashed["showlegend"] is False and dashed["legendgroup"] == solid["legendgroup"]
    (band,) = figure["layout"]["shapes"]
    assert (band["x0"], band["x1"], band["yref"]) == ("2026-09-01", "2026-10-01", "paper")
    # Translucent like a reference band: the chart script gives it each theme's grey.
    assert band["type"] == "rect" and band["opacity"] < 0.5 and band["layer"] == "below"
    assert figure["layout"]["showlegend"] is False  # one series, drawn in two parts


def test_mark_columns_are_read_not_drawn():
    data = result(
        ["month", "leads", "is_complete", "fraction_elapsed"],
        ["DATE", "BIGINT", "BOOLEAN", "DOUBLE"],
        [(date(2026, 9, 1), 12, True, 1.0), (date(2026, 10, 1), 5, False, 0.98)],
    )
    figure = build_figure(query("chart: bar\nx: month"), data, colors=ColorMap())
    assert [t["name"] for t in figure["data"]] == ["Leads"]


def test_the_table_says_to_date_after_the_label_and_hides_the_mark_columns():
    data = result(
        ["quarter", "bookings", "is_complete", "fraction_elapsed"],
        ["VARCHAR", "DOUBLE", "BOOLEAN", "DOUBLE"],
        [("<b>Q3</b>", 120.0, True, 1.0), ("Q4 2026", 40.0, False, 0.33)],
    )
    marks = marks_of("chart: bar\nx: quarter", data)
    html = table_html(data, {}, limit=10, marks=marks, row_label="quarter")
    assert "<td>Q4 2026 (to date, 33 %)</td>" in html
    assert '<tr class="revpages-marked">' in html and "&lt;b&gt;Q3&lt;/b&gt;" in html
    assert "Is complete" not in html and "Fraction elapsed" not in html


def test_changes_read_in_points_for_rates_and_percent_otherwise():
    assert Change(0.312, 0.291, "percent", "higher").text() == "▲ +2.1 pp"
    assert Change(0.312, 0.291, "percent", "higher").tone == "better"
    assert Change(30.0, 40.0, "days", "lower").text() == "▼ −25.0 %"
    assert Change(30.0, 40.0, "days", "lower").tone == "better"
    assert Change(50.0, 40.0, "days", "lower").tone == "worse"
    assert Change(50.0, 40.0, "days", None).tone == "neutral"
    assert Change(5.0, None, None, "higher").text() == ""


def test_comparisons_become_table_columns_matched_by_label():
    front = "chart: bar\nx: owner\ny: win_rate\nformat: {win_rate: percent}\n"
    front += "compare: [prior]\nbetter: {win_rate: higher}"
    current = result(
        ["owner", "deals", "win_rate"],
        ["VARCHAR", "BIGINT", "DOUBLE"],
        [("Ann", 10, 0.5), ("Bo", 4, 0.25)],
    )
    prior = result(
        ["owner", "deals", "win_rate"], ["VARCHAR", "BIGINT", "DOUBLE"], [("Bo", 8, 0.5)]
    )
    columns = change_columns(query(front), current, [Comparison("prior", "Q2 2026", prior)], "$")
    assert columns == [
        ("Win rate vs Q2 2026", [("", "neutral"), ("▼ −25.0 pp (was 50.0%)", "worse")])
    ]
    html = table_html(current, {}, limit=5, changes=columns)
    assert '<td class="revpages-change revpages-worse">▼ −25.0 pp (was 50.0%)' in html
    assert '<span class="revpages-visually-hidden"> (worse)</span>' in html


def test_a_kpi_tile_shows_its_change_against_each_comparison():
    front = "chart: kpi\ny: [win_rate, cycle]\nformat: {win_rate: percent, cycle: days}\n"
    front += "compare: [prior, last_year]\nbetter: {win_rate: higher, cycle: lower}"
    columns, types = ["win_rate", "cycle"], ["DOUBLE", "DOUBLE"]
    current = result(columns, types, [(0.3, 30.0)])
    comparisons = (
        Comparison("prior", "Q2 2026", result(columns, types, [(0.25, 40.0)])),
        Comparison("last_year", "Q3 2025", result(columns, types, [(0.35, 20.0)])),
    )
    assert build_figure(query(front), current, colors=ColorMap()) is None  # tiles are HTML
    html = tiles_html(query(front), current, comparisons=comparisons)
    rate, cycle = html.split('role="listitem"')[1:]
    assert (
        '<p class="revpages-tile__change revpages-better">▲ +5.0 pp vs Q2 2026'
        '<span class="revpages-visually-hidden"> (better)</span></p>'
        '<p class="revpages-tile__change revpages-worse">▼ −5.0 pp vs Q3 2025'
    ) in rate
    assert 'revpages-better">▼ −25.0 % vs Q2 2026' in cycle  # faster: lower is better
    assert 'revpages-worse">▲ +50.0 % vs Q3 2025' in cycle


def test_the_window_line_states_dates_and_the_as_of():
    assert window_text(CALENDAR, uses_period=True, first_event=None) == (
        "1 Jul – 30 Sep 2026 · Q3 2026 · data as of 31 Oct 2026, 08:36 UTC"
    )
    assert window_text(CALENDAR, uses_period=False, first_event=datetime(2024, 5, 1, 2)) == (
        "1 May 2024 – 31 Oct 2026 · all data to the as-of moment · data as of 31 Oct 2026, "
        "08:36 UTC"
    )
    assert "unknown" not in window_text(CALENDAR, uses_period=False, first_event=None)


def test_changes_read_in_each_themes_shade_in_the_table_and_the_tiles():
    css = (Path(revpages.site.assets.__file__).parent / "revpages.css").read_text("utf-8")
    for tone, color in (("better", GOOD), ("worse", BAD)):
        light, dark = CHANGE_COLORS[color]
        assert f'[data-md-color-scheme="default"] .revpages-{tone} {{ color: {light}; }}' in css
        assert f'[data-md-color-scheme="slate"] .revpages-{tone} {{ color: {dark}; }}' in css


def test_a_stacked_area_marks_the_running_month_in_a_series_with_no_row_for_it():
    data = result(
        ["month", "channel", "leads"],
        ["DATE", "VARCHAR", "BIGINT"],
        [
            (date(2026, 9, 1), "email", 4),
            (date(2026, 9, 1), "events", 2),
            (date(2026, 10, 1), "email", 3),
        ],
    )
    front = "chart: area\nx: month\ny: leads\ncolor: channel"
    figure = build_figure(query(front), data, colors=ColorMap(), marks=marks_of(front, data))
    email, events = figure["data"]
    for trace in email, events:
        assert trace["x"] == ["2026-09-01", "2026-10-01"]
        assert trace["marker"]["symbol"] == ["circle", "circle-open"]
        note = trace["meta"]["note"]
        assert [row[note] for row in trace["customdata"]] == ["", " (to date, 98 %)"]
    assert events["y"] == [2, 0]  # stacked as a zero, and said to be to date


def test_small_multiples_shade_every_panel_and_note_the_first():
    data = result(
        ["month", "competitor", "rate"],
        ["DATE", "VARCHAR", "DOUBLE"],
        [(d, c, 0.5) for c in ("Acme", "Globex") for d in (date(2026, 9, 1), date(2026, 10, 1))],
    )
    front = "chart: line\nx: month\ny: rate\nfacet: competitor"
    figure = build_figure(query(front), data, colors=ColorMap(), marks=marks_of(front, data))
    bands = figure["layout"]["shapes"]
    assert [(b["xref"], b["yref"]) for b in bands] == [("x", "y domain"), ("x2", "y2 domain")]
    notes = [n for n in figure["layout"]["annotations"] if not n["xref"].endswith("domain")]
    assert [(n["xref"], n["text"]) for n in notes] == [("x", "to date, 98 %")]


def test_a_pivoted_table_says_to_date_after_the_row_label():
    front = "chart: line\nx: month\ny: leads\npivot: {rows: month, columns: channel, values: leads}"
    data = result(
        ["month", "channel", "leads"],
        ["DATE", "VARCHAR", "BIGINT"],
        [(date(2026, 9, 1), "email", 4), (date(2026, 10, 1), "email", 3)],
    )
    html = report_table(query(front), data, limit=10, currency="$", marks=marks_of(front, data))
    assert "<td>2026-09-01</td>" in html
    assert '<tr class="revpages-marked"><td>2026-10-01 (to date, 98 %)</td>' in html


def test_a_marked_funnel_stage_says_so_after_its_number():
    data = result(["stage", "leads"], ["VARCHAR", "BIGINT"], [("Inquiry", 10), ("Won", 2)])
    marks = [None, Mark("immature")]
    figure = build_figure(
        query("chart: funnel\nx: stage\ny: leads"), data, colors=ColorMap(), marks=marks
    )
    (funnel,) = figure["data"]
    assert funnel["texttemplate"][0] == "%{customdata[1]}"
    assert funnel["texttemplate"][1] == "%{customdata[1]}<br>immature"
    assert funnel["marker"]["color"][1].startswith("rgba(")
