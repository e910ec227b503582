from __future__ import annotations

import dataclasses

import pytest

from revpages.errors import FrontMatterError, QueryFileError
from revpages.reports.queryfile import parse_query_file
from revpages.reports.spec import FRONT_MATTER_KEYS, ReportSpec


def parse(text: str, name: str = "report"):
    return parse_query_file(text, path=f"queries/sales/{name}.sql", section="sales", name=name)


def test_front_matter_and_sql_are_split():
    query = parse("/*\ntitle: Pipeline\nchart: bar\nx: stage\ny: [won, lost]\n*/\nselect 1;\n")
    assert query.spec.title == "Pipeline"
    assert query.spec.chart == "bar"
    assert query.spec.y == ("won", "lost")
    assert query.sql == "select 1"
    assert query.report_id == "sales/report"


def test_defaults_apply_when_keys_are_absent():
    spec = parse("/* title: Only a title */ select 1").spec
    assert (spec.chart, spec.description, spec.order, spec.format) == ("table", "", 100, {})


def test_leading_line_comments_are_allowed():
    query = parse("-- queries/sales/report.sql\n-- owner: revops\n/* title: T */\nselect 2")
    assert query.sql == "select 2"
    assert query.sql_position(0) == (4, 1)


def test_sql_positions_map_to_file_lines():
    query = parse("/*\ntitle: T\n*/\n\nselect a,\n  b from t")
    assert query.sql_position(query.sql.index("b from")) == (6, 3)


def test_unknown_key_suggests_the_nearest_one():
    with pytest.raises(FrontMatterError) as caught:
        parse("/*\ntitle: T\ncahrt: bar\n*/\nselect 1")
    error = caught.value
    assert (error.line, error.column) == (3, 1)
    assert error.message() == (
        "queries/sales/report.sql:3:1: RP210 unknown front-matter key 'cahrt'. "
        "Hint: Did you mean 'chart'?"
    )


def test_bad_value_names_the_key_and_position():
    with pytest.raises(FrontMatterError) as caught:
        parse("/*\ntitle: T\n  \nchart: pie\n*/\nselect 1")
    assert caught.value.line == 4
    assert "'chart'" in caught.value.text
    assert "kpi, line, bar" in caught.value.text


def test_bad_format_name_is_rejected():
    with pytest.raises(FrontMatterError, match="format 'percentage'"):
        parse("/*\ntitle: T\nformat: {rate: percentage}\n*/\nselect 1")


def test_missing_title_is_an_error_at_the_comment():
    with pytest.raises(FrontMatterError, match="no 'title'") as caught:
        parse("\n\n/*\nchart: bar\n*/\nselect 1")
    assert (caught.value.line, caught.value.column) == (3, 1)


def test_invalid_yaml_points_into_the_comment():
    with pytest.raises(FrontMatterError, match="not valid YAML") as caught:
        parse("/*\ntitle: T\nformat: {a: percent\n*/\nselect 1")
    assert caught.value.line >= 3


def test_duplicate_key_is_an_error():
    with pytest.raises(FrontMatterError, match="appears twice") as caught:
        parse("/*\ntitle: T\ntitle: U\n*/\nselect 1")
    assert caught.value.line == 3


def test_file_without_front_matter():
    with pytest.raises(FrontMatterError, match="front-matter block comment") as caught:
        parse("select 1")
    assert (caught.value.line, caught.value.column) == (1, 1)


def test_unclosed_comment():
    with pytest.raises(FrontMatterError, match="never closed"):
        parse("/* title: T\nselect 1")


def test_front_matter_without_sql():
    with pytest.raises(QueryFileError, match="no SQL"):
        parse("/* title: T */\n  ;\n")


def test_scalar_front_matter_is_rejected():
    with pytest.raises(FrontMatterError, match="mapping"):
        parse("/* just text */ select 1")


@pytest.mark.parametrize("name", ["Bad Name", "über", "_private"])
def test_file_names_must_be_url_safe(name):
    with pytest.raises(QueryFileError, match="valid page name"):
        parse("/* title: T */ select 1", name=name)


def test_the_spec_class_follows_from_the_key_table():
    fields = {f.name: f for f in dataclasses.fields(ReportSpec)}
    assert list(fields) == [key.name for key in FRONT_MATTER_KEYS]
    spec = ReportSpec(title="t")
    for key in FRONT_MATTER_KEYS:
        if not key.required:
            assert getattr(spec, key.name) == key.default, key.name
    assert ReportSpec(title="t").format is not spec.format  # no shared mutable default


@pytest.mark.parametrize("name", ["pipeline\n", "p" * 101, "Pipeline"])
def test_names_that_no_page_or_file_system_takes_are_refused(name: str):
    with pytest.raises(QueryFileError) as caught:
        parse_query_file("/* title: T */ select 1", path="q.sql", section="sales", name=name)
    assert caught.value.code == "RP201"
    assert parse_query_file("/* title: T */ select 1", path="q.sql", section="s", name="p" * 100)


@pytest.mark.parametrize(
    "front, hint",
    [
        ("chart: horizontal_bars", "Did you mean 'horizontal_bar'?"),
        ("chart: pie", "for example 'chart: bar'."),  # not a misspelt 'kpi'
        ("format: {rate: percnt}", "Did you mean 'percent'?"),
        ("reference: {value: 0.3, lable: Target}", "Did you mean 'label'?"),
        ("reference: {value: 0.3}", "for example 'reference: {value: 0.3, label: Target"),
        ("reference: {value: 0.3, label: T, better: highr}", "Did you mean 'higher'?"),
        ("highlight: {column: flagged, labels: x}", "Did you mean 'label'?"),
        ("pivot: {rows: month, colums: channel, values: spend}", "Did you mean 'columns'?"),
        ("n: {column: deals, min: 0}", "for example 'n: closed_deals'."),
        ("error: [low]", "for example 'error: [wilson_low, wilson_high]'."),
    ],
)
def test_misspelt_values_of_the_judgement_keys_are_located_with_a_hint(front: str, hint: str):
    with pytest.raises(FrontMatterError) as caught:
        parse(f"/*\ntitle: Pipeline\n{front}\n*/\nselect 1\n")
    assert caught.value.code == "RP211" and caught.value.line == 3
    assert hint in caught.value.hint


def test_judgement_keys_read_into_values():
    spec = parse(
        "/*\ntitle: T\nerror: {low: lo, high: hi, label: 95 % interval}\nn: deals\n"
        "highlight: flagged\nreference:\n  - {value: 0.3, label: Target}\n"
        "  - {from: -0.1, to: spread, label: Band, axis: x}\n"
        "pivot: {rows: month, columns: channel, values: spend}\n*/\nselect 1\n"
    ).spec
    assert (spec.error.low, spec.error.high, spec.error.label) == ("lo", "hi", "95 % interval")
    assert (spec.n.column, spec.n.min) == ("deals", 30)
    assert (spec.highlight.column, spec.highlight.label) == ("flagged", "Flagged")
    line, band = spec.reference
    assert (line.value, line.is_band) == (0.3, False)
    assert (band.low, band.high, band.axis, band.columns()) == (-0.1, "spread", "x", ["spread"])
    assert spec.pivot.columns == "channel"
