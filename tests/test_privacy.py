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


ALIASED = {
    "aliased.sql": '/*\ntitle: Aliased ids\n*/\nselect deal_id as "Deal ID", amount from deals\n',
    "expression.sql": "/*\ntitle: Refs\n*/\nselect lower(deal_id) as ref, amount from deals\n",
    "remarks.sql": "/*\ntitle: Remarks\n*/\nselect competitor, notes as remark "
    "from deal_competitors\n",
    "reps.sql": "/*\ntitle: Reps\n*/\nselect owner as rep_name, sum(amount) as amount "
    "from deals group by all order by amount\n",
    "joined.sql": "/*\ntitle: Joined\n*/\nselect c.competitor, count(*) as deals, "
    "sum(d.amount) as amount, min(d.deal_id) as first_deal from deal_competitors c "
    "join deals d on d.deal_id = c.deal_id group by all order by all\n",
    "contacts.sql": "/*\ntitle: Contacts\n*/\nselect contact as who, count(*) as n "
    "from contacts group by all order by all\n",
}
SECRETS = ("DEAL-7731", "deal-7731", "Avery Chen", "Blake Diaz", "cheaper", "lost on price")
CONTACTS = "deal_id,contact\nDEAL-7731,ana@example.com\nDEAL-7732,+1 415 555 0100\n"


def _wide(site: Path, **options: str) -> None:
    extra = "".join(f"\n    {k}: {v}" for k, v in {"audience": "wide", **options}.items())
    yml = (site / "mkdocs.yml").read_text().replace("- revpages", f"- revpages:{extra}")
    (site / "mkdocs.yml").write_text(yml)


def _published(site: Path) -> str:
    return "\n".join(
        p.read_text(errors="replace") for p in sorted((site / "build").rglob("*")) if p.is_file()
    )


@pytest.fixture
def loopholes(site: Path) -> Path:
    """Ids, notes and rep names reached through aliases, expressions and joins."""
    for path in (site / "data/deals.csv", site / "data/deal_competitors.csv"):
        path.write_text(path.read_text().replace("d1,", "DEAL-7731,").replace("d2,", "DEAL-7732,"))
    write_tree(site, {"queries": {"sales": ALIASED}, "data": {"contacts.csv": CONTACTS}})
    return site


def test_an_internal_site_publishes_what_the_queries_select(loopholes: Path, build):
    assert build(loopholes).exit_code == 0
    published = _published(loopholes)
    assert "DEAL-7731" in published and "Avery Chen" in published and "cheaper" in published


@pytest.mark.slow  # whole builds; make test runs it
def test_a_wide_site_cannot_publish_ids_notes_or_names_through_any_alias(loopholes: Path, build):
    _wide(loopholes, privacy_salt="s3cret")
    assert build(loopholes, "--strict").exit_code == 0
    published = _published(loopholes)
    for secret in (*SECRETS, "ana@example.com", "415 555 0100"):
        assert secret not in published, secret
    joined = (loopholes / "build/sales/joined.csv").read_text().splitlines()
    assert joined[0] == "Competitor,Deals,Amount,First deal"
    assert [line.split(",")[:3] for line in joined[1:]] == [
        ["Acme", "2", "3000.00"],
        ["Globex", "2", "6000.00"],
    ]  # the join on pseudonymised ids still matches
    assert joined[1].split(",")[3].startswith("ref-")
    reps = (loopholes / "build/sales/reps.csv").read_text().splitlines()
    assert [line.split(",")[0][:4] for line in reps[1:]] == ["Rep ", "Rep "]
    remarks = (loopholes / "build/sales/remarks.csv").read_text().splitlines()
    assert remarks[1:] and all(line.endswith(",") for line in remarks[1:])  # notes removed


@pytest.mark.slow  # a whole build each; make test runs it
def test_pseudonyms_are_deterministic_and_keyed_by_the_salt(loopholes: Path, build, tmp_path):
    _wide(loopholes, privacy_salt="one")
    assert build(loopholes).exit_code == 0
    first = (loopholes / "build/sales/aliased.csv").read_text()
    assert build(loopholes, "--force").exit_code == 0
    assert (loopholes / "build/sales/aliased.csv").read_text() == first
    (loopholes / "mkdocs.yml").write_text(
        (loopholes / "mkdocs.yml").read_text().replace("privacy_salt: one", "privacy_salt: two")
    )
    assert build(loopholes).exit_code == 0
    second = (loopholes / "build/sales/aliased.csv").read_text()
    assert second != first and second.splitlines()[0] == first.splitlines()[0]


@pytest.mark.slow  # several whole builds; make test runs it
def test_privacy_mode_remove_empties_ids_and_names(loopholes: Path, build):
    _wide(loopholes, privacy_mode="remove")
    assert build(loopholes).exit_code == 0
    published = _published(loopholes)
    for secret in SECRETS:
        assert secret not in published, secret
    aliased = (loopholes / "build/sales/aliased.csv").read_text().splitlines()
    assert aliased[1:] and all(line.startswith(",") for line in aliased[1:])
