"""HubSpot and Salesforce exports -> the contract tables: every record accounted for.

The fixtures in tests/fixtures/exports/ are shaped like real exports and full of traps
(see make_fixtures.py there). For each file the data-quality line must add up (rows read
= loaded + loaded with flags + merged + excluded + refused), with the reasons and lines a
user would look for.
"""

from __future__ import annotations

import json
import shutil
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from revpages.errors import DataLoadError
from revpages.ingest.crm.catalog import export_format
from revpages.ingest.crm.overrides import override_columns
from revpages.ingest.data_dir import load_data_dir
from revpages.ingest.files import load_excel_extension
from revpages.settings import DataOptions
from tests.accounting import flags, outcome_lines, records, rejects

NOW = datetime(2026, 11, 1)
FIXTURES = Path(__file__).parent / "fixtures" / "exports"


def load(folder: Path, fmt: str, **options):
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    tables = load_data_dir(con, folder, now=NOW, options=DataOptions.of(fmt, **options))
    return con, tables


def rows(con, sql: str) -> list[tuple]:
    return con.execute(sql).fetchall()


# --- HubSpot ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def hubspot():
    return load(FIXTURES / "hubspot", "hubspot")


def test_hubspot_every_record_is_accounted_for(hubspot):
    con, tables = hubspot
    # (table, read, loaded, loaded with flags, merged, excluded, refused); the sum is
    # asserted for every line by outcome_lines
    assert outcome_lines(con, tables) == {
        "campaigns.csv": ("campaigns", 1, 1, 0, 0, 0, 0),
        "companies.csv": ("accounts", 2, 1, 1, 0, 0, 0),
        "contacts.csv": ("leads", 8, 3, 3, 1, 0, 1),
        "deals-2.csv": ("deals", 2, 1, 0, 1, 0, 0),
        "deals.csv": ("deals", 8, 4, 4, 0, 0, 0),
        "deals.csv → stage_history": ("stage_history", 6, 6, 0, 0, 0, 0),
        "deals.csv → deal_competitors": ("deal_competitors", 3, 3, 0, 0, 0, 0),
        "engagements.csv": ("activities", 4, 2, 0, 0, 0, 2),
        "form_submissions.csv": ("touchpoints", 3, 2, 0, 0, 0, 1),
        "marketing_events.csv": ("touchpoints", 1, 1, 0, 0, 0, 0),
        "owners.csv": ("owners", 1, 1, 0, 0, 0, 0),
        "spend.csv": ("spend", 1, 1, 0, 0, 0, 0),
    }
    # Each file's own line counts every record of the file (derived lines come on top).
    found = {t.path.name: t.rows_read for t in tables}
    for path in sorted((FIXTURES / "hubspot").glob("*.csv")):
        encoding = "cp1252" if path.name == "companies.csv" else "utf-8-sig"
        assert found[path.name] == records(path, encoding), path.name


def test_hubspot_outcomes_name_file_line_and_reason(hubspot):
    con, _ = hubspot
    assert rejects(con) == [
        # the first 101 was modified last, so the later row of the file merges into it
        ("contacts.csv", 4, "duplicate hs_object_id (merged into the row modified last)", "101"),
        (
            "contacts.csv",
            8,
            "malformed CSV row: too many columns",
            "107,Gus,2025-01-05 10:00,Lead,,New,Direct Traffic,,201,,,SMB,extra,fields",
        ),
        ("deals-2.csv", 2, "duplicate hs_object_id (merged into the row modified last)", "301"),
        ("engagements.csv", 3, "engagement type is not a call, email or meeting", "NOTE"),
        ("engagements.csv", 5, "missing at", ""),
        ("form_submissions.csv", 4, "missing lead_id", ""),
    ]
    future = "created_at is after the as-of date 2026-11-01 (in the future)"
    assert flags(con) == [
        ("companies.csv", 3, "employees", "employees is not a whole number", "abc"),
        ("contacts.csv", 5, "created_at", "missing created_at", ""),
        ("contacts.csv", 6, "created_at", future, "2027-01-01 00:00"),
        ("contacts.csv", 7, "created_at", "created_at is not a date and time", "someday"),
        ("deals.csv", 4, "stage", "stage is not mapped to a contract stage", "1234567"),
        ("deals.csv", 5, "amount", "negative amount", "-5"),
        ("deals.csv", 6, "closed_at", "closed before created", "2025-02-01"),
        ("deals.csv", 7, "created_at", future, "2027-01-01"),
    ]
    # a merged row names the row it merged into, across files too
    assert rows(
        con,
        "SELECT file, line, kept_file, kept_line FROM revpages_rejects "
        "WHERE outcome = 'merged' ORDER BY file",
    ) == [("contacts.csv", 4, "contacts.csv", 2), ("deals-2.csv", 2, "deals.csv", 2)]


