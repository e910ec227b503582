"""Hand-made exports with the faults real ones have, in the native, HubSpot and Salesforce
formats: each fault gets the behaviour the guide's policy states (exports page, "What
happens to each row"), and for every file of every fixture rows read = loaded + loaded with
flags + merged + excluded + refused (asserted by ``outcome_lines``).
"""

from __future__ import annotations

import re
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from revpages.ingest.data_dir import load_data_dir
from revpages.settings import DataOptions
from tests.accounting import flags, outcome_lines, records, rejects
from tests.conftest import repo_plugin_options

NOW = datetime(2026, 11, 1)
BOM = "\ufeff"


def load(tmp_path: Path, files: dict[str, str | bytes], fmt: str = "native", **options):
    folder = tmp_path / fmt
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        data = content if isinstance(content, bytes) else content.encode("utf-8")
        (folder / name).write_bytes(data)
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    tables = load_data_dir(con, folder, now=NOW, options=DataOptions.of(fmt, **options))
    return con, tables, outcome_lines(con, tables)


def rows(con, sql: str) -> list[tuple]:
    return con.execute(sql).fetchall()


# --- spreadsheets' leftovers: mixed line ends, trailing empty columns, joined files -------

CAMPAIGNS = {
    "native": (
        "campaigns.csv",
        [
            "campaign_id,name,channel,start_date,end_date,,",
            "c1,Webinar Q1,content,2025-01-01,2025-03-31,,",
        ],
        [
            "c2,Search,paid_search,2025-02-01,2025-02-28,,",
            "c3,Events,events,2025-03-01,2025-03-31,,",
        ],
    ),
    "hubspot": (
        "campaigns.csv",
        [
            "hs_object_id,hs_name,hs_start_date,hs_end_date,channel,,",
            "c1,Webinar Q1,2025-01-01,2025-03-31,Webinar,,",
        ],
        [
            "c2,Search,2025-02-01,2025-02-28,Paid Search,,",
            "c3,Events,2025-03-01,2025-03-31,Events,,",
        ],
    ),
    "salesforce": (
        "Campaign.csv",
        ["Id,Name,Type,StartDate,EndDate,,", "c1,Webinar Q1,Webinar,2025-01-01,2025-03-31,,"],
        [
            "c2,Search,Advertisement,2025-02-01,2025-02-28,,",
            "c3,Events,Conference,2025-03-01,2025-03-31,,",
        ],
    ),
}


def joined_export(header_and_first: list[str], more: list[str]) -> bytes:
    """Two exports pasted into one file: BOM + header twice, lines ending partly in CRLF and
    partly in LF, empty trailing columns, no line break after the last line."""
    header, first = header_and_first
    text = (
        f"{BOM}{header}\r\n{first}\n{more[0]}\r\n"  # the first export, mixed line ends
        f"{BOM}{header}\r\n{more[1]}"  # the second one, pasted after it, no final newline
    )
    return text.encode("utf-8")


@pytest.mark.parametrize("fmt", ["native", "hubspot", "salesforce"])
def test_mixed_line_ends_and_joined_files_are_read(tmp_path: Path, fmt: str):
    name, head, more = CAMPAIGNS[fmt]
    con, tables, lines = load(tmp_path, {name: joined_export(head, more)}, fmt)
    # 4 records: c1, c2, the repeated header (refused: it is no record) and c3
    assert lines[name] == ("campaigns", 4, 3, 0, 0, 0, 1)
    assert rejects(con) == [(name, 4, "a repeated header line (two exports joined)", "")]
    assert rows(con, "SELECT campaign_id, name FROM campaigns ORDER BY 1") == [
        ("c1", "Webinar Q1"),
        ("c2", "Search"),
        ("c3", "Events"),
    ]
    [table] = tables
    assert table.repairs == (
        "lines end partly in CRLF, partly in LF: read with one kind of line end",
        "a byte-order mark inside the file (exports joined): removed",
    )
    assert records(tmp_path / fmt / name) == 4


def test_a_guessed_encoding_is_said(tmp_path: Path):
    text = "deal_id,created_at,is_closed,is_won,loss_reason\nd1,2025-01-01,true,false,Prix élevé\n"
    con, [deals], _ = load(tmp_path, {"deals.csv": text.encode("cp1252")})
    assert (deals.encoding, deals.guessed, deals.encoding_label) == ("cp1252", True, "Windows-1252")
    assert rows(con, "SELECT loss_reason FROM deals") == [("Prix élevé",)]


