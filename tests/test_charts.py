from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import revpages.site.assets
from revpages.errors import ChartSpecError
from revpages.pages.charts import build_figure, check_columns, series_names
from revpages.pages.palette import PALETTE, ColorMap
from revpages.reports.queryfile import parse_query_file
from revpages.reports.result import QueryResult
from revpages.site.assets import static_files


def query(front: str):
    return parse_query_file(
        f"/*\ntitle: T\n{front}\n*/\nselect 1", path="queries/s/q.sql", section="s", name="q"
    )


def result(columns, types, rows):
    return QueryResult(tuple(columns), tuple(types), rows, 0.0)


MONTHLY = result(
    ["month", "channel", "leads"],
    ["DATE", "VARCHAR", "BIGINT"],
    [
        ("2025-01-01", "email", 10),
        ("2025-01-01", "<b>events</b>", 5),
        ("2025-02-01", "email", 12),
        ("2025-02-01", "<b>events</b>", 7),
    ],
)


def figure(front: str, data: QueryResult = MONTHLY, **options):
    return build_figure(query(front), data, colors=ColorMap(["email", "<b>events</b>"]), **options)


def test_color_splits_a_value_column_into_series():
    fig = figure("chart: line\nx: month\ny: leads\ncolor: channel")
    assert [t["name"] for t in fig["data"]] == ["email", "&lt;b&gt;events&lt;/b&gt;"]
    assert fig["data"][0]["y"] == [10, 12]
    assert fig["data"][0]["x"] == ["2025-01-01", "2025-02-01"]
    assert fig["layout"]["showlegend"] is True


def test_stacked_bar_and_area_stack():
    assert (
        figure("chart: stacked_bar\nx: month\ny: leads\ncolor: channel")["layout"]["barmode"]
        == "stack"
    )
    area = figure("chart: area\nx: month\ny: leads\ncolor: channel")
    assert {t["stackgroup"] for t in area["data"]} == {"one"}


def test_entity_colors_are_the_same_on_every_chart():
    colors = ColorMap(["paid_search", "email", "events"])
    assert colors("email") == PALETTE[0]
    assert colors("events") == PALETTE[1]
    fig = figure("chart: bar\nx: month\ny: leads\ncolor: channel")
    assert fig["data"][0]["marker"]["color"] == ColorMap(["email", "<b>events</b>"])("email")


def test_series_drawn_together_never_share_a_colour():
    channels = [f"channel_{i}" for i in range(8)]
    others = [f"name_{i:02d}" for i in range(20)]
    colors = ColorMap(charts=[channels, others[:10], others[10:], ["channel_3", "name_00"]])
    assert {colors(c) for c in channels} == set(PALETTE[:8])  # all of Okabe-Ito, no repeat
    assert len({colors(n) for n in others[:10]}) == 10
    assert colors("channel_3") != colors("name_00")
    assert colors("name_10") == colors("channel_0") == PALETTE[0]  # never drawn together


def test_percent_and_currency_formats_reach_axes_and_hover():
    data = result(
        ["competitor", "win_rate", "amount"],
        ["VARCHAR", "DOUBLE", "DECIMAL(18,2)"],
        [("Acme", 0.4321, 1200.5)],
    )
    fig = figure("chart: bar\nx: competitor\ny: win_rate\nformat: {win_rate: percent}", data)
    assert fig["layout"]["yaxis"]["tickformat"] == ".0%"
    assert "%{y:.1%}" in fig["data"][0]["hovertemplate"]
    fig = figure(
        "chart: bar\nx: competitor\ny: amount\nformat: {amount: currency}", data, currency="€"
    )
    assert fig["layout"]["yaxis"]["tickprefix"] == "€"
    assert "€%{y:,.0f}" in fig["data"][0]["hovertemplate"]


def test_funnel_uses_stage_and_value():
    data = result(
        ["stage", "leads"], ["VARCHAR", "BIGINT"], [("Inquiry", 100), ("MQL", 40), ("SQL", 10)]
    )
    fig = figure("chart: funnel\nx: stage\ny: leads", data)
    trace = fig["data"][0]
    assert trace["type"] == "funnel"
    assert trace["y"] == ["Inquiry", "MQL", "SQL"] and trace["x"] == [100, 40, 10]


