from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import revpages.site.assets
from revpages.errors import ChartSpecError
from revpages.pages.charts import build_figure, check_columns, series_names
from revpages.pages.formats import FORMAT_SPEC
from revpages.pages.palette import EMPHASIS, PALETTE, ColorMap
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
    assert [t["name"] for t in fig["data"]] == ["Email", "&lt;b&gt;events&lt;/b&gt;"]
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


def test_two_value_columns_of_a_bar_chart_stand_side_by_side():
    """Overlaid, the taller bar of each pair hid the other (sourced vs influenced)."""
    two = QueryResult(
        ("channel", "sourced", "influenced"),
        ("VARCHAR", "DOUBLE", "DOUBLE"),
        [("email", 1.0, 5.0), ("events", 2.0, 7.0)],
        0.0,
    )
    for chart in ("bar", "horizontal_bar"):
        fig = figure(f"chart: {chart}\nx: channel\ny: [sourced, influenced]", two)
        assert fig["layout"]["barmode"] == "group", chart
        assert [t["name"] for t in fig["data"]] == ["Sourced", "Influenced"]
    one = figure("chart: bar\nx: channel\ny: sourced", two)
    assert one["layout"]["barmode"] == "overlay"


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
    assert fig["layout"]["yaxis"]["ticksuffix"] == ""  # d3's % writes the sign
    trace = fig["data"][0]
    assert "Win rate: %{customdata[1]}" in trace["hovertemplate"]
    assert trace["customdata"][0][:2] == ["Acme", 0.4321]  # the browser formats the number
    assert trace["meta"]["formats"][1] == {"format": "percent", "decimals": 1}
    fig = figure(
        "chart: bar\nx: competitor\ny: amount\nformat: {amount: currency}", data, currency="€"
    )
    assert fig["layout"]["yaxis"]["tickprefix"] == "€"
    assert fig["data"][0]["meta"]["formats"][1] == {
        "format": "currency",
        "decimals": 0,
        "prefix": "€",
    }


def test_funnel_uses_stage_and_value():
    data = result(
        ["stage", "leads"], ["VARCHAR", "BIGINT"], [("Inquiry", 100), ("MQL", 40), ("SQL", 10)]
    )
    fig = figure("chart: funnel\nx: stage\ny: leads", data)
    trace = fig["data"][0]
    assert trace["type"] == "funnel"
    assert trace["y"] == ["Inquiry", "MQL", "SQL"] and trace["x"] == [100, 40, 10]


def test_kpi_is_drawn_as_tiles_and_needs_one_row():
    data = result(["win_rate", "deals"], ["DOUBLE", "BIGINT"], [(0.25, 40)])
    assert figure("chart: kpi\nformat: {win_rate: percent}", data) is None
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


def test_funnel_figures_are_valid_plotly():
    import plotly.graph_objects as go

    funnel = figure(
        "chart: funnel\nx: stage\ny: leads",
        result(["stage", "leads"], ["VARCHAR", "BIGINT"], [("Inquiry", 9458), ("MQL", 40)]),
    )
    checked = go.Figure(funnel).to_plotly_json()
    checked["layout"].pop("template", None)
    assert json.loads(json.dumps(checked)) == json.loads(json.dumps(funnel))
    # The stage's count reads as the table's ("9,458"), formatted from the shared spec.
    assert funnel["data"][0]["texttemplate"] == "%{customdata[1]}"
    assert funnel["data"][0]["meta"]["formats"][1] == {"format": "integer", "decimals": 0}


def test_the_browser_script_draws_with_the_python_palette():
    shipped = next(f for f in static_files() if f.path.endswith("/revpages.js")).content
    assert isinstance(shipped, str) and "REVPAGES_SHARED" not in shipped
    declared = re.search(r"var SHARED = (\{.*?\});", shipped)
    assert declared and json.loads(declared.group(1))["colorway"] == list(PALETTE[:8])
    assert json.loads(declared.group(1))["formats"] == FORMAT_SPEC
    assert "#0072B2" not in Path(revpages.site.assets.__file__).with_name("revpages.js").read_text()


# --- the chart kinds and judgement keys ------------------------------------------------

WIN_RATES = result(
    ["competitor", "segment", "closed_deals", "win_rate", "wilson_low", "wilson_high", "flagged"],
    ["VARCHAR", "VARCHAR", "BIGINT", "DOUBLE", "DOUBLE", "DOUBLE", "BOOLEAN"],
    [
        ("Acme", "smb", 110, 0.29, 0.21, 0.38, False),
        ("Globex", "smb", 12, 0.40, 0.17, 0.67, True),
        ("Acme", "enterprise", 35, 0.25, 0.13, 0.41, False),
        ("Globex", "enterprise", 80, 0.20, 0.13, 0.30, False),
    ],
)
KINDS = {
    "horizontal_bar": "x: competitor\ny: win_rate\nerror: [wilson_low, wilson_high]\n"
    "n: closed_deals\nhighlight: flagged\nreference: {value: 0.3, label: Target}",
    "bar": "x: competitor\ny: win_rate\nfacet: segment\nn: {column: closed_deals, min: 30}",
    "scatter": "x: closed_deals\ny: win_rate\nlabel: competitor\n"
    "reference: {value: 50, axis: x, label: Enough deals}",
    "dumbbell": "x: competitor\ny: [wilson_low, wilson_high]\nn: closed_deals",
    "heatmap": "pivot: {rows: competitor, columns: segment, values: win_rate}",
    "paths": "x: segment\ny: closed_deals",
    "line": "x: segment\ny: win_rate\ncolor: competitor\n"
    "reference: {from: 0.2, to: 0.3, label: Usual range}",
}