# --- stage history: re-entries are history, repeats of the same stay merge --------------


def test_native_stage_reentries_are_kept_and_counted(tmp_path: Path):
    history = (
        "deal_id,stage,entered_at\n"
        "d1,qualification,2025-01-01\n"
        "d1,proposal,2025-01-10\n"
        "d1,qualification,2025-01-20\n"  # back to qualification: a stay of its own
        "d1,proposal,2025-02-01\n"
        "d1,proposal,2025-02-01\n"  # the same entry twice: merged
        "d1,closed_won,2025-03-01\n"
    )
    con, _, lines = load(tmp_path, {"stage_history.csv": history})
    assert lines["stage_history.csv"] == ("stage_history", 6, 5, 0, 1, 0, 0)
    assert rows(con, "SELECT stage FROM stage_history ORDER BY entered_at") == [
        ("qualification",),
        ("proposal",),
        ("qualification",),
        ("proposal",),
        ("closed_won",),
    ]
    assert con.execute(
        "SELECT line, kept_line, value FROM revpages_rejects WHERE outcome = 'merged'"
    ).fetchall() == [(6, 5, "proposal")]


SF_OPPORTUNITY = (
    "Id,StageName,Amount,CloseDate,IsClosed,IsWon,CreatedDate,LastModifiedDate,IsDeleted\n"
    "0061,Closed Won,1000,2025-03-01,true,true,2025-01-01T00:00:00Z,2025-03-01T00:00:00Z,false\n"
    "0062,Closed Lost,500,2025-03-05,true,false,2025-01-02T00:00:00Z,2025-03-05T00:00:00Z,true\n"
)


def test_salesforce_history_reentries_and_deletions(tmp_path: Path):
    history = (
        "Id,OpportunityId,CreatedDate,StageName,Amount,IsDeleted\n"
        "h1,0061,2025-01-01T00:00:00Z,Prospecting,1000,false\n"
        "h2,0061,2025-01-05T00:00:00Z,Prospecting,1200,false\n"  # amount change: same stay
        "h3,0061,2025-01-10T00:00:00Z,Proposal/Price Quote,1200,false\n"
        "h4,0061,2025-01-20T00:00:00Z,Qualification,1200,false\n"  # re-entry (qualification)
        "h5,0061,2025-02-01T00:00:00Z,Proposal/Price Quote,1200,true\n"  # deleted
        "h6,0061,2025-03-01T00:00:00Z,Closed Won,1200,false\n"
        "h7,0061,2025-06-01T00:00:00Z,Closed Won,1200,false\n"  # repeats; after as-of too
    )
    con, _, lines = load(
        tmp_path,
        {"Opportunity.csv": SF_OPPORTUNITY, "OpportunityHistory.csv": history},
        "salesforce",
    )
    assert lines == {
        "Opportunity.csv": ("deals", 2, 1, 0, 0, 1, 0),  # 0062 is in the recycle bin
        "OpportunityHistory.csv": ("stage_history", 7, 4, 0, 2, 1, 0),
    }
    assert rows(con, "SELECT deal_id FROM deals") == [("0061",)]
    assert rows(con, "SELECT stage FROM stage_history ORDER BY entered_at") == [
        ("qualification",),
        ("proposal",),
        ("qualification",),
        ("closed_won",),
    ]
    assert rejects(con, "excluded") == [
        ("Opportunity.csv", 3, "deleted in the CRM (IsDeleted = true)", "0062"),
        ("OpportunityHistory.csv", 6, "deleted in the CRM (IsDeleted = true)", "h5"),
    ]


def test_hubspot_two_stage_ids_of_one_stage_merge_and_archived_deals_are_excluded(
    tmp_path: Path,
):
    deals = (
        "hs_object_id,dealstage,amount,createdate,hs_lastmodifieddate,archived,"
        "hs_date_entered_appointmentscheduled,hs_date_entered_decisionmakerboughtin,"
        "hs_date_entered_contractsent,hs_date_entered_closedwon\n"
        "301,closedwon,100,2025-01-01,2025-03-01,false,2025-01-01,2025-02-01,2025-02-10,"
        "2025-03-01\n"
        "302,closedwon,100,2025-01-01,2025-03-01,true,2025-01-01,,,2025-03-01\n"
    )
    con, _, lines = load(tmp_path, {"deals.csv": deals}, "hubspot")
    assert lines == {
        "deals.csv": ("deals", 2, 1, 0, 0, 1, 0),
        # decisionmakerboughtin and contractsent are both negotiation: one stay
        "deals.csv → stage_history": ("stage_history", 4, 3, 0, 1, 0, 0),
    }
    assert rejects(con, "excluded") == [
        ("deals.csv", 3, "deleted in the CRM (archived = true)", "302")
    ]