def test_hubspot_labels_and_internal_names_give_the_same_columns(hubspot):
    con, _ = hubspot
    # contacts.csv is a screen export (labels, owner names); deals.csv an API export
    # (internal names, owner ids resolved through owners.csv).
    assert rows(
        con,
        "SELECT lead_id, created_at, source, segment, score, status, mql_at, "
        "owner, converted_deal_id, account_id FROM leads WHERE len(flags) = 0 "
        "ORDER BY lead_id",
    ) == [
        (
            "101",
            datetime(2025, 1, 3, 10),
            "paid_search",
            "smb",
            40,
            "open",
            datetime(2025, 1, 4, 9),
            "Avery Chen",
            "301",
            "201",
        ),
        (
            "102",
            datetime(2025, 3, 14, 14, 5),
            "organic",
            "mid_market",
            None,
            "working",
            None,
            None,
            "302",
            "201",
        ),
        (
            "108",
            datetime(2025, 1, 6, 10),
            "partner",
            "enterprise",
            None,
            "rejected",
            None,
            None,
            None,
            None,
        ),
    ]
    assert rows(
        con,
        "SELECT deal_id, account_id, lead_id, created_at, closed_at, stage, "
        "amount, is_closed, is_won, owner, loss_reason FROM deals WHERE len(flags) = 0 "
        "ORDER BY deal_id",
    ) == [
        (
            "301",
            "201",
            "101",
            datetime(2025, 1, 3, 10),
            datetime(2025, 2, 1, 10),
            "closed_won",
            Decimal("1200.50"),
            True,
            True,
            "Avery Chen",
            None,
        ),
        # "1.200,50" is money; +02:00 becomes UTC
        (
            "302",
            "202",
            "102",
            datetime(2025, 3, 14, 12, 5),
            datetime(2025, 4, 1),
            "closed_lost",
            Decimal("1200.50"),
            True,
            False,
            "Avery Chen",
            "no_decision",
        ),
        # the stage label "Appointment Scheduled"; null flags follow from the stage
        (
            "307",
            "201",
            "101",
            datetime(2025, 5, 1),
            datetime(2025, 9, 1),
            "qualification",
            None,
            False,
            False,
            None,
            None,
        ),
        (
            "308",
            "999",
            "999",
            datetime(2025, 5, 2),
            datetime(2025, 9, 1),
            "qualification",
            Decimal("10.00"),
            False,
            False,
            None,
            None,
        ),
        (
            "309",
            None,
            None,
            datetime(2025, 5, 3),
            datetime(2025, 9, 1),
            "negotiation",
            Decimal("500.00"),
            False,
            False,
            None,
            None,
        ),
    ]


