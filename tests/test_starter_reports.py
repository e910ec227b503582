"""The starter reports of queries/ on one calendar, built over the sample data (whose as-of
falls a third into Q4 2026): every page states its window in dates, pages about the same
deals and leads agree, running periods and immature cohorts are drawn as such, and the
calendar options change every page at once."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest

from revpages.commands.sample_data import generate_sample_data
from revpages.derive.calendar import CalendarOptions
from revpages.pages.site_output import SiteOutput
from revpages.pipeline import build_reports
from revpages.settings import EngineOptions, Settings
from tests.conftest import repo_params

REPO = Path(__file__).resolve().parents[1]
QUERIES = REPO / "queries"
TEMPLATE_QUERIES = REPO / "src/revpages/templates/project/queries"
WINDOW = re.compile(r'<p class="revpages-window">([^<]*)')
# Windows a report would make for itself: from the data's latest date, from the clock, or a
# count of days; and calendar buckets outside the calendar (no fiscal year, no time zone).
HAND_MADE = {
    "latest date": re.compile(r"\bmax\s*\(\s*\w*(_at|month|date)\s*\)", re.IGNORECASE),
    "the clock": re.compile(r"\b(now\s*\(|current_date|current_timestamp|today\s*\()", re.I),
    "a count of days": re.compile(r"\binterval\s*'?\s*\d+\s*days?\b", re.IGNORECASE),
    "a calendar bucket": re.compile(r"\b(date_trunc|strftime|quarter|yearweek)\s*\(", re.I),
}


def sql_of(path: Path) -> str:
    """The SQL of a query file, without its front matter and comments."""
    text = path.read_text(encoding="utf-8").split("*/", 1)[1]
    return re.sub(r"--[^\n]*", "", text)


@pytest.mark.parametrize(
    "path",
    sorted([*QUERIES.glob("*/*.sql"), *TEMPLATE_QUERIES.glob("*/*.sql")]),
    ids=lambda p: f"{p.parent.parent.name}/{p.parent.name}/{p.stem}",
)
def test_no_report_makes_its_own_window(path: Path):
    sql = sql_of(path)
    for what, pattern in HAND_MADE.items():
        found = pattern.search(sql)
        assert found is None, f"{path.name} makes a window from {what}: {found.group(0)!r}"


def build(tmp: Path, **calendar: object) -> SiteOutput:
    settings = Settings(
        root=tmp,
        queries_dir=QUERIES,
        data_dir=tmp / "data",
        docs_dir=REPO / "site_src",
        engine=EngineOptions(calendar=CalendarOptions(**calendar)),
        params=repo_params(),
    )
    return build_reports(settings)


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("starter")
    generate_sample_data(folder / "data", leads=5000)
    return folder


@pytest.fixture(scope="module")
def site(sample: Path) -> dict[str, str | bytes]:
    return {f.path: f.content for f in build(sample).files}


@pytest.fixture(scope="module")
def fiscal_site(sample: Path) -> dict[str, str | bytes]:
    output = build(sample, fiscal_year_start=2, period="quarter_to_date")
    return {f.path: f.content for f in output.files}


def rows(site: dict, report: str) -> list[dict[str, str]]:
    """A report's CSV rows by column name (its headers are labels with a unit: "Win rate
    (fraction)" is win_rate)."""
    found = csv.reader(io.StringIO(str(site[f"{report}.csv"])))
    header = [re.sub(r" \([^()]*\)$", "", h).lower().replace(" ", "_") for h in next(found)]
    return [dict(zip(header, row, strict=True)) for row in found]


def figure(site: dict, report: str) -> dict:
    return json.loads(site[f"{report}.json"])


def period_notes(chart: dict) -> list[dict]:
    """The notes over marked x values (not the titles of small multiples)."""
    return [n for n in chart["layout"]["annotations"] if not n["xref"].endswith("domain")]


def note(trace: dict, point: int) -> str:
    """What a point's tooltip says after its label: ' (to date, 33 %)', or ''."""
    return trace["customdata"][point][trace["meta"]["note"]]


def reports() -> list[str]:
    return sorted(f"{p.parent.name}/{p.stem}" for p in QUERIES.glob("[!_]*/*.sql"))


def period_reports() -> list[str]:
    return [r for r in reports() if "$period_" in sql_of(QUERIES / f"{r}.sql")]


def page_of(site: dict, report: str) -> str:
    """A report's page; a per: report's first page (one per value, in its folder)."""
    if f"{report}.md" in site:
        return str(site[f"{report}.md"])
    pages = sorted(p for p in site if p.startswith(f"{report}/") and p.endswith(".md"))
    return str(site[next(p for p in pages if not p.endswith("/index.md"))])


def window(site: dict, report: str) -> str:
    found = WINDOW.search(page_of(site, report))
    assert found, f"{report} states no window"
    return found.group(1)