# --- duplicates on a compound key ------------------------------------------------------


def test_salesforce_compound_duplicates_merge(tmp_path: Path):
    members = (
        "Id,CampaignId,LeadId,ContactId,Status,CreatedDate\n"
        "m1,701,L1,,Responded,2025-01-02T00:00:00Z\n"
        "m2,701,L1,,Responded,2025-01-03T00:00:00Z\n"  # the same member under another id
        "m3,701,L2,,Responded,2025-01-04T00:00:00Z\n"
    )
    competitors = (
        "Id,OpportunityId,CompetitorName\n"
        "c1,0061,Acme\n"
        "c2,0061,ACME Corp\n"  # the same competitor on the same opportunity
        "c3,0061,Globex\n"
    )
    campaign = "Id,Name,Type\n701,Webinar,Webinar\n"
    con, _, lines = load(
        tmp_path,
        {
            "CampaignMember.csv": members,
            "OpportunityCompetitor.csv": competitors,
            "Campaign.csv": campaign,
            "Opportunity.csv": SF_OPPORTUNITY,
        },
        "salesforce",
    )
    assert lines["CampaignMember.csv"] == ("touchpoints", 3, 2, 0, 1, 0, 0)
    assert lines["OpportunityCompetitor.csv"] == ("deal_competitors", 3, 2, 0, 1, 0, 0)
    assert rejects(con, "merged") == [
        (
            "CampaignMember.csv",
            2,
            "duplicate CampaignId, LeadId, ContactId under another Id (merged into the later row)",
            "701 / L1",
        ),
        (
            "OpportunityCompetitor.csv",
            2,
            "duplicate deal_id, competitor (merged into the later row)",
            "0061 / Acme",
        ),
    ]
    assert rows(con, "SELECT competitor FROM deal_competitors ORDER BY 1") == [
        ("Acme",),
        ("Globex",),
    ]


def test_native_compound_duplicates_merge(tmp_path: Path):
    files = {
        "deal_competitors.csv": "deal_id,competitor,notes\nd1,Acme,cheap\nd1,Acme,later\n",
        "spend.csv": "campaign_id,channel,month,amount\n"
        "c1,paid_search,2025-01-01,100\n"
        "c1,paid_search,2025-01-01,120\n"  # the same campaign and month: the later row
        ",events,2025-01-01,50\n"
        ",events,2025-02-01,60\n",
    }
    con, _, lines = load(tmp_path, files)
    assert lines["deal_competitors.csv"] == ("deal_competitors", 2, 1, 0, 1, 0, 0)
    assert lines["spend.csv"] == ("spend", 4, 3, 0, 1, 0, 0)
    assert rows(con, "SELECT notes FROM deal_competitors") == [("later",)]
    assert rows(con, "SELECT sum(amount) FROM spend") == [(Decimal("230.00"),)]


def test_hubspot_competitors_spelled_two_ways_on_one_deal_merge(tmp_path: Path):
    deals = (
        "hs_object_id,dealstage,createdate,competitors\n301,closedwon,2025-01-01,Acme;ACME Corp\n"
    )
    _con, _, lines = load(tmp_path, {"deals.csv": deals}, "hubspot")
    assert lines["deals.csv → deal_competitors"] == ("deal_competitors", 2, 1, 0, 1, 0, 0)


# --- contradictions --------------------------------------------------------------------

