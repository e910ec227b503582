"""The data-quality and data-contract pages, and the refused-rows threshold."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from revpages.contract import TABLES
from tests.conftest import DEALS_CSV, write_tree

BAD_DEALS = DEALS_CSV + (
    "d5,a1,2025-03-01 10:00:00,2025-04-01,proposal,-10,false,false,Avery Chen,email\n"
    "d6,a1,not a date,2025-04-01,proposal,<b>10</b>,false,false,Avery Chen,email\n"
)


def file_row(
    file: str = "deals.csv",
    table: str = "deals",
    *,
    read: int,
    loaded: int,
    flagged: int = 0,
    merged: int = 0,
    excluded: int = 0,
    refused: int = 0,
    encoding: str = "UTF-8",
) -> str:
    """The cells of one file in the files table of the data-quality page."""
    counts = "".join(
        f'<td style="text-align: right;">{n:,}</td>'
        for n in (read, loaded, flagged, merged, excluded, refused)
    )
    return (
        f"<tr><td><code>{file}</code></td><td><code>{table}</code></td><td>{encoding}</td>" + counts
    )


def page_of(site: Path, name: str = "data-quality") -> str:
    return (site / f"build/{name}/index.html").read_text()


def test_quality_page_accounts_for_every_row(site: Path, build):
    write_tree(site / "data", {"deals.csv": BAD_DEALS})
    write_tree(site / "queries/sales", {"_section.yml": "title: Sales\n"})
    result = build(site)
    assert result.exit_code == 0, result.output
    page = page_of(site)
    # nothing is refused: a negative amount and unreadable values are flagged, rows kept
    assert file_row(read=6, loaded=4, flagged=2) in page
    assert "amount: negative amount" in page
    assert "created_at: created_at is not a date and time" in page
    assert "7: <code>not a date</code>" in page
    assert "7: <code>&lt;b&gt;10&lt;/b&gt;</code>" in page
    # orphans: deal_competitors rows all have deals, accounts.csv is absent so no check
    assert "Every reference points at a loaded row." in page


def test_unmapped_stages_are_kept_and_the_config_line_is_shown(site: Path, build):
    write_tree(site / "data", {"deals.csv": DEALS_CSV.replace(",proposal,", ",Verbal Commit,")})
    write_tree(site / "queries/sales", {"_section.yml": "title: Sales\n"})
    result = build(site)
    assert result.exit_code == 0, result.output
    page = page_of(site)
    assert file_row(read=4, loaded=3, flagged=1) in page  # rows read = the outcomes
    assert "stage: stage is not mapped to a contract stage" in page
    assert "4: <code>Verbal Commit</code>" in page
    assert "data_stage_map:\n        &quot;Verbal Commit&quot;: negotiation" in page
    contract = page_of(site, "data-contract")
    assert "One of <code>qualification</code>" in contract
    assert "<code>unmapped</code> (flagged)" in contract


@pytest.mark.slow  # whole builds; make test runs it
def test_strict_build_fails_above_the_reject_threshold(site: Path, build):
    deals = DEALS_CSV + ",a1,2025-03-01,2025-04-01,proposal,10,false,false,A,email\n" * 2
    write_tree(site / "data", {"deals.csv": deals})
    assert build(site).exit_code == 0  # 2 of 6 refused is only a warning without --strict
    result = build(site, "--strict")
    assert result.exit_code == 1
    assert (
        "data/deals.csv: RP509 33.3% of its 6 rows were refused, more than max_reject_share "
        "(5.0%); most often 'missing deal_id' (2 rows, first at line 6)"
    ) in result.output
    site_yml = (
        (site / "mkdocs.yml")
        .read_text()
        .replace("- revpages", "- revpages:\n    max_reject_share: 0.5")
    )
    (site / "mkdocs.yml").write_text(site_yml)
    assert build(site, "--strict").exit_code == 0


def test_flagged_rows_do_not_count_as_refused(site: Path, build):
    write_tree(site / "data", {"deals.csv": BAD_DEALS})
    assert build(site, "--strict").exit_code == 0  # 2 of 6 flagged, none refused


def test_contract_page_documents_every_table_and_column(site: Path, build):
    assert build(site).exit_code == 0
    page = page_of(site, "data-contract")
    for table in TABLES:
        assert f'id="{table.name}"' in page
        for column in table.loaded_columns:
            assert f"<code>{column.name}</code>" in page
    home = (site / "build/index.html").read_text()
    assert "data-quality/" in home and "data-contract/" in home


def test_orphans_are_counted(site: Path, build):
    write_tree(
        site / "data",
        {"deal_competitors.csv": "deal_id,competitor,notes\nd1,Acme,\nd404,Acme,\nd405,Globex,\n"},
    )
    assert build(site).exit_code == 0
    page = page_of(site)
    assert (
        "<tr><td><code>deal_competitors</code></td><td><code>deal_id</code></td>"
        '<td><code>deals.deal_id</code></td><td style="text-align: right;">2</td></tr>' in page
    )


def test_values_on_the_quality_page_are_text_never_markup(site: Path, build):
    """A refused or flagged value is shown as text: no link, no broken table."""
    hostile = [
        "[q3](javascript:alert(1))",
        "a | b | c",
        '"two\nlines"',
        "<script>alert(1)</script>",
        "**bold**",
    ]
    rows = "".join(
        f"x{i},a1,2025-03-01 10:00:00,2025-04-01,proposal,{value},false,false,A,email\n"
        for i, value in enumerate(hostile)
    )
    write_tree(site / "data", {"deals.csv": DEALS_CSV + rows})
    assert build(site).exit_code == 0
    page = page_of(site)
    assert "javascript:" not in re.sub(r"<code>[^<]*</code>", "", page)
    assert 'href="javascript' not in page and "<script>alert" not in page
    assert "<strong>bold</strong>" not in page
    # every sample stayed in its own cell of the flagged-values table
    flagged = page[page.index('<h2 id="flagged-values-of-dealscsv"') :]
    table = flagged[flagged.index("<table") : flagged.index("</table>")]
    assert table.count("<tr>") == 2  # the header and one reason
    assert "6: <code>[q3](javascript:alert(1))</code>" in table
    assert "7: <code>a | b | c</code>" in table
    assert "8: <code>two\nlines</code>" in table or "8: <code>two&#10;lines</code>" in table
