"""Personal data stays off the site unless a report opts in; a wide audience sees no detail."""

from __future__ import annotations

from pathlib import Path

import pytest

from revpages.errors import ChartSpecError
from revpages.reports.privacy import publishable
from revpages.reports.queryfile import parse_query_file
from revpages.reports.result import QueryResult
from tests.conftest import write_tree

PEOPLE = QueryResult(
    ("deal_id", "contact", "Phone_Number", "owner", "notes", "amount"),
    ("VARCHAR", "VARCHAR", "VARCHAR", "VARCHAR", "VARCHAR", "DECIMAL(18,2)"),
    [("d1", "ana@example.com", "+1 415 555 0100", "Avery Chen", "asked for a discount", 10)],
    0.0,
)


def query(front: str = ""):
    return parse_query_file(
        f"/*\ntitle: T\n{front}\n*/\nselect 1", path="queries/s/q.sql", section="s", name="q"
    )


def test_personal_columns_are_withheld_by_name_and_by_value():
    result, withheld = publishable(query(), PEOPLE)
    assert [(w.column, w.reason) for w in withheld] == [
        ("contact", "personal data"),
        ("Phone_Number", "personal data"),
    ]
    assert result.columns == ("deal_id", "owner", "notes", "amount")
    assert result.rows == [("d1", "Avery Chen", "asked for a discount", 10)]


def test_a_report_may_opt_in():
    result, withheld = publishable(query("personal_data: true"), PEOPLE)
    assert withheld == [] and result is PEOPLE


@pytest.mark.parametrize("value", ["2025-01-01", "0061234567", "12.5", "D-1000-2000-3000x"])
def test_dates_ids_and_numbers_are_not_phone_numbers(value: str):
    data = QueryResult(("code",), ("VARCHAR",), [(value,)], 0.0)
    assert publishable(query(), data)[1] == []


def test_wide_audience_drops_ids_and_notes():
    result, withheld = publishable(query("personal_data: true"), PEOPLE, audience="wide")
    assert [w.column for w in withheld] == ["deal_id", "notes"]
    assert result.columns == ("contact", "Phone_Number", "owner", "amount")


def test_drawing_a_withheld_column_is_an_error_at_its_key():
    with pytest.raises(ChartSpecError, match="'color' draws the column 'contact'") as caught:
        publishable(query("chart: bar\nx: owner\ny: amount\ncolor: contact"), PEOPLE)
    assert caught.value.line == 6 and "personal_data: true" in caught.value.hint


CONTACTS_SQL = """/*
title: Deals and contacts
*/
select deal_id, 'buyer' || deal_id || '@example.com' as contact, amount
from deals order by deal_id
"""


def test_build_withholds_warns_and_strict_fails(site: Path, build):
    write_tree(site / "queries/sales", {"contacts.sql": CONTACTS_SQL})
    assert build(site).exit_code == 0
    page = (site / "build/sales/contacts/index.html").read_text()
    csv = (site / "build/sales/contacts.csv").read_text()
    assert "buyerd1@example.com" not in page and "buyerd1@example.com" not in csv
    assert csv.splitlines()[0] == "Deal ID,Amount"
    result = build(site, "--strict")
    assert result.exit_code == 1
    assert (
        "queries/sales/contacts.sql:4:1: RP309 the column 'contact' looks like personal "
        in result.output
    )


def test_wide_audience_build_leaves_out_internal_reports_and_detail(site: Path, build):
    write_tree(
        site / "queries/sales",
        {
            "contacts.sql": CONTACTS_SQL.replace(
                "title: Deals and contacts", "title: Deals\npersonal_data: true"
            ),
            "notes.sql": "/*\ntitle: Field notes\ninternal_only: true\n*/\n"
            "select notes from deal_competitors",
        },
    )
    yml = (site / "mkdocs.yml").read_text().replace("- revpages", "- revpages:\n    audience: wide")
    (site / "mkdocs.yml").write_text(yml)
    assert build(site, "--strict").exit_code == 0
    assert not (site / "build/sales/notes").exists()
    assert "Field notes" not in (site / "build/index.html").read_text()
    csv = (site / "build/sales/contacts.csv").read_text()
    assert csv.splitlines()[0] == "Contact,Amount"