CONTRADICTIONS = {
    "native": {
        "deals.csv": "deal_id,created_at,closed_at,stage,amount,is_closed,is_won\n"
        "d1,2025-01-01,2025-02-01,closed_lost,100,true,true\n",
        "campaigns.csv": "campaign_id,channel,start_date,end_date\n"
        "c1,email,2025-03-01,2025-02-01\n",
        "stage_history.csv": "deal_id,stage,entered_at\nd1,closed_lost,2027-01-01\n",
    },
    "hubspot": {
        "deals.csv": "hs_object_id,dealstage,amount,closedate,createdate,hs_lastmodifieddate,"
        "hs_is_closed,hs_is_closed_won,hs_date_entered_closedlost\n"
        "301,closedlost,100,2025-02-01,2025-01-01,2025-02-01,true,true,2025-06-01\n",
        "campaigns.csv": "hs_object_id,hs_name,hs_start_date,hs_end_date,channel\n"
        "c1,Mail,2025-03-01,2025-02-01,Email\n",
    },
    "salesforce": {
        "Opportunity.csv": "Id,StageName,Amount,CloseDate,IsClosed,IsWon,CreatedDate,"
        "LastModifiedDate\n"
        "0061,Closed Lost,100,2025-02-01,true,true,2025-01-01T00:00:00Z,2025-02-01T00:00:00Z\n",
        "OpportunityHistory.csv": "Id,OpportunityId,CreatedDate,StageName\n"
        "h1,0061,2025-06-01T00:00:00Z,Closed Lost\n",
        "Campaign.csv": "Id,Name,Type,StartDate,EndDate\nc1,Mail,Email,2025-03-01,2025-02-01\n",
    },
}


@pytest.mark.parametrize("fmt", ["native", "hubspot", "salesforce"])
def test_contradictions_are_flagged(tmp_path: Path, fmt: str):
    con, _, _lines = load(tmp_path, CONTRADICTIONS[fmt], fmt)
    # the stage wins over the won flag, and says so
    assert rows(con, "SELECT stage, is_closed, is_won, flags FROM deals") == [
        ("closed_lost", True, False, ["is_won"])
    ]
    reasons = {(column, reason) for _file, _line, column, reason, _value in flags(con)}
    assert ("is_won", "is_won contradicts the stage (the stage wins)") in reasons
    assert ("end_date", "ends before it starts") in reasons
    after = (
        "entered_at is after the as-of date 2026-11-01 (in the future)"
        if fmt == "native"
        else "entered_at is after the record was last modified (its as-of date)"
    )
    assert ("entered_at", after) in reasons
    assert rows(con, "SELECT count(*) FROM campaigns") == [(1,)]  # kept
    assert rows(con, "SELECT count(*) FROM stage_history") == [(1,)]


# --- doubtful values keep their rows ----------------------------------------------------

DOUBTFUL = {
    "native": {
        "deals.csv": "deal_id,created_at,closed_at,stage,amount,is_closed,is_won\n"
        "d1,2025-01-01,2025-02-01,closed_won,1000,true,true\n"
        "d2,2025-01-05,2025-02-01,closed_won,-200,true,true\n"  # a credit
        "d3,2025-03-01,2025-02-01,closed_won,500,true,true\n"  # closed before created
        "d4,2027-01-01,2027-02-01,qualification,300,false,false\n"  # in the future
        "d5,2025-01-07,2025-04-01,Verbal,400,false,false\n",  # unmapped stage
        "leads.csv": "lead_id,created_at,mql_at,source\nL1,2025-01-01,soon,email\n",
        "touchpoints.csv": "touchpoint_id,lead_id,touched_at,channel\nt1,L1,2027-05-01,email\n",
    },
    "hubspot": {
        "deals.csv": "hs_object_id,dealstage,amount,closedate,createdate,hs_is_closed,"
        "hs_is_closed_won\n"
        "301,closedwon,1000,2025-02-01,2025-01-01,true,true\n"
        "302,closedwon,-200,2025-02-01,2025-01-05,true,true\n"
        "303,closedwon,500,2025-02-01,2025-03-01,true,true\n"
        "304,appointmentscheduled,300,2027-02-01,2027-01-01,false,false\n"
        "305,Verbal,400,2025-04-01,2025-01-07,false,false\n",
        "contacts.csv": "hs_object_id,createdate,hs_lifecyclestage_marketingqualifiedlead_date\n"
        "L1,2025-01-01,soon\n",
        "form_submissions.csv": "Conversion ID,Contact ID,Conversion Date,Source\n"
        "t1,L1,2027-05-01,Email Marketing\n",
    },
    "salesforce": {
        "Opportunity.csv": "Id,StageName,Amount,CloseDate,IsClosed,IsWon,CreatedDate\n"
        "0061,Closed Won,1000,2025-02-01,true,true,2025-01-01T00:00:00Z\n"
        "0062,Closed Won,-200,2025-02-01,true,true,2025-01-05T00:00:00Z\n"
        "0063,Closed Won,500,2025-02-01,true,true,2025-03-01T00:00:00Z\n"
        "0064,Prospecting,300,2027-02-01,false,false,2027-01-01T00:00:00Z\n"
        "0065,Verbal,400,2025-04-01,false,false,2025-01-07T00:00:00Z\n",
        "Lead.csv": "Id,CreatedDate,MQL_Date__c,LeadSource\nL1,2025-01-01T00:00:00Z,soon,Web\n",
        "CampaignMember.csv": "Id,CampaignId,LeadId,CreatedDate\nt1,701,L1,2027-05-01T00:00:00Z\n",
        "Campaign.csv": "Id,Name,Type\n701,Newsletter,Email\n",
    },
}


