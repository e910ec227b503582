"""The reporting calendar: fiscal periods, windows, the as-of moment, the calendar table and
the bound parameters, each on its own and through a real engine and a real build."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from revpages.derive.calendar import (
    PERIODS,
    Calendar,
    CalendarOptions,
    add_months,
    fiscal_year,
    percent_text,
    period_label,
    period_start,
)
from revpages.derive.calendar_table import build_calendar, create_calendar, data_range
from revpages.errors import FrontMatterError, SQLError
from revpages.reports.engine import Engine
from revpages.reports.queryfile import parse_query_file
from revpages.settings import EngineOptions
from tests.conftest import DEALS_CSV, MKDOCS_YML, write_tree

AS_OF = datetime(2026, 10, 31, 8, 36, 11)  # mid-quarter: a third of Q4 2026 has passed


def calendar(**options) -> Calendar:
    return Calendar(CalendarOptions(**options), AS_OF)


def query(sql: str, front: str = "title: T"):
    return parse_query_file(
        f"/*\n{front}\n*/\n{sql}", path="queries/s/q.sql", section="s", name="q"
    )


# --- pure functions -------------------------------------------------------------------------


def test_fiscal_years_are_named_by_the_year_they_end_in():
    february = CalendarOptions(fiscal_year_start=2)
    assert fiscal_year(date(2026, 2, 1), february) == 2027
    assert fiscal_year(date(2026, 1, 31), february) == 2026
    assert period_start(date(2026, 10, 31), "quarter", february) == date(2026, 8, 1)
    assert period_label(date(2026, 8, 1), "quarter", february) == "FY2027 Q3"
    assert period_label(date(2026, 2, 1), "year", february) == "FY2027"
    plain = CalendarOptions()
    assert period_label(date(2026, 7, 1), "quarter", plain) == "Q3 2026"
    assert period_label(date(2026, 1, 1), "year", plain) == "2026"


def test_weeks_start_on_the_configured_day():
    saturday = date(2026, 10, 31)
    assert period_start(saturday, "week", CalendarOptions()) == date(2026, 10, 26)
    assert period_start(saturday, "week", CalendarOptions(week_start="sunday")) == date(
        2026, 10, 25
    )
    assert period_start(saturday, "week", CalendarOptions(week_start="saturday")) == saturday


def test_months_are_added_within_the_month():
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2026, 3, 31), -13) == date(2025, 2, 28)


@pytest.mark.parametrize(
    "period, text",
    [
        ("last_complete_month", "1 Sep – 30 Sep 2026 · Sep 2026"),
        ("last_complete_quarter", "1 Jul – 30 Sep 2026 · Q3 2026"),
        ("last_complete_year", "1 Jan – 31 Dec 2025 · 2025"),
        ("month_to_date", "1 Oct – 31 Oct 2026 · Oct 2026 to date (98 %)"),
        ("quarter_to_date", "1 Oct – 31 Oct 2026 · Q4 2026 to date (33 %)"),
        ("year_to_date", "1 Jan – 31 Oct 2026 · 2026 to date (83 %)"),
        ("trailing_12_months", "1 Nov 2025 – 31 Oct 2026 · 12 months to 31 Oct 2026"),
    ],
)
def test_each_period_in_dates(period: str, text: str):
    assert calendar(period=period).window().text() == text


def test_every_period_is_documented_in_its_table():
    page = (Path(__file__).parents[1] / "site_src/guide/calendar.md").read_text("utf-8")
    for period in PERIODS:
        assert f"| `{period}`" in page


def test_prior_and_last_year_of_a_running_quarter_stop_at_the_same_point():
    qtd = calendar(period="quarter_to_date")
    values = qtd.parameters()
    assert values["period_start"] == datetime(2026, 10, 1)
    assert values["period_end"] == AS_OF
    assert (values["prior_start"], values["prior_end"]) == (
        datetime(2026, 7, 1),
        AS_OF.replace(month=7),
    )
    assert values["last_year_start"] == datetime(2025, 10, 1)
    assert values["last_year_end"] == AS_OF.replace(year=2025)


def test_a_comparison_run_moves_every_parameter_back():
    prior = calendar().compared("prior").parameters()
    assert prior["as_of"] == AS_OF.replace(month=7)
    assert (prior["period_start"], prior["period_end"]) == (
        datetime(2026, 4, 1),
        datetime(2026, 7, 1),
    )
    assert prior["prior_start"] == datetime(2026, 1, 1)
    last_year = calendar(period="last_complete_year").compared("last_year").window()
    assert last_year.label == "2024"


def test_windows_follow_the_time_zone():
    berlin = calendar(timezone="Europe/Berlin")
    window = berlin.window()
    assert window.start == datetime(2026, 6, 30, 22, 0)  # midnight in Berlin, in UTC
    assert window.end == datetime(2026, 9, 30, 22, 0)
    assert berlin.as_of_text() == "31 Oct 2026, 09:36 CET"


def test_running_periods_hold_the_as_of_moment():
    running = {p.grain: (p.label, round(p.fraction, 2)) for p in calendar().running()}
    assert running == {
        "week": ("Week of 26 Oct 2026", 0.77),
        "month": ("Oct 2026", 0.98),
        "quarter": ("Q4 2026", 0.33),
        "year": ("2026", 0.83),
    }
    # At a quarter's end neither it nor its month runs: the next ones have not started.
    ended = Calendar(CalendarOptions(), datetime(2026, 10, 1))
    assert [p.grain for p in ended.running()] == ["week", "year"]


def test_percentages_never_round_to_done_or_not_started():
    assert [percent_text(f) for f in (0.001, 0.333, 0.996, 1.0)] == ["1 %", "33 %", "99 %", "100 %"]


# --- the as-of moment -----------------------------------------------------------------------


@pytest.fixture
def engine(tmp_path: Path):
    write_tree(
        tmp_path / "data",
        {
            "deals.csv": DEALS_CSV,
            "forecasts.csv": "period,owner,metric,forecast_value,submitted_at\n"
            "2025-Q2,Avery Chen,bookings,5000,2025-04-01 09:00:00\n",
            "notes.csv": "id,noted_at\n1,2026-06-30 12:00:00\n",
        },
    )
    engine = Engine()
    engine.load(tmp_path / "data")
    yield engine
    engine.close()


def test_the_as_of_is_the_earliest_latest_event_of_the_flowing_tables(engine: Engine):
    # deals end on 20 Mar 2025; forecasts (periodic) and notes (not in the contract) do not
    # set it, though they are later.
    assert engine.calendar.as_of == datetime(2025, 3, 20, 9, 30, 1)
    assert engine.calendar.source == "data"
    assert engine.range.setters == ("deals",)
    assert engine.range.first({"deals"}) == datetime(2025, 1, 3, 10, 0)


def test_a_configured_as_of_date_is_the_end_of_that_day(engine: Engine):
    fixed = engine.use_calendar(CalendarOptions(as_of=date(2025, 3, 31)))
    assert (fixed.as_of, fixed.source) == (datetime(2025, 4, 1), "configured")
    assert fixed.window().label == "Q1 2025"  # complete at the end of 31 March


def test_no_timestamps_take_the_build_time():
    con = duckdb.connect()
    found = data_range(con, [])
    now = datetime(2026, 1, 2, 3, 4, 5)
    assert build_calendar(CalendarOptions(), found, now=now).source == "build time"


# --- the calendar table ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "options",
    [
        CalendarOptions(),
        CalendarOptions(fiscal_year_start=2, week_start="sunday", timezone="America/New_York"),
        CalendarOptions(fiscal_year_start=7, timezone="Asia/Kolkata"),
    ],
    ids=["defaults", "february-new-york", "july-kolkata"],
)
def test_the_calendar_table_agrees_with_the_python_calendar(options: CalendarOptions):
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    made = Calendar(options, AS_OF)
    create_calendar(con, made, first_event=datetime(2024, 5, 1))
    rows = con.execute("SELECT * FROM calendar ORDER BY day").fetchall()
    names = [d[0] for d in con.execute("SELECT * FROM calendar LIMIT 0").description]
    assert rows[0][0] <= date(2024, 5, 1) and rows[-1][0] >= date(2027, 12, 31)
    for row in rows[::13]:
        day = dict(zip(names, row, strict=True))
        for grain in ("week", "month", "quarter", "year"):
            start = period_start(day["day"], grain, options)
            assert day[f"{grain}_start"] == start, (grain, day)
            assert day[f"{grain}_label"] == period_label(start, grain, options)
        assert day["fiscal_year"] == fiscal_year(day["day"], options)
    today = dict(zip(names, next(r for r in rows if r[0] == made.as_of_day), strict=True))
    quarter = next(p for p in made.running() if p.grain == "quarter")
    assert today["quarter_is_complete"] is False
    assert today["quarter_elapsed"] == pytest.approx(quarter.fraction)
    assert today["quarter_label"] == quarter.label


def test_calendar_day_puts_a_timestamp_on_the_local_day():
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    create_calendar(con, calendar(timezone="Europe/Berlin"), first_event=None)
    late = con.execute("SELECT calendar_day(TIMESTAMP '2026-06-30 22:30')").fetchone()[0]
    assert late == date(2026, 7, 1)


def test_last_quarters_ends_with_the_quarter_holding_the_periods_end():
    """Fiscal quarters (February start): the six up to the one holding 31 Oct 2026, which
    a period ending at that day's end (1 Nov 00:00) or mid-quarter both give."""
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    create_calendar(con, calendar(fiscal_year_start=2), first_event=datetime(2024, 5, 1))
    for end in ("2026-11-01 00:00", "2026-09-15 12:00"):
        starts = [
            row[0]
            for row in con.execute(
                "SELECT quarter_start FROM last_quarters(CAST($end AS TIMESTAMP), 6) ORDER BY 1",
                {"end": end},
            ).fetchall()
        ]
        assert starts == [
            date(y, m, 1)
            for y, m in ((2025, 5), (2025, 8), (2025, 11), (2026, 2), (2026, 5), (2026, 8))
        ], end