def test_hubspot_stage_dates_competitors_activities_and_touches(hubspot):
    con, _ = hubspot
    # hs_date_entered_* and 'Date entered "Closed Lost (Sales Pipeline)"' are one kind
    assert rows(
        con, "SELECT * EXCLUDE (flags) FROM stage_history ORDER BY deal_id, entered_at"
    ) == [
        ("301", "qualification", datetime(2025, 1, 3, 10)),
        ("301", "closed_won", datetime(2025, 2, 1, 10)),
        ("302", "qualification", datetime(2025, 3, 14, 12, 5)),
        ("302", "closed_lost", datetime(2025, 4, 1)),
        ("303", "qualification", datetime(2025, 3, 1)),
        ("307", "qualification", datetime(2025, 5, 1)),
    ]
    assert rows(con, "SELECT deal_id, competitor FROM deal_competitors ORDER BY ALL") == [
        ("301", "Acme"),
        ("301", "Globex"),
        ("302", "Acme"),
    ]
    # 1735900000000 is epoch milliseconds (API v1 engagements)
    assert rows(con, "SELECT * EXCLUDE (flags) FROM activities ORDER BY activity_id") == [
        ("501", "101", None, datetime(2025, 1, 4, 10), "call", "Avery Chen"),
        ("503", None, "301", datetime(2025, 1, 3, 10, 26, 40), "meeting", "Avery Chen"),
    ]
    assert rows(con, "SELECT * EXCLUDE (flags) FROM touchpoints ORDER BY touchpoint_id") == [
        ("601", "101", datetime(2025, 1, 3, 9, 59), "paid_search", "701", "form"),
        ("602", "102", datetime(2025, 3, 14, 12), "organic", None, "form"),
        ("651", "102", datetime(2025, 3, 14, 18), "events", "702", "event"),
    ]
    assert rows(con, "SELECT name, in_tam, employees FROM accounts ORDER BY name") == [
        ("Café Noir € Co", False, None),  # 'abc' employees: flagged, the account is kept
        ("Müller GmbH", True, 120),
    ]


def test_hubspot_orphans_are_kept(hubspot):
    from revpages.ingest.quality import collect_quality

    con, tables = hubspot
    orphans = {(o.table, o.column): o.count for o in collect_quality(con, tables).orphans}
    assert orphans == {
        ("deals", "account_id"): 2,  # 202 (not exported) and 999
        ("deals", "lead_id"): 1,  # 999
        ("touchpoints", "campaign_id"): 1,  # 702
    }


# --- Salesforce ------------------------------------------------------------------------

SF_OPTIONS = {
    "columns": {"deals.loss_reason": "Reason_Lost__c"},
    "stage_map": {"Technical Win": "negotiation"},
}


@pytest.fixture(scope="module")
def salesforce():
    return load(FIXTURES / "salesforce", "salesforce", **SF_OPTIONS)


def test_salesforce_every_record_is_accounted_for(salesforce):
    con, tables = salesforce
    assert outcome_lines(con, tables) == {
        "Account.csv": ("accounts", 1, 1, 0, 0, 0, 0),
        "Campaign.csv": ("campaigns", 1, 1, 0, 0, 0, 0),
        "CampaignMember.csv": ("touchpoints", 2, 2, 0, 0, 0, 0),
        "Contact.csv": ("Contact", 1, 1, 0, 0, 0, 0),
        "Event.csv": ("activities", 1, 1, 0, 0, 0, 0),
        "Lead.csv": ("leads", 3, 2, 1, 0, 0, 0),
        "Opportunity-2.csv": ("deals", 1, 0, 0, 1, 0, 0),
        "Opportunity.csv": ("deals", 5, 3, 2, 0, 0, 0),
        "OpportunityCompetitor.csv": ("deal_competitors", 2, 2, 0, 0, 0, 0),
        # 6 history rows: two more rows in 'qualification' merge into the stay's first
        "OpportunityHistory.csv": ("stage_history", 6, 3, 1, 2, 0, 0),
        "Task.csv": ("activities", 3, 2, 0, 0, 0, 1),
        "Task.csv → touchpoints": ("touchpoints", 1, 1, 0, 0, 0, 0),
        "User.csv": ("User", 1, 1, 0, 0, 0, 0),
    }
    found = {t.path.name: t.rows_read for t in tables}
    for path in sorted((FIXTURES / "salesforce").glob("*.csv")):
        encoding = "cp1252" if path.name == "Account.csv" else "utf-8-sig"
        counted = found[path.name] + (
            found["Task.csv → touchpoints"] if path.name == "Task.csv" else 0
        )
        assert counted == records(path, encoding), path.name