@pytest.mark.parametrize("fmt", ["native", "hubspot", "salesforce"])
def test_doubtful_values_keep_their_rows(tmp_path: Path, fmt: str):
    con, _, lines = load(tmp_path, DOUBTFUL[fmt], fmt)
    # nothing refused: every deal, the lead and the touch are loaded
    assert sum(line[6] for line in lines.values()) == 0
    assert rows(con, "SELECT count(*) FROM deals") == [(5,)]
    assert rows(con, "SELECT count(*) FROM leads") == [(1,)]
    assert rows(con, "SELECT count(*) FROM touchpoints") == [(1,)]
    # bookings match the CRM's own total: the credit and the odd dates count
    assert rows(con, "SELECT sum(amount) FROM deals WHERE is_won") == [(Decimal("1300.00"),)]
    flagged = rows(con, "SELECT amount, stage, flags FROM deals ORDER BY created_at NULLS LAST")
    assert flagged == [
        (Decimal("1000.00"), "closed_won", []),
        (Decimal("-200.00"), "closed_won", ["amount"]),
        (Decimal("400.00"), "unmapped", ["stage"]),
        (Decimal("500.00"), "closed_won", ["closed_at"]),
        (Decimal("300.00"), "qualification", ["created_at"]),
    ]
    # ...and a cycle time leaves the close-before-create deal out
    cycle = rows(
        con,
        "SELECT count(*) FROM deals WHERE is_won "
        "AND NOT list_has_any(flags, ['created_at', 'closed_at'])",
    )
    assert cycle == [(2,)]
    assert rows(con, "SELECT mql_at, flags FROM leads") == [(None, ["mql_at"])]
    assert rows(con, "SELECT flags FROM touchpoints") == [(["touched_at"],)]
    unmapped = rows(con, "SELECT value FROM revpages_flags WHERE column_name = 'stage'")
    assert unmapped == [("Verbal",)]


# --- one competitor, many spellings ------------------------------------------------------

SPELLINGS = ["Acme", "ACME Corp", "Acme Inc.", " acme ", "Globex", "GBX", "Initech", "Initek"]


def competitor_files(fmt: str) -> dict[str, str]:
    if fmt == "native":
        rows_ = "".join(f"d{i},{name}\n" for i, name in enumerate(SPELLINGS))
        return {"deal_competitors.csv": "deal_id,competitor\n" + rows_}
    if fmt == "hubspot":
        rows_ = "".join(
            f"{300 + i},closedwon,2025-01-01,{name}\n" for i, name in enumerate(SPELLINGS)
        )
        return {"deals.csv": "hs_object_id,dealstage,createdate,competitors\n" + rows_}
    rows_ = "".join(f"c{i},006{i},{name}\n" for i, name in enumerate(SPELLINGS))
    return {"OpportunityCompetitor.csv": "Id,OpportunityId,CompetitorName\n" + rows_}


@pytest.mark.parametrize("fmt", ["native", "hubspot", "salesforce"])
def test_one_competitor_however_it_is_spelled(tmp_path: Path, fmt: str):
    con, tables, _ = load(tmp_path, competitor_files(fmt), fmt, aliases={"Globex": ["GBX"]})
    assert rows(con, "SELECT competitor, count(*) FROM deal_competitors GROUP BY 1 ORDER BY 1") == [
        ("Acme", 4),
        ("Globex", 2),
        ("Initech", 1),
        ("Initek", 1),
    ]
    from revpages.ingest.quality import collect_quality

    report = collect_quality(con, tables)
    joined = {(name, spelling) for _c, name, spelling, _n, _a in report.names}
    assert joined == {
        ("Acme", "ACME Corp"),
        ("Acme", "Acme"),
        ("Acme", "Acme Inc."),
        ("Acme", "acme"),
        ("Globex", "GBX"),
        ("Globex", "Globex"),
    }
    assert [(a, b) for a, b, _ in report.near] == [("Initech", "Initek")]