# --- parameters -----------------------------------------------------------------------------


def test_only_the_parameters_a_query_uses_are_bound(engine: Engine):
    engine.use_calendar(CalendarOptions(period="last_complete_month"))  # February 2025
    result = engine.run(
        query(
            "select count(*) as deals from deals "
            "where closed_at >= $period_start and closed_at < $period_end"
        )
    )
    assert result.rows == [(1,)]  # d1, closed on 1 February
    assert engine.run(query("select $as_of as as_of")).rows == [(datetime(2025, 3, 20, 9, 30, 1),)]


def test_a_comparison_run_binds_the_prior_period(engine: Engine):
    sql = "select $period_start as starts, $period_end as ends"
    assert engine.run(query(sql), compare="prior").rows == [
        (datetime(2024, 7, 1), datetime(2024, 10, 1))
    ]
    assert engine.run(query(sql), compare="last_year").rows == [
        (datetime(2023, 10, 1), datetime(2024, 1, 1))
    ]


def test_an_unknown_parameter_is_located_with_a_suggestion(engine: Engine):
    with pytest.raises(SQLError) as caught:
        engine.run(query("select 1 as n\nwhere $as_off is not null"))
    assert caught.value.message() == (
        "queries/s/q.sql:5:7: RP415 the query uses the parameter '$as_off', which revpages "
        "does not bind. Hint: Did you mean '$as_of'?"
    )


