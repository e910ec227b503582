"""``per:`` pages: one page per value of a contract column, each the report's query with
that value bound, with an index; file names stable and unique for any name."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from revpages.pages.entities import entity_slug
from tests.conftest import base_files, write_tree

HOSTILE = [
    "Acme",
    "acme",  # differs only in case
    "<script>alert('x')</script>",
    'O\'Brien "OB" & Co',
    "Müller 🚀",
    "🚀🚀",
    "Z" * 300,
]

PER_SQL = """/*
title: Deals of the owner
chart: kpi
y: [deals, amount]
per: deals.owner
*/
select count(*) as deals, coalesce(sum(amount), 0) as amount
from deals
where owner = $owner
"""


def test_slugs_are_stable_unique_and_safe_for_any_name():
    slugs = [entity_slug(name) for name in HOSTILE]
    assert len(set(slugs)) == len(HOSTILE)
    assert slugs == [entity_slug(name) for name in HOSTILE]  # the value alone decides
    for slug in slugs:
        assert slug.isascii() and len(slug) <= 69 and slug == slug.lower()
        assert all(ch.isalnum() or ch == "-" for ch in slug)
    assert entity_slug("Acme").startswith("acme-") and entity_slug("🚀🚀").startswith("x-")


def deals_csv(owners: list[str]) -> str:
    """One deal per owner: the i-th owner's deal is worth (i + 1) thousand."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["deal_id", "created_at", "stage", "amount", "owner"])
    for i, owner in enumerate(owners):
        writer.writerow([f"d{i}", "2025-01-03 10:00:00", "proposal", (i + 1) * 1000, owner])
    return out.getvalue()


@pytest.fixture
def per_site(tmp_path: Path) -> Path:
    files = base_files()
    files["queries"]["sales"] = {"owner.sql": PER_SQL}
    files["data"] = {"deals.csv": deals_csv(HOSTILE)}
    write_tree(tmp_path, files)
    return tmp_path


@pytest.mark.slow
def test_a_page_per_value_with_its_numbers_and_an_index(per_site: Path, build):
    result = build(per_site, "--strict")
    assert result.exit_code == 0, result.output
    folder = per_site / "build" / "sales" / "owner"
    index = (folder / "index.html").read_text(encoding="utf-8")
    for i, name in enumerate(HOSTILE):
        page = folder / entity_slug(name) / "index.html"
        assert page.is_file(), name
        text = page.read_text(encoding="utf-8")
        assert "<script>alert(" not in text
        # The value is bound: the page shows its owner's one deal and nobody else's.
        assert f'revpages-tile__value">{(i + 1) * 1000:,}<' in text, name
        assert f'href="{entity_slug(name)}/"' in index
    assert "&lt;script&gt;" in index and "<script>alert(" not in index
    section = (per_site / "build" / "sales" / "index.html").read_text(encoding="utf-8")
    assert 'href="owner/"' in section


@pytest.mark.slow
def test_a_new_value_in_the_data_adds_its_page(per_site: Path, build):
    assert build(per_site).exit_code == 0
    (per_site / "data" / "deals.csv").write_text(deals_csv([*HOSTILE, "Noah Kim"]))
    result = build(per_site)
    assert result.exit_code == 0, result.output
    assert (per_site / "build/sales/owner" / entity_slug("Noah Kim") / "index.html").is_file()


@pytest.mark.slow
def test_a_parameter_the_front_matter_does_not_declare_is_still_refused(per_site: Path, build):
    sql = PER_SQL.replace("$owner", "$rep")
    (per_site / "queries" / "sales" / "owner.sql").write_text(sql)
    result = build(per_site)
    assert result.exit_code != 0
    assert "RP415" in result.output and "$owner" in result.output


BY_OWNER_SQL = """/*
title: Amount by owner
chart: bar
x: owner
y: amount
*/
select owner, sum(amount) as amount from deals group by owner order by owner
"""


@pytest.mark.slow
def test_a_chart_and_table_by_owner_lead_to_the_owners_pages(per_site: Path, build):
    (per_site / "queries" / "sales" / "by_owner.sql").write_text(BY_OWNER_SQL)
    result = build(per_site)
    assert result.exit_code == 0, result.output
    built = per_site / "build" / "sales"
    page = (built / "by_owner" / "index.html").read_text(encoding="utf-8")
    figure = json.loads((built / "by_owner.json").read_text(encoding="utf-8"))
    assert figure["drill"]["by"] == "x"
    for name in HOSTILE:
        slug = entity_slug(name)
        assert f'href="../owner/{slug}/"' in page, name
        assert figure["drill"]["pages"][name] == f"sales/owner/{slug}/"
    # An owner's own page does not link its value to itself.
    own = (built / "owner" / entity_slug("Acme") / "index.html").read_text(encoding="utf-8")
    assert 'href="../owner/' not in own