# --- columns the export left out, leads without dates ------------------------------------

MISSING_SOURCE = {
    "native": (
        "deals.csv",
        "deal_id,created_at,is_closed,is_won\nd1,2025-01-01,false,false\n",
        "source",
    ),
    "hubspot": (
        "deals.csv",
        "hs_object_id,createdate,dealstage\n301,2025-01-01,closedwon\n",
        "'hs_analytics_source' (or 'Original Source Type')",
    ),
    "salesforce": (
        "Opportunity.csv",
        "Id,CreatedDate,StageName\n0061,2025-01-01,Closed Won\n",
        "'LeadSource' (or 'Lead Source')",
    ),
}


@pytest.mark.parametrize("fmt", ["native", "hubspot", "salesforce"])
def test_a_missing_expected_column_is_named_with_its_rows(tmp_path: Path, fmt: str):
    name, text, source = MISSING_SOURCE[fmt]
    con, _, _ = load(tmp_path, {name: text}, fmt)
    found = rows(
        con,
        "SELECT file, source, rows FROM revpages_missing_columns "
        "WHERE table_name = 'deals' AND column_name = 'source'",
    )
    assert found == [(name, source, 1)]


LEADS_WITHOUT_DATES = {
    "native": {"leads.csv": "lead_id,source\nL1,email\nL2,events\n"},
    "hubspot": {"contacts.csv": "Record ID,Original Source\n1,Email Marketing\n2,Offline\n"},
    "salesforce": {"Lead.csv": "Id,LeadSource,Status\nL1,Web,Open\nL2,Trade Show,Open\n"},
}


@pytest.mark.parametrize("fmt", ["native", "hubspot", "salesforce"])
def test_leads_without_dates_are_kept_and_explained(tmp_path: Path, fmt: str):
    from revpages.ingest.quality import collect_quality

    con, tables, lines = load(tmp_path, LEADS_WITHOUT_DATES[fmt], fmt)
    [line] = lines.values()
    assert line == ("leads", 2, 2, 0, 0, 0, 0)
    gaps = {g.key: (g.count, g.total) for g in collect_quality(con, tables).gaps}
    assert gaps["lead_dates"] == (2, 2) and gaps["lead_no_date"] == (2, 2)
    assert ("created_at", 2) in rows(con, "SELECT column_name, rows FROM revpages_missing_columns")


# --- a site with only leads and deals ----------------------------------------------------

REPO = Path(__file__).resolve().parents[1]
LEADS_AND_DEALS = {
    "native": ("leads.csv", "deals.csv"),
    "hubspot": ("contacts.csv", "deals.csv"),
    "salesforce": ("Lead.csv", "Opportunity.csv"),
}


def leads_and_deals_site(root: Path, fmt: str, **options) -> Path:
    """The repository's site (queries, pages) over sample leads and deals only."""
    import shutil

    import yaml

    from revpages.commands.sample_data import generate_sample_data

    full = root / "full"
    generate_sample_data(full, leads=300, seed=5, format=fmt)
    site = root / "site"
    (site / "data").mkdir(parents=True)
    for name in LEADS_AND_DEALS[fmt]:
        shutil.copy(full / name, site / "data" / name)
    shutil.copytree(REPO / "queries", site / "queries")
    shutil.copytree(REPO / "site_src", site / "site_src")
    config = yaml.safe_load((REPO / "mkdocs.yml").read_text())
    site_params = {"params": repo_plugin_options()["params"]}
    config["plugins"] = ["search", {"revpages": {"data_format": fmt, **site_params, **options}}]
    (site / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False))
    return site


def build_site(site: Path, *args: str):
    from click.testing import CliRunner

    from revpages.commands.cli import cli

    return CliRunner().invoke(
        cli, ["build", "-f", str(site / "mkdocs.yml"), *args], catch_exceptions=False
    )