def test_kpi_draws_one_indicator_per_value_and_needs_one_row():
    data = result(["win_rate", "deals"], ["DOUBLE", "BIGINT"], [(0.25, 40)])
    fig = figure("chart: kpi\nformat: {win_rate: percent}", data)
    assert [t["type"] for t in fig["data"]] == ["indicator", "indicator"]
    assert fig["data"][0]["number"]["valueformat"] == ".1%"
    with pytest.raises(ChartSpecError, match="exactly one row"):
        figure("chart: kpi", MONTHLY)


def test_table_charts_and_empty_results_have_no_figure():
    assert figure("chart: table") is None
    assert (
        figure("chart: bar\nx: month\ny: leads", result(MONTHLY.columns, MONTHLY.types, [])) is None
    )


def test_too_many_points_are_refused_not_truncated():
    with pytest.raises(ChartSpecError, match="4 points, more than the limit of 3") as caught:
        figure("chart: line\nx: month\ny: leads\ncolor: channel", max_points=3)
    assert caught.value.line == 3  # the 'chart:' line


def test_missing_column_is_reported_at_its_key():
    q = query("chart: bar\nx: month\ny: lead")
    with pytest.raises(ChartSpecError, match="'y' names the column 'lead'") as caught:
        check_columns(q, MONTHLY)
    assert (caught.value.line, caught.value.hint) == (5, "Did you mean 'leads'?")


def test_figures_carry_no_template_and_are_json():
    fig = figure("chart: bar\nx: month\ny: leads")
    assert "template" not in fig["layout"]
    assert len(json.dumps(fig)) < 1500


def test_series_names_feed_the_site_color_map():
    assert series_names(query("chart: line\nx: month\ny: leads\ncolor: channel"), MONTHLY) == {
        "email",
        "<b>events</b>",
    }
    assert series_names(query("chart: bar\nx: month\ny: leads"), MONTHLY) == {"leads"}


@pytest.mark.parametrize(
    "front",
    [
        "chart: line\nx: month\ny: leads\ncolor: channel",
        "chart: bar\nx: month\ny: leads\nformat: {leads: integer}",
        "chart: stacked_bar\nx: month\ny: leads\ncolor: channel",
        "chart: area\nx: month\ny: leads\ncolor: channel",
    ],
)
def test_figures_are_what_plotly_itself_would_write(front: str):
    """Figures are built as plain dicts; plotly.py's validators accept them unchanged."""
    import plotly.graph_objects as go

    fig = figure(front)
    checked = go.Figure(fig).to_plotly_json()
    checked["layout"].pop("template", None)
    assert json.loads(json.dumps(checked)) == json.loads(json.dumps(fig))


def test_funnel_and_kpi_figures_are_valid_plotly():
    import plotly.graph_objects as go

    funnel = figure(
        "chart: funnel\nx: stage\ny: leads",
        result(["stage", "leads"], ["VARCHAR", "BIGINT"], [("Inquiry", 100), ("MQL", 40)]),
    )
    kpi = figure(
        "chart: kpi\nformat: {amount: currency}",
        result(["amount", "missing"], ["DOUBLE", "DOUBLE"], [(1200.5, None)]),
    )
    for fig in (funnel, kpi):
        checked = go.Figure(fig).to_plotly_json()
        checked["layout"].pop("template", None)
        assert json.loads(json.dumps(checked)) == json.loads(json.dumps(fig))
    assert "value" not in kpi["data"][1]  # unset, as plotly leaves it


def test_the_browser_script_draws_with_the_python_palette():
    shipped = next(f for f in static_files() if f.path.endswith("/revpages.js")).content
    assert isinstance(shipped, str) and "REVPAGES_SHARED" not in shipped
    declared = re.search(r"var SHARED = (\{.*?\});", shipped)
    assert declared and json.loads(declared.group(1))["colorway"] == list(PALETTE[:8])
    assert "#0072B2" not in Path(revpages.site.assets.__file__).with_name("revpages.js").read_text()