def test_salesforce_outcomes_name_file_line_and_reason(salesforce):
    con, _ = salesforce
    stay = "repeats the stage the deal was already in (merged into the row that began the stay)"
    assert rejects(con) == [
        (
            "Opportunity-2.csv",
            2,
            "duplicate Id (merged into the row modified last)",
            "006000000000001AAA",
        ),
        ("OpportunityHistory.csv", 3, stay, "qualification"),
        ("OpportunityHistory.csv", 4, stay, "qualification"),
        ("Task.csv", 5, "task type is not a call, email or meeting", "To Do"),
    ]
    unmapped = "stage is not mapped to a contract stage"
    # the quoted company name holds a line break: the 'null' row is spreadsheet row 4
    assert flags(con) == [
        ("Lead.csv", 4, "created_at", "missing created_at", ""),
        ("Opportunity.csv", 5, "stage", unmapped, "Verbal"),
        ("Opportunity.csv", 6, "amount", "negative amount", "-100"),
        ("OpportunityHistory.csv", 7, "stage", unmapped, "Verbal"),
    ]


def test_salesforce_values(salesforce):
    con, _ = salesforce
    assert rows(
        con,
        "SELECT lead_id, source, status, first_touch_at, owner, "
        "converted_deal_id, account_id FROM leads ORDER BY lead_id",
    ) == [
        # first_touch_at: the first call/email/meeting on the lead or its contact
        (
            "00Q000000000001AAA",
            "organic",
            "converted",
            datetime(2025, 1, 3, 10, 30),
            "Avery Chen",
            "006000000000001AAA",
            "001000000000001AAA",
        ),
        # owned by a queue (00G...): no owner yet
        ("00Q000000000002AAA", "partner", "open", None, None, None, None),
        ("00Q000000000003AAA", "organic", "open", None, None, None, None),  # no create date
    ]
    assert rows(
        con,
        "SELECT deal_id, lead_id, closed_at, stage, amount, loss_reason "
        "FROM deals ORDER BY deal_id",
    ) == [
        # CloseDate has no time: the close time comes from OpportunityHistory
        (
            "006000000000001AAA",
            "00Q000000000001AAA",
            datetime(2025, 2, 1, 16, 30),
            "closed_won",
            Decimal("1200.50"),
            None,
        ),
        # loss reason from the custom field named in data_columns
        (
            "006000000000002AAA",
            None,
            datetime(2025, 3, 1, 9),
            "closed_lost",
            Decimal("2000.00"),
            "went_dark",
        ),
        # 'Technical Win' mapped by data_stage_map
        ("006000000000003AAA", None, datetime(2025, 9, 1), "negotiation", Decimal("100.00"), None),
        # 'Verbal' is kept as unmapped; a negative amount (a credit) keeps its value
        ("006000000000004AAA", None, datetime(2025, 9, 1), "unmapped", Decimal("100.00"), None),
        (
            "006000000000005AAA",
            None,
            datetime(2025, 9, 1),
            "qualification",
            Decimal("-100.00"),
            None,
        ),
    ]
    assert rows(con, "SELECT * FROM stage_history ORDER BY entered_at") == [
        ("006000000000001AAA", "qualification", datetime(2025, 1, 10, 10), []),
        ("006000000000001AAA", "closed_won", datetime(2025, 2, 1, 16, 30), []),
        ("006000000000004AAA", "unmapped", datetime(2025, 2, 3, 10), ["stage"]),
        ("006000000000002AAA", "closed_lost", datetime(2025, 3, 1, 9), []),
    ]
    # contacts are traced back to their lead; Tasks of a marketing Type are touches
    assert rows(
        con, "SELECT activity_id, lead_id, deal_id, kind FROM activities ORDER BY activity_id"
    ) == [
        ("00T000000000001AAA", "00Q000000000001AAA", None, "call"),
        ("00T000000000002AAA", "00Q000000000001AAA", "006000000000001AAA", "email"),
        ("00U000000000001AAA", None, "006000000000001AAA", "meeting"),
    ]
    assert rows(
        con,
        "SELECT touchpoint_id, lead_id, channel, campaign_id, kind "
        "FROM touchpoints ORDER BY touchpoint_id",
    ) == [
        ("00T000000000003AAA", "00Q000000000002AAA", "organic", None, "visit"),
        ("00v000000000001AAA", "00Q000000000001AAA", "content", "701000000000001AAA", "form"),
        ("00v000000000002AAA", "00Q000000000001AAA", "content", "701000000000001AAA", "event"),
    ]
    assert rows(con, "SELECT notes FROM deal_competitors ORDER BY deal_id") == [
        ('Cheaper, "unlimited" seats / Slow',),
        (None,),
    ]