def kind_figure(chart: str, data: QueryResult = WIN_RATES):
    front = f"chart: {chart}\n{KINDS[chart]}\nformat: {{win_rate: percent}}"
    return build_figure(query(front), data, colors=ColorMap(["win_rate"]))


@pytest.mark.parametrize("chart", sorted(KINDS))
def test_every_kind_is_what_plotly_itself_would_write(chart: str):
    import plotly.graph_objects as go

    fig = kind_figure(chart)
    checked = go.Figure(fig).to_plotly_json()
    checked["layout"].pop("template", None)
    assert json.loads(json.dumps(checked)) == json.loads(json.dumps(fig))


def test_horizontal_bars_show_the_verdict():
    fig = kind_figure(
        "horizontal_bar", result(WIN_RATES.columns, WIN_RATES.types, WIN_RATES.rows[:2])
    )
    plain, flagged, *notes = fig["data"]
    assert plain["orientation"] == "h" and plain["y"] == ["Acme"]
    # highlight: the flagged row in the emphasis colour, named by what it means
    assert flagged["name"] == "Flagged" and flagged["marker"]["color"] == EMPHASIS
    assert flagged["y"] == ["Globex"]
    axis = fig["layout"]["yaxis"]
    assert axis["autorange"] == "reversed" and axis["categoryorder"] == "array"
    assert axis["categoryarray"] == ["Globex", "Acme"]  # largest first, flagged or not
    # error: the interval around each value
    assert flagged["error_x"]["array"] == [pytest.approx(0.27)]
    assert flagged["error_x"]["arrayminus"] == [pytest.approx(0.23)]
    # n: on the bar, faint and labelled when small, explained in the legend
    assert flagged["texttemplate"] == ["n=%{customdata[4]} · small"]
    assert flagged["marker"]["opacity"] == [0.35]
    assert [n["name"] for n in notes] == [
        "Faint: Closed deals under 30 (small sample)",
        "Whiskers: Wilson low to Wilson high",
    ]
    # reference: a labelled line on the value axis, in the legend
    (line,) = fig["layout"]["shapes"]
    assert (line["type"], line["x0"], line["x1"], line["name"]) == ("line", 0.3, 0.3, "Target")
    assert line["yref"] == "y domain" and line["showlegend"] is True


def test_a_reference_column_that_varies_is_drawn_per_row():
    data = result(
        ["channel", "leads", "plan"],
        ["VARCHAR", "BIGINT", "BIGINT"],
        [("email", 10, 12), ("events", 5, 4)],
    )
    front = "chart: bar\nx: channel\ny: leads\nreference: {value: plan, label: Plan}"
    fig = build_figure(query(front), data, colors=ColorMap())
    markers = fig["data"][-1]
    assert markers["name"] == "Plan" and markers["y"] == [12, 4]
    assert "shapes" not in fig["layout"]
    same = result(data.columns, data.types, [("email", 10, 12), ("events", 5, 12)])
    fig = build_figure(query(front), same, colors=ColorMap())
    assert fig["layout"]["shapes"][0]["y0"] == 12


def test_small_multiples_share_their_axes():
    fig = kind_figure("bar")
    layout = fig["layout"]
    assert layout["grid"] == {"rows": 1, "columns": 2, "pattern": "independent"}
    assert layout["yaxis2"]["matches"] == "y" and layout["xaxis2"]["matches"] == "x"
    assert [a["text"] for a in layout["annotations"]] == ["<b>SMB</b>", "<b>Enterprise</b>"]
    assert [(t["xaxis"], t["yaxis"]) for t in fig["data"] if "xaxis" in t] == [("x2", "y2")]
    assert layout["meta"]["facet"]["panels"] == 2


def test_heatmap_draws_the_pivot_grid():
    trace = kind_figure("heatmap")["data"][0]
    assert trace["y"] == ["Acme", "Globex"] and trace["x"] == ["SMB", "Enterprise"]
    assert trace["z"] == [[0.29, 0.25], [0.4, 0.2]]
    assert trace["meta"]["cellFormat"] == {"format": "percent", "decimals": 1}
    gap = result(WIN_RATES.columns, WIN_RATES.types, WIN_RATES.rows[:3])
    assert kind_figure("heatmap", gap)["data"][0]["z"] == [[0.29, 0.25], [0.4, None]]


