"""The same sample data as native files, HubSpot exports and Salesforce exports gives the
same contract rows and, built with the repository's own queries, identical report CSVs."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

import duckdb
import pytest
import yaml
from click.testing import CliRunner

from revpages.commands.cli import cli
from revpages.commands.sample_data import generate_sample_data
from revpages.contract import TABLES
from revpages.ingest.data_dir import load_data_dir
from revpages.settings import DataOptions

pytestmark = pytest.mark.slow  # sample data in three formats, the site built from each

REPO = Path(__file__).resolve().parents[1]
FORMATS = ("native", "hubspot", "salesforce")
LEADS = 500  # enough for every starter report to have rows
# Ids differ by format (L000042, 1000042, 00Q5g0000000000042): compare their numbers.
ID_NUMBER = {
    "native": "regexp_extract({0}, '[0-9]+')::BIGINT",
    "hubspot": "substr({0}, 2)::BIGINT",
    "salesforce": "right({0}, 8)::BIGINT",
}
NOT_CARRIED = {("hubspot", "deal_competitors", "notes")}  # HubSpot has no competitor notes


@pytest.fixture(scope="module")
def samples(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("formats")
    folders = {}
    for fmt in FORMATS:
        folders[fmt] = root / fmt / "data"
        generate_sample_data(folders[fmt], leads=LEADS, seed=11, format=fmt)
    return folders


def test_sample_exports_are_named_like_real_exports(samples):
    assert sorted(p.name for p in samples["hubspot"].iterdir()) == [
        "campaigns.csv",
        "companies.csv",
        "contacts.csv",
        "deals.csv",
        "engagements.csv",
        "forecasts.csv",
        "form_submissions.csv",
        "marketing_events.csv",
        "owners.csv",
        "spend.csv",
        "targets.csv",
        "web_events.csv",
    ]
    assert sorted(p.name for p in samples["salesforce"].iterdir()) == [
        "Account.csv",
        "Campaign.csv",
        "CampaignMember.csv",
        "Contact.csv",
        "Event.csv",
        "Lead.csv",
        "Opportunity.csv",
        "OpportunityCompetitor.csv",
        "OpportunityHistory.csv",
        "Task.csv",
        "User.csv",
        "forecasts.csv",
        "spend.csv",
        "targets.csv",
    ]
    header = (samples["salesforce"] / "Lead.csv").read_text().splitlines()[0]
    assert header.startswith("Id,CreatedDate,LastModifiedDate,Status,LeadSource,OwnerId")


def test_every_format_maps_back_to_the_same_contract_rows(samples):
    found = {}
    for fmt, folder in samples.items():
        con = duckdb.connect()
        con.execute("SET TimeZone = 'UTC'")
        load_data_dir(con, folder, now=datetime(2026, 11, 1), options=DataOptions(fmt))
        assert con.execute("SELECT count(*) FROM revpages_rejects").fetchone()[0] == 0, fmt
        # clean sample data: nothing flagged, nothing read as empty, no column missing
        for outcome in ("revpages_flags", "revpages_empty", "revpages_missing_columns"):
            assert con.execute(f"SELECT count(*) FROM {outcome}").fetchone()[0] == 0, fmt
        for table in TABLES:
            columns = [
                ID_NUMBER[fmt].format(f'"{c}"') if c.endswith("_id") else f'"{c}"'
                for c in table.column_names
                if (fmt, table.name, c) not in NOT_CARRIED
                and ("hubspot", table.name, c) not in NOT_CARRIED
            ]
            found[fmt, table.name] = sorted(
                con.execute(f"SELECT {', '.join(columns)} FROM {table.name}").fetchall(), key=repr
            )
        con.close()
    for table in TABLES:
        assert found["native", table.name], table.name
        for fmt in FORMATS[1:]:
            assert found[fmt, table.name] == found["native", table.name], (fmt, table.name)


def test_builds_in_every_format_publish_identical_reports(samples):
    outputs = {}
    for fmt, data in samples.items():
        site = data.parent
        shutil.copytree(REPO / "queries", site / "queries")
        shutil.copytree(REPO / "site_src", site / "site_src")
        config = yaml.safe_load((REPO / "mkdocs.yml").read_text())
        plugins = config["plugins"]
        index = next(i for i, p in enumerate(plugins) if p == "revpages" or "revpages" in p)
        options = plugins[index]["revpages"] if isinstance(plugins[index], dict) else {}
        plugins[index] = {"revpages": {**(options or {}), "data_format": fmt}}
        (site / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False))
        result = CliRunner().invoke(
            cli, ["build", "-q", "-f", str(site / "mkdocs.yml")], catch_exceptions=False
        )
        assert result.exit_code == 0, (fmt, result.output)
        build = site / "build"
        outputs[fmt] = {
            p.relative_to(build).as_posix(): p.read_bytes() for p in sorted(build.rglob("*.csv"))
        }
    assert len(outputs["native"]) >= 20
    for fmt in FORMATS[1:]:
        assert outputs[fmt].keys() == outputs["native"].keys(), fmt
        different = [name for name, data in outputs["native"].items() if outputs[fmt][name] != data]
        assert different == [], fmt


def test_sample_data_command_writes_the_chosen_format(tmp_path: Path):
    out = tmp_path / "crm"
    result = CliRunner().invoke(
        cli,
        ["sample-data", "--format", "salesforce", "--leads", "300", "-o", str(out)],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    assert "Opportunity.csv" in result.output and (out / "OpportunityHistory.csv").is_file()
    again = tmp_path / "again"
    generate_sample_data(again, leads=300, seed=7, format="salesforce")
    for path in sorted(out.iterdir()):
        assert (again / path.name).read_bytes() == path.read_bytes(), path.name