# --- options ---------------------------------------------------------------------------


def test_without_the_option_the_custom_stage_is_kept_as_unmapped(tmp_path: Path):
    con, _ = load(FIXTURES / "salesforce", "salesforce")
    flagged = ("Opportunity.csv", 4, "stage", "stage is not mapped to a contract stage")
    assert (*flagged, "Technical Win") in flags(con)
    assert rows(con, "SELECT stage FROM deals WHERE deal_id = '006000000000003AAA'") == [
        ("unmapped",)
    ]


@pytest.mark.parametrize(
    "options, message",
    [
        (
            {"columns": {"deals.los_reason": "X"}},
            "data_columns: 'deals.los_reason' is not a contract column",
        ),
        (
            {"columns": {"deals.loss_reason": "No_Such__c"}},
            "data_columns: 'deals.loss_reason' names 'No_Such__c', which is not a column of "
            "Opportunity exports",
        ),
        (
            {"stage_map": {"Verbal": "won"}},
            "data_stage_map: 'Verbal' maps to 'won', which is not a contract stage",
        ),
    ],
)
def test_bad_options_are_named(options, message):
    with pytest.raises(DataLoadError, match=message.replace("(", r"\(")) as caught:
        load(FIXTURES / "salesforce", "salesforce", **options)
    if "los_reason" in message:
        assert caught.value.hint == "Did you mean 'deals.loss_reason'?"


def test_override_keeps_the_clean_up_of_a_one_column_expression():
    con = duckdb.connect()
    con.execute('CREATE SCHEMA s; CREATE TABLE s.o (a VARCHAR, b VARCHAR, "Odd Name" VARCHAR)')
    sql = (
        "select lower(o.a) as x, concat(o.a, o.b) as y from s.o as o "
        "union all select upper(o.b), o.a from s.o as o"
    )

    def resolve(schema, table, name):
        return "Odd Name" if name == "odd" else None

    out = override_columns(
        con, sql, {"x": "odd", "y": "odd"}, table="t", resolve=resolve, sources="o"
    )
    assert 'lower(o."Odd Name") AS x' in out and 'o."Odd Name" AS y' in out
    assert 'upper(o."Odd Name")' in out  # every branch of a UNION
    # the tree, not text: a hostile name stays one identifier
    out = override_columns(
        con,
        sql,
        {"x": "odd"},
        table="t",
        resolve=lambda *_: 'a") from s.o; drop table s.o; --',
        sources="o",
    )
    assert (
        json.loads(con.execute("SELECT json_serialize_sql($1)", [out]).fetchone()[0])["error"]
        is False
    )
    assert len(con.extract_statements(out)) == 1