@pytest.mark.slow  # a whole build each; make test runs it
@pytest.mark.parametrize("fmt", ["native", "hubspot", "salesforce"])
def test_a_site_with_only_leads_and_deals_builds_strict(tmp_path: Path, fmt: str):
    # 300 leads leave a quarter with no closed deal against a competitor in some formats,
    # and strict fails on an empty report; a year always holds some.
    site = leads_and_deals_site(tmp_path, fmt, calendar_period="trailing_12_months")
    result = build_site(site, "--strict")
    assert result.exit_code == 0, result.output
    assert "reports wait for data no export provides (not an error; see each page):" in (
        result.output
    )
    assert (
        "  spend: spend/cac, spend/cost_per_stage, spend/margin_roi, spend/monthly_spend"
        in result.output
    )
    build = site / "build"
    assert (build / "funnel/overview/index.html").is_file()
    page = (build / "spend/monthly_spend/index.html").read_text()
    assert "Waiting for data" in page and "<code>spend.csv</code>" in page
    assert 'href="../../guide/exports/#tables-that-were-not-exported"' in page
    index = (build / "spend/index.html").read_text()
    assert "(waiting for data: <code>spend</code>)" in index
    quality = (build / "data-quality/index.html").read_text()
    assert 'id="tables-that-were-not-exported"' in quality
    # every report that can run did: those over leads and deals only
    built = {p.parent.relative_to(build).as_posix() for p in build.glob("*/*/index.html")}
    assert {"funnel/overview", "funnel/win_rate_by_source", "handoff/speed_to_lead"} <= built


@pytest.mark.slow  # whole builds; make test runs it
def test_required_tables_make_a_missing_table_an_error(tmp_path: Path):
    site = leads_and_deals_site(tmp_path, "native", required_tables=["leads", "spend"])
    result = build_site(site)
    assert result.exit_code == 1
    assert (
        "data: RP512 table 'spend' is required (required_tables), but no export fills it. "
        "Hint: put spend.csv in the data folder, or remove 'spend' from required_tables."
    ) in result.output


@pytest.mark.slow  # a whole build each; make test runs it
def test_the_quality_page_names_a_missing_column_and_a_guessed_encoding(tmp_path: Path):
    """A Salesforce Opportunity export without LeadSource, and a Lead export in Windows-1252:
    the page says what the reports lose, the build summary says the encoding was guessed."""
    import csv
    import io

    site = leads_and_deals_site(tmp_path, "salesforce")
    opportunity = site / "data/Opportunity.csv"
    table = list(csv.reader(io.StringIO(opportunity.read_text(), newline="")))
    drop = table[0].index("LeadSource")
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([r[:drop] + r[drop + 1 :] for r in table])
    opportunity.write_text(out.getvalue())
    lead = site / "data/Lead.csv"
    lead.write_bytes(
        lead.read_text().replace("Open - Not Contacted", "Ouvert – élevé").encode("cp1252")
    )
    result = build_site(site)
    assert result.exit_code == 0, result.output
    assert "Data: Lead.csv: not UTF-8, read as Windows-1252 (a guess" in result.output
    quality = (site / "build/data-quality/index.html").read_text()
    assert "Windows-1252 (guessed)" in quality
    assert re.search(
        r"Opportunity\.csv: no &#x27;LeadSource&#x27; \(or &#x27;Lead Source&#x27;\), so "
        r"<code>deals\.source</code> is empty on its [\d,]+ rows; reports that lose it: "
        r'.*<a href="../funnel/win_rate_by_source/">Win rate by source channel</a>',
        quality,
    ), quality[quality.index("Columns missing") :][:2000]


def test_a_page_embedding_a_waiting_report_says_so(tmp_path: Path, build):
    from tests.conftest import base_files, write_tree

    files = base_files()
    files["queries"]["spend"] = {
        "monthly.sql": "/*\ntitle: Spend\nchart: bar\nx: month\ny: amount\n*/\n"
        "select month, sum(amount) as amount from spend group by month\n"
    }
    files["site_src"]["story.md"] = "# Story\n\n[[chart spend/monthly]]\n"
    write_tree(tmp_path, files)
    result = build(tmp_path, "--strict")
    assert result.exit_code == 0, result.output
    story = (tmp_path / "build/story/index.html").read_text()
    assert "Spend: waiting for data" in story and "<code>spend</code>" in story
    manifest = (tmp_path / "build/revpages-manifest.json").read_text()
    assert '"spend/monthly": [\n      "spend"\n    ]' in manifest
