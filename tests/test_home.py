"""The home page and the two scorecards over the sample data: every tile shows its report's
number with the same definition, its change against the prior period, its target and a
link; the Attention list names the people and channels the sample data makes stand out."""

from __future__ import annotations

import csv
import html
import re
from datetime import datetime
from pathlib import Path

import pytest

from revpages.commands.sample_data import generate_sample_data
from revpages.commands.scaffold import init_project
from revpages.pages.narrative import expand_markers
from revpages.pages.site_output import SiteOutput
from revpages.pipeline import build_reports
from revpages.settings import Settings
from tests.conftest import repo_params

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[1]
Q3_START, Q3_END = datetime(2026, 7, 1), datetime(2026, 10, 1)  # the sample's period
Q2_START = datetime(2026, 4, 1)
HOME_REPORTS = [
    "funnel/leads_vs_plan",
    "funnel/mql_to_sql",
    "funnel/pipeline_created",
    "forecast/bookings_vs_quota",
    "funnel/win_rate",
    "spend/cac",
    "forecast/forecast_accuracy",
    "handoff/sla_compliance",
]


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("home") / "data"
    generate_sample_data(folder, leads=20_000)
    return folder


@pytest.fixture(scope="module")
def output(data: Path) -> SiteOutput:
    settings = Settings(
        root=data.parent,
        queries_dir=REPO / "queries",
        data_dir=data,
        docs_dir=REPO / "site_src",
        params=repo_params(),
    )
    return build_reports(settings)


def page(output: SiteOutput, name: str) -> str:
    text = (REPO / "site_src" / name).read_text(encoding="utf-8")
    expanded, problems = expand_markers(
        text,
        path=f"site_src/{name}",
        page_uri=name,
        embeds=output.embeds,
        data_problems=output.data_problems,
    )
    assert problems == []
    return expanded


def tiles(markup: str) -> dict[str, dict[str, str]]:
    """Each tile of a page by its label: value, change, target and link."""
    found = {}
    for body in re.findall(r'<div class="revpages-tile" role="listitem">(.*?)</div>', markup):
        parts = dict(re.findall(r'<p class="revpages-tile__(\w+)[^"]*">(.*?)</p>', body))
        link = re.search(r'href="([^"]+)"', body)
        parts["href"] = link.group(1) if link else ""
        found[html.unescape(parts["label"])] = {
            k: html.unescape(re.sub(r"<[^>]+>", "", v)) for k, v in parts.items()
        }
    return found


def csv_rows(data: Path, table: str) -> list[dict[str, str]]:
    with (data / f"{table}.csv").open(encoding="utf-8") as file:
        return list(csv.DictReader(file))


def moment(text: str) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def test_the_home_page_shows_a_tile_per_kpi_with_change_target_and_link(output: SiteOutput):
    home = tiles(page(output, "index.md"))
    assert list(home)[:2] == ["Leads", "MQLs"]
    assert len(home) >= 9
    for label, tile in home.items():
        assert tile["value"] not in ("", "–"), label
        assert " vs Q2 2026" in tile.get("change", ""), label
        if label != "Untouched past SLA":  # a count shown beside the SLA's own tile
            assert tile.get("target"), label
            # The small line: six quarters, ending with the period's own number.
            assert tile.get("trend", "").endswith(f" → {tile['value']}"), label
        assert tile["href"].endswith("/") and not tile["href"].startswith(("/", "http")), label
    links = {tile["href"] for tile in home.values()}
    assert links == {f"{report}/" for report in HOME_REPORTS}
    said = re.search(r"Against their targets: (\d+) met, (\d+) missed\.", page(output, "index.md"))
    assert said, "no verdict over the tiles"
    targets = [tile.get("target", "") for tile in home.values()]
    met, missed = (sum(t.endswith(end) for t in targets) for end in ("✓ met", "✗ missed"))
    assert (int(said[1]), int(said[2])) == (met, missed) and met + missed >= 8