def test_compare_needs_a_period_parameter(engine: Engine):
    from revpages.reports.parameters import check_compare

    bare = query("select count(*) as n from deals", "title: T\ncompare: [prior]")
    with pytest.raises(FrontMatterError) as caught:
        check_compare(bare, engine.parameters_of(bare))
    assert caught.value.code == "RP313"


def test_the_result_cache_key_follows_the_calendar(tmp_path: Path):
    write_tree(tmp_path / "data", {"deals.csv": DEALS_CSV})
    engine = Engine(EngineOptions(cache_dir=tmp_path / "cache"))
    try:
        engine.load(tmp_path / "data")
        report = query("select count(*) as n from deals where created_at < $period_end")
        joined = query("select count(*) as n from calendar")
        plain = query("select count(*) as n from deals")
        before = [engine.cache_text(q) for q in (report, joined, plain)]
        engine.use_calendar(CalendarOptions(period="quarter_to_date"))
        after = [engine.cache_text(q) for q in (report, joined, plain)]
        assert before[0] != after[0] and before[1] != after[1]
        assert before[2] == after[2] == plain.sql  # no calendar: the key it always had
        assert engine.run(report).rows == [(4,)]
        assert engine.run(report).cached  # stored under the calendar's key
    finally:
        engine.close()


