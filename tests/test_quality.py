"""The data-quality and data-contract pages, and the refused-rows threshold."""

from __future__ import annotations

from pathlib import Path

from revpages.contract import TABLES
from tests.conftest import DEALS_CSV, write_tree

BAD_DEALS = DEALS_CSV + (
    "d5,a1,2025-03-01 10:00:00,2025-04-01,proposal,-10,false,false,Avery Chen,email\n"
    "d6,a1,not a date,2025-04-01,proposal,<b>10</b>,false,false,Avery Chen,email\n"
)


def deals_row(*, read: int, loaded: int, refused: int) -> str:
    """The cells of deals.csv in the files table of the data-quality page."""
    counts = "".join(f'\n<td style="text-align: right;">{n}</td>' for n in (read, loaded, refused))
    return "<td><code>deals.csv</code></td>\n<td><code>deals</code></td>\n<td>utf-8</td>" + counts


def test_quality_page_accounts_for_every_row(site: Path, build):
    write_tree(site / "data", {"deals.csv": BAD_DEALS})
    write_tree(site / "queries/sales", {"_section.yml": "title: Sales\n"})
    result = build(site)
    assert result.exit_code == 0, result.output
    page = (site / "build/data-quality/index.html").read_text()
    assert deals_row(read=6, loaded=4, refused=2) in page
    assert "negative amount" in page and "created_at is not a date and time" in page
    assert "7: <code>not a date</code>" in page
    # orphans: deal_competitors rows all have deals, accounts.csv is absent so no check
    assert "Every reference points at a loaded row." in page


def test_deal_stages_outside_the_contract_are_refused_and_counted(site: Path, build):
    write_tree(site / "data", {"deals.csv": DEALS_CSV.replace(",proposal,", ",Proposal,")})
    write_tree(site / "queries/sales", {"_section.yml": "title: Sales\n"})
    result = build(site)
    assert result.exit_code == 0, result.output
    page = (site / "build/data-quality/index.html").read_text()
    assert deals_row(read=4, loaded=3, refused=1) in page  # rows read = loaded + refused
    assert (
        "stage is not one of qualification, discovery, proposal, negotiation, closed_won, "
        "closed_lost"
    ) in page
    assert "4: <code>Proposal</code>" in page
    contract = (site / "build/data-contract/index.html").read_text()
    assert "One of <code>qualification</code>" in contract


def test_strict_build_fails_above_the_reject_threshold(site: Path, build):
    write_tree(site / "data", {"deals.csv": BAD_DEALS})
    assert build(site).exit_code == 0  # 2 of 6 refused is only a warning without --strict
    result = build(site, "--strict")
    assert result.exit_code == 1
    assert (
        "data/deals.csv: RP509 33.3% of its 6 rows were refused, more than max_reject_share "
        "(5.0%); most often 'created_at is not a date and time' (1 rows, first at line 7)"
    ) in result.output
    site_yml = (
        (site / "mkdocs.yml")
        .read_text()
        .replace("- revpages", "- revpages:\n    max_reject_share: 0.5")
    )
    (site / "mkdocs.yml").write_text(site_yml)
    assert build(site, "--strict").exit_code == 0


def test_contract_page_documents_every_table_and_column(built_site: Path):
    page = (built_site / "build/data-contract/index.html").read_text()
    for table in TABLES:
        assert f'id="{table.name}"' in page
        for column in table.columns:
            assert f"<code>{column.name}</code>" in page
    home = (built_site / "build/index.html").read_text()
    assert "data-quality/" in home and "data-contract/" in home


def test_orphans_are_counted(site: Path, build):
    write_tree(
        site / "data",
        {"deal_competitors.csv": "deal_id,competitor,notes\nd1,Acme,\nd404,Acme,\nd405,Globex,\n"},
    )
    assert build(site).exit_code == 0
    page = (site / "build/data-quality/index.html").read_text()
    assert (
        "<td><code>deal_competitors</code></td>\n<td><code>deal_id</code></td>\n"
        '<td><code>deals.deal_id</code></td>\n<td style="text-align: right;">2</td>' in page
    )