@pytest.mark.slow  # builds the sample site
def test_every_report_page_states_its_window_in_dates(site: dict):
    for report in reports():
        line = window(site, report)
        assert re.search(r"\d{1,2} [A-Z][a-z]{2}( \d{4})? – \d{1,2} [A-Z][a-z]{2} \d{4}", line), (
            report,
            line,
        )
        assert line.endswith("data as of 30 Oct 2026, 18:56 UTC"), (report, line)
    pages = [str(content) for path, content in site.items() if path.endswith(".md")]
    assert not any("as of unknown" in page.lower() for page in pages)


@pytest.mark.slow  # builds the sample site
def test_every_period_report_covers_the_sites_period(site: dict):
    assert len(period_reports()) >= 12
    for report in period_reports():
        assert window(site, report).startswith("1 Jul – 30 Sep 2026 · Q3 2026 · "), report


@pytest.mark.slow  # builds the sample site
def test_the_data_quality_page_says_where_the_as_of_comes_from(site: dict):
    page = str(site["data-quality.md"])
    assert (
        "**30 Oct 2026, 18:56 UTC**: the latest event of `deals` and `stage_history`, the "
        "tables whose exports reach least far" in page
    )
    assert "`forecasts` hold periodic rows" in page
    deals = re.search(r"<tr><td><code>deals\.csv</code>.*?</tr>", page)
    assert deals and "<td>30 Oct 2026, 18:56 UTC</td>" in deals.group(0)  # as its row says
    spend = re.search(r"<tr><td><code>spend\.csv</code>.*?</tr>", page)
    assert spend and ">390</td>" in spend.group(0)
    assert "<td>no timestamps: the site&#x27;s as-of</td>" in spend.group(0)


@pytest.mark.slow  # builds the sample site
def test_competitive_pages_count_the_same_deals(site: dict):
    by_competitor = {
        r["competitor"]: int(r["closed_deals"])
        for r in rows(site, "competitive/win_rate_by_competitor")
    }
    by_segment: dict[str, int] = {}
    for row in rows(site, "competitive/win_rate_by_segment"):
        by_segment[row["competitor"]] = by_segment.get(row["competitor"], 0) + int(
            row["closed_deals"]
        )
    with_without = {
        r["competitor"]: int(r["closed_with"]) for r in rows(site, "competitive/with_and_without")
    }
    assert by_competitor and by_competitor == by_segment == with_without


@pytest.mark.slow  # builds the sample site
def test_handoff_pages_count_the_same_mqls(site: dict):
    (speed,) = rows(site, "handoff/speed_to_lead")
    by_owner = sum(int(r["mqls"]) for r in rows(site, "handoff/speed_by_owner"))
    by_response = sum(int(r["mqls"]) for r in rows(site, "handoff/conversion_by_response_time"))
    assert int(speed["mqls"]) > 100
    assert int(speed["mqls"]) == by_owner == by_response


@pytest.mark.slow  # builds the sample site
def test_bookings_agree_between_the_forecast_and_the_win_rate_pages(site: dict):
    quarter = next(
        r for r in rows(site, "forecast/bookings_vs_forecast") if r["quarter"] == "Q3 2026"
    )
    by_source = sum(float(r["bookings"]) for r in rows(site, "funnel/win_rate_by_source"))
    assert float(quarter["actual"]) == pytest.approx(by_source)
    revenue = {r["channel"]: float(r["revenue"]) for r in rows(site, "spend/margin_roi")}
    bookings = {r["channel"]: float(r["bookings"]) for r in rows(site, "funnel/win_rate_by_source")}
    assert all(revenue[c] == pytest.approx(bookings.get(c, 0)) for c in revenue)


@pytest.mark.slow  # builds the sample site
def test_the_funnel_cohort_is_the_sum_of_its_months(site: dict):
    inquiries = next(r for r in rows(site, "funnel/overview") if r["stage"] == "Inquiry")
    months = [
        r
        for r in rows(site, "funnel/cohort_conversion")
        if "2026-07" <= r["cohort_month"] < "2026-10"
    ]
    assert len(months) == 3
    assert int(inquiries["leads"]) == sum(int(r["leads"]) for r in months)


PERIOD_CHARTS = {
    "competitive/presence_by_quarter": "Q4 2026",
    "forecast/bookings_vs_forecast": "Q4 2026",
    "funnel/cohort_conversion": "2026-10-01",
    "funnel/lead_volume_by_channel": "2026-10-01",
    "spend/monthly_spend": "2026-10-01",
}


@pytest.mark.parametrize("report, running", PERIOD_CHARTS.items())
@pytest.mark.slow  # builds the sample site
def test_the_running_period_is_drawn_distinctly(site: dict, report: str, running: str):
    chart = figure(site, report)
    notes = {n["x"]: n["text"] for n in period_notes(chart)}
    assert notes[running].startswith("to date, "), notes
    for trace in chart["data"]:
        if running not in trace["x"]:
            continue
        at = trace["x"].index(running)
        assert note(trace, at).startswith(" (to date, ")
        marker = trace.get("marker", {})
        if trace["type"] == "bar":
            assert marker["pattern"]["shape"][at] == "/" and marker["opacity"][at] < 1
        else:
            assert marker["symbol"][at] == "circle-open"
    # The table says it too, after the period's label, when the row is among those shown.
    labels = [next(iter(row.values())) for row in rows(site, report)]
    if running in labels[:50]:
        assert re.search(rf"<td>{running} \(to date, \d+ %\)</td>", str(site[f"{report}.md"]))