def test_dumbbells_join_two_values_per_row():
    connector, low, high, *_notes = kind_figure("dumbbell")["data"]
    assert connector["x"][:3] == [0.21, 0.38, None]
    assert (low["name"], high["name"]) == ("Wilson low", "Wilson high")
    assert high["y"][0] == "Acme<br>n=110"  # the sample size under the row's name


def test_scatter_names_its_points_and_draws_the_reference_on_x():
    fig = kind_figure("scatter")
    assert fig["data"][0]["text"] == ["Acme", "Globex", "Acme", "Globex"]
    assert fig["layout"]["shapes"][0]["xref"] == "x" and fig["layout"]["shapes"][0]["x0"] == 50


def test_paths_read_as_steps():
    data = result(
        ["journey", "opportunities"],
        ["VARCHAR[]", "BIGINT"],
        [(["paid_search", "…", "email"], 9), (["organic"], 4)],
    )
    fig = build_figure(query("chart: paths\nx: journey\ny: opportunities"), data, colors=ColorMap())
    assert fig["data"][0]["y"] == ["Paid search → … → Email", "Organic"]


@pytest.mark.parametrize(
    "front, code, message",
    [
        (
            "chart: bar\nx: competitor\ny: win_rate\nlabel: segment",
            "RP315",
            "does not draw 'label'",
        ),
        ("chart: heatmap\ny: win_rate", "RP315", "draws the grid of 'pivot'"),
        ("chart: dumbbell\nx: competitor\ny: win_rate", "RP315", "joins two values"),
        (
            "chart: bar\nx: competitor\ny: win_rate\ncolor: segment\nhighlight: flagged",
            "RP315",
            "already colours rows",
        ),
        ("chart: kpi\ny: win_rate\nreference: {value: 1, label: T}", "RP315", "names none of"),
        ("chart: bar\nx: competitor\ny: win_rate\nhighlight: segment", "RP314", "VARCHAR values"),
        ("chart: bar\nx: competitor\ny: win_rate\nn: segment", "RP314", "needs numbers"),
        ("chart: bar\nx: competitor\ny: win_rate\nerror: [low, high]", "RP301", "'low'"),
    ],
)
def test_keys_a_chart_cannot_draw_are_located_errors(front: str, code: str, message: str):
    q = query(front)
    with pytest.raises(ChartSpecError, match=message) as caught:
        check_columns(q, WIN_RATES)
    assert caught.value.code == code and caught.value.line >= 3 and caught.value.hint


def test_too_many_small_multiples_are_refused():
    many = result(
        ["month", "channel", "leads"],
        ["VARCHAR", "VARCHAR", "BIGINT"],
        [("m", f"c{i}", i) for i in range(13)],
    )
    with pytest.raises(ChartSpecError, match="13 small charts") as caught:
        figure("chart: bar\nx: month\ny: leads\nfacet: channel", many)
    assert caught.value.code == "RP316"


def test_a_stacked_area_stacks_a_zero_where_a_series_has_no_row():
    gap = result(MONTHLY.columns, MONTHLY.types, MONTHLY.rows[:3])  # events lacks February
    fig = figure("chart: area\nx: month\ny: leads\ncolor: channel", gap)
    events = fig["data"][1]
    assert events["x"] == ["2025-01-01", "2025-02-01"] and events["y"] == [5, 0]
    assert events["customdata"][1] == ["2025-02-01", "&lt;b&gt;events&lt;/b&gt;", 0]


def test_a_small_sample_on_an_upright_bar_is_labelled_on_two_lines():
    """A vertical bar is narrow on a phone: "small" goes under the count, not beside it."""
    fig = kind_figure("bar")
    texts = [t for trace in fig["data"] for t in trace.get("texttemplate") or []]
    assert any(t.endswith("<br>small") for t in texts)
    assert not any("· small" in t for t in texts)


def test_a_small_sample_point_keeps_a_ring_in_its_full_colour():
    """A faded dot alone is lost on a dark page: the fill fades, the ring does not."""
    front = (
        "chart: scatter\nx: closed_deals\ny: win_rate\nlabel: competitor\n"
        "n: {column: closed_deals, min: 30}\nformat: {win_rate: percent}"
    )
    fig = build_figure(query(front), WIN_RATES, colors=ColorMap(["win_rate"]))
    points = next(t for t in fig["data"] if t.get("mode") == "markers+text")
    color = points["marker"]["line"]["color"]
    assert color.startswith("#") and "opacity" not in points["marker"]
    fills = points["marker"]["color"]
    assert [fill == color for fill in fills] == [n >= 30 for n in points["x"]]
    assert all(
        fill.startswith("rgba(") and fill.endswith(", 0.35)") for fill in fills if fill != color
    )
    note = next(t for t in fig["data"] if str(t.get("name", "")).startswith("Faint"))
    assert note["marker"]["line"]["color"] == color