# --- options --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "option, value, message",
    [
        ("calendar_fiscal_year_start", 13, "13 is not a month: write its number"),
        ("calendar_timezone", "Mars/Olympus", "'Mars/Olympus' is not a time zone"),
        ("calendar_as_of", "yesterday", "'yesterday' is not a date: write 2026-09-30"),
        ("calendar_period", "last_week", "Expected one of:"),
    ],
)
def test_a_bad_calendar_option_is_located_and_named(
    tmp_path: Path, build, option: str, value: object, message: str
):
    write_tree(
        tmp_path,
        {
            "mkdocs.yml": {**MKDOCS_YML, "plugins": ["search", {"revpages": {option: value}}]},
            "data": {"deals.csv": DEALS_CSV},
            "queries": {"sales": {}},
            "site_src": {"index.md": "# Home\n"},
        },
    )
    result = build(tmp_path)
    assert result.exit_code == 1
    line = result.output.splitlines()[0]
    assert line.startswith("mkdocs.yml:") and " RP103 " in line, line
    assert f"option '{option}'" in line and message in line, line


def test_a_fixed_as_of_makes_the_build_reproducible(tmp_path: Path, build):
    sql = (
        "/*\ntitle: Deals\nchart: table\n*/\nselect count(*) as deals from deals\n"
        "where created_at >= $period_start and created_at < $period_end\n"
    )
    write_tree(
        tmp_path,
        {
            "mkdocs.yml": {
                **MKDOCS_YML,
                "plugins": [
                    "search",
                    {
                        "revpages": {
                            "calendar_as_of": "2025-02-28",
                            "calendar_period": "last_complete_month",
                        }
                    },
                ],
            },
            "data": {"deals.csv": DEALS_CSV},
            "queries": {"sales": {"deals.sql": sql}},
            "site_src": {"index.md": "# Home\n"},
        },
    )
    result = build(tmp_path)
    assert result.exit_code == 0, result.output
    page = (tmp_path / "build/sales/deals/index.html").read_text("utf-8")
    # The end of 28 February: February is complete, and the period.
    assert "1 Feb – 28 Feb 2025 · Feb 2025 · data as of 1 Mar 2025, 00:00 UTC" in page
    assert '<td class="revpages-num">2</td>' in page  # d2 and d3, created in February
    home = (tmp_path / "build/index.html").read_text("utf-8")
    assert "Data as of 1 Mar 2025, 00:00 UTC · period: 1 Feb – 28 Feb 2025 · Feb 2025" in home
    quality = (tmp_path / "build/data-quality/index.html").read_text("utf-8")
    assert "calendar_as_of" in quality


def test_every_day_of_the_data_is_in_the_calendar(engine: Engine):
    first, last = engine.con.execute("SELECT min(day), max(day) FROM calendar").fetchone()
    assert first <= date(2025, 1, 3) and last - engine.calendar.as_of_day > timedelta(days=300)