def test_every_period_chart_of_the_site_is_listed_above():
    for report in reports():
        x = re.search(r"(?m)^x: (\w+)", (QUERIES / f"{report}.sql").read_text("utf-8"))
        if x and re.search(r"week|month|quarter|year|period", x.group(1)):
            assert report in PERIOD_CHARTS, report


@pytest.mark.slow  # builds the sample site
def test_no_page_shows_a_full_quarter_error_for_the_running_quarter(site: dict):
    running = next(
        r for r in rows(site, "forecast/bookings_vs_forecast") if r["quarter"] == "Q4 2026"
    )
    forecast, actual = float(running["forecast"]), float(running["actual"])
    elapsed = float(running["fraction_elapsed"])
    assert 0.25 < elapsed < 0.4 and running["is_complete"] == "False"
    assert float(running["forecast_to_date"]) == pytest.approx(forecast * elapsed)
    assert float(running["error"]) == pytest.approx(actual - forecast * elapsed)
    assert abs(float(running["error"])) < abs(actual - forecast)  # no −$2.9 M "miss"
    owners = rows(site, "forecast/bias_by_owner")
    quarters = {int(r["quarters"]) for r in owners}
    assert quarters == {8}  # Q4 2024 to Q3 2026: the running quarter is left out


@pytest.mark.slow  # builds the sample site
def test_the_cohort_chart_marks_immature_cohorts(site: dict):
    chart = figure(site, "funnel/cohort_conversion")
    notes = [n["text"] for n in period_notes(chart)]
    assert notes == ["immature", notes[-1]] and notes[-1].startswith("to date")
    marked = [t for t in chart["data"] if t.get("line", {}).get("dash") == "dash"]
    assert len(marked) == 3  # one dashed tail per rate
    assert note(marked[0], -2) == " (immature)" and note(marked[0], -1).startswith(" (to date")
    table = rows(site, "funnel/cohort_conversion")
    young = [r["cohort_month"] for r in table if r["is_mature"] == "False"]
    assert young == ["2026-09-01", "2026-10-01"]
    stages = {r["stage"]: r["is_mature"] for r in rows(site, "funnel/overview")}
    assert stages["Inquiry"] == "True" and stages["Won"] == "False"
    assert "Won (immature)" in str(site["funnel/overview.md"])
    (funnel,) = figure(site, "funnel/overview")["data"]
    colors = dict(zip(funnel["y"], funnel["marker"]["color"], strict=True))
    assert colors["Inquiry"].startswith("#") and colors["Won"].startswith("rgba(")
    assert funnel["texttemplate"][-1].endswith("<br>immature")


@pytest.mark.slow  # builds the sample site
def test_comparisons_show_on_the_kpi_pages(site: dict):
    assert "funnel/sales_velocity.json" not in site  # KPI tiles are part of the page
    velocity = str(site["funnel/sales_velocity.md"])
    tiles = velocity.split('<div class="revpages-tile" role="listitem">')[1:]
    assert tiles
    for tile in tiles:
        changes = re.findall(r'<p class="revpages-tile__change [^"]*">([^<]*)', tile)
        assert [c.rsplit(" vs ", 1)[1] for c in changes] == ["Q2 2026", "Q3 2025"], tile
    page = str(site["handoff/speed_to_lead.md"])
    assert '<th scope="col">Median minutes vs Q2 2026</th>' in page
    assert '<th scope="col">Never touched vs Q3 2025</th>' in page


@pytest.mark.slow  # whole builds; make test runs it
@pytest.mark.slow  # builds the sample site
def test_the_fiscal_year_and_period_change_every_page(site: dict, fiscal_site: dict):
    expected = "1 Aug – 30 Oct 2026 · FY2027 Q3 to date ("
    for report in period_reports():
        assert window(fiscal_site, report).startswith(expected), report
    quarters = [r["quarter"] for r in rows(fiscal_site, "forecast/bookings_vs_forecast")]
    assert quarters and all(q.startswith("FY") for q in quarters)
    presence = figure(fiscal_site, "competitive/presence_by_quarter")
    assert {n["x"] for n in period_notes(presence)} == {"FY2027 Q3"}
    # The same population in another period: pages still agree with each other.
    (speed,) = rows(fiscal_site, "handoff/speed_to_lead")
    assert int(speed["mqls"]) == sum(
        int(r["mqls"]) for r in rows(fiscal_site, "handoff/speed_by_owner")
    )
    assert rows(fiscal_site, "handoff/speed_to_lead") != rows(site, "handoff/speed_to_lead")
    # A running period is compared with the same days of the periods before it.
    assert "Median minutes vs FY2027 Q2 to date" in str(fiscal_site["handoff/speed_to_lead.md"])
