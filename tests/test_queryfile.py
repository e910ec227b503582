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