def test_a_new_project_has_the_same_home_tiles(output: SiteOutput, tmp_path: Path, build):
    """`revpages init` writes the same KPI reports: its home page shows the same tiles in
    the same order (on its own sample data), and its navigation ends with the glossary."""
    project = tmp_path / "acme"
    init_project(project, site_name="Acme")
    generate_sample_data(project / "data", leads=3000)
    result = build(project, "--strict")
    assert result.exit_code == 0, result.output
    built = (project / "build" / "index.html").read_text(encoding="utf-8")
    labels = re.findall(r'<p class="revpages-tile__label">([^<]*)</p>', built)
    assert [html.unescape(label) for label in labels] == list(tiles(page(output, "index.md")))
    assert "Against their targets:" in built
    primary = built.split("md-nav--primary", 1)[1].split("</nav>\n</div>", 1)[0]
    nav = [h for h in re.findall(r'<a href="([^"#:]*)"', primary) if h]
    assert nav[-1] == "glossary/" and nav.index("sales/") < nav.index("data-quality/"), nav


def test_home_tiles_match_the_reports_and_the_data(output: SiteOutput, data: Path):
    home = tiles(page(output, "index.md"))
    deals = csv_rows(data, "deals")
    closed = [
        d for d in deals if d["is_closed"] == "true" and Q3_START <= moment(d["closed_at"]) < Q3_END
    ]
    won = [d for d in closed if d["is_won"] == "true"]
    assert home["Win rate"]["value"] == f"{len(won) / len(closed):.1%}"
    bookings = sum(float(d["amount"]) for d in won)
    assert home["Bookings"]["value"] == f"${bookings:,.0f}"
    prior = [
        d for d in deals if d["is_won"] == "true" and Q2_START <= moment(d["closed_at"]) < Q3_START
    ]
    change = (bookings - sum(float(d["amount"]) for d in prior)) / sum(
        float(d["amount"]) for d in prior
    )
    assert home["Bookings"]["change"].startswith(
        f"{'▲' if change > 0 else '▼'} {'+' if change > 0 else '−'}{abs(change) * 100:.1f} %"
        " vs Q2 2026"
    )
    targets = csv_rows(data, "targets")
    quota = sum(
        float(t["value"]) for t in targets if t["metric"] == "bookings" and t["period"] == "2026-Q3"
    )
    assert home["Bookings"]["target"].startswith(f"Quota: ≥ ${quota:,.0f} · ")
    assert home["Bookings"]["target"].endswith("✓ met" if bookings >= quota else "✗ missed")
    leads = [
        lead for lead in csv_rows(data, "leads") if Q3_START <= moment(lead["created_at"]) < Q3_END
    ]
    assert home["Leads"]["value"] == f"{len(leads):,}"


def test_the_scorecards_show_the_numbers_of_the_reports_they_summarise(output: SiteOutput):
    home = tiles(page(output, "index.md"))
    for name in ("scorecards/marketing.md", "scorecards/sales.md"):
        card = tiles(page(output, name))
        assert len(card) >= 4, name
        for label, tile in card.items():
            assert tile["value"] == home[label]["value"], (name, label)
            assert tile["change"] == home[label]["change"], (name, label)


def test_the_attention_list_names_who_and_what_stands_out(output: SiteOutput, data: Path):
    attention = html.unescape(page(output, "index.md").split("Needs attention", 1)[1])
    items = re.findall(r"<li>(.*?)</li>", attention)
    said = "\n".join(items)
    assert "Jordan Patel sandbags" in said
    assert "Marcus Reid over-forecasts" in said
    assert "Sofia Rossi takes" in said
    # The channel whose MQLs sales rejects most, counted by hand.
    mqls: dict[str, list[bool]] = {}
    for lead in csv_rows(data, "leads"):
        mql = moment(lead["mql_at"])
        if mql and Q3_START <= mql < Q3_END:
            mqls.setdefault(lead["source"], []).append(bool(lead["rejected_at"]))
    rates = {c: sum(r) / len(r) for c, r in mqls.items() if len(r) >= 30}
    worst = max(rates, key=lambda c: rates[c])
    assert f"of the MQLs from {worst.replace('_', ' ').capitalize()} " in said
    for item in items:
        assert re.search(r'<a href="[^"]+/">[^<]+ →</a>$', item), item