def test_a_competitor_property_can_be_chosen(tmp_path: Path):
    data = tmp_path / "data"
    shutil.copytree(FIXTURES / "hubspot", data)
    (data / "deals-2.csv").unlink()
    text = (data / "deals.csv").read_text().replace("competitors;", "main_rivals;")
    (data / "deals.csv").write_text(text)
    con, _ = load(data, "hubspot", columns={"deal_competitors.competitor": "Main Rivals"})
    assert rows(con, "SELECT count(*) FROM deal_competitors") == [(3,)]


def test_a_native_file_of_a_mapped_table_is_an_error(tmp_path: Path):
    data = tmp_path / "data"
    shutil.copytree(FIXTURES / "hubspot", data)
    (data / "leads.csv").write_text("lead_id,created_at\nL1,2025-01-01\n")
    with pytest.raises(DataLoadError, match=r"'leads\.csv' is named like a native export"):
        load(data, "hubspot")


def test_missing_required_column_names_its_labels(tmp_path: Path):
    (tmp_path / "engagements.csv").write_text("Activity ID,Activity type\n1,CALL\n")
    with pytest.raises(DataLoadError, match=r"has no column 'hs_timestamp' \(or 'Activity date'\)"):
        load(tmp_path, "hubspot")


def test_contacts_without_a_create_date_are_kept_and_named(tmp_path: Path):
    (tmp_path / "contacts.csv").write_text("Record ID,Email\n1,a@example.com\n")
    con, [contacts] = load(tmp_path, "hubspot")
    assert (contacts.rows_read, contacts.rows) == (1, 1)
    assert ("created_at", "'createdate' (or 'Create Date')", 1) in rows(
        con, "SELECT column_name, source, rows FROM revpages_missing_columns"
    )


def test_every_mapping_selects_exactly_the_contract_columns():
    from revpages.contract import TABLES_BY_NAME

    for fmt in ("hubspot", "salesforce"):
        spec = export_format(fmt)
        con = duckdb.connect()
        con.execute(f"CREATE SCHEMA {fmt}")
        from revpages.ingest.conform import install_readers
        from revpages.ingest.crm.mapping import _HELPERS

        install_readers(con)
        for sql in _HELPERS:
            con.execute(sql)
        for obj in spec.objects.values():
            columns = ", ".join(f'"{c}" VARCHAR' for c in obj.columns)
            con.execute(
                f'CREATE TABLE {fmt}."{obj.name}" (__file VARCHAR, __order INTEGER, '
                f"__rec BIGINT, {columns})"
            )
        con.execute(spec.macros)
        for table, sql in spec.mappings.items():
            names = [c for c in con.sql(sql).columns if c not in ("__reason", "__value", "__as_of")]
            assert names == ["__file", "__rec", *TABLES_BY_NAME[table].column_names], (fmt, table)


# --- Excel -----------------------------------------------------------------------------


def test_xlsx_exports_are_read_offline(tmp_path: Path):
    writer = duckdb.connect()
    load_excel_extension(writer)
    writer.execute(
        f"COPY (SELECT * FROM (VALUES ('101', TIMESTAMP '2025-01-03 10:00:00', 'Paid Search'),"
        f'(\'102\', NULL, \'Referrals\')) AS t("Record ID", "Create Date", "Original Source")) '
        f"TO '{tmp_path / 'contacts.xlsx'}' (FORMAT xlsx, HEADER true)"
    )
    con, [contacts] = load(tmp_path, "hubspot")
    assert (contacts.name, contacts.rows_read, contacts.rows) == ("leads", 2, 2)
    assert rows(con, "SELECT lead_id, created_at, source FROM leads") == [
        ("101", datetime(2025, 1, 3, 10), "paid_search"),
        ("102", None, "partner"),
    ]
    assert flags(con) == [("contacts.xlsx", 3, "created_at", "missing created_at", "")]
