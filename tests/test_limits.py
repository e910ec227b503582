"""Size limits fail the build with a coded error naming the limit and its option, before
the size costs memory or a page nobody can open."""

from __future__ import annotations

import io
import time
import zipfile
from pathlib import Path

import pytest

from revpages.errors import DataLoadError, QueryFileError
from revpages.reports.engine import Engine
from revpages.reports.limits import Limits
from revpages.reports.queryfile import parse_query_file
from revpages.settings import EngineOptions
from tests.conftest import DEALS_CSV, write_tree


def zip_bomb(megabytes: int) -> bytes:
    """A small .xlsx-shaped zip whose one sheet unpacks to ``megabytes`` of zeros."""
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open("xl/worksheets/sheet1.xml", "w") as sheet,
    ):
        for _ in range(megabytes):
            sheet.write(b"0" * 2**20)
    return buffer.getvalue()


def with_options(site: Path, **options: object) -> None:
    extra = "".join(f"\n    {k}: {v}" for k, v in options.items())
    yml = (site / "mkdocs.yml").read_text().replace("- revpages", f"- revpages:{extra}")
    (site / "mkdocs.yml").write_text(yml)


def test_an_xlsx_zip_bomb_is_refused_before_it_is_read(site: Path, build):
    bomb = zip_bomb(40)
    assert len(bomb) < 200_000
    write_tree(site / "data", {"targets.xlsx": bomb})
    with_options(site, limit_xlsx_mb=16)
    started = time.monotonic()
    result = build(site)
    assert result.exit_code == 1
    assert (
        "data/targets.xlsx: RP513 this workbook unpacks to more than limit_xlsx_mb (16 MB)."
        in result.output
    )
    assert time.monotonic() - started < 60


def test_the_engine_fetches_one_row_past_the_limit_at_most(tmp_path: Path):
    write_tree(tmp_path / "data", {"deals.csv": DEALS_CSV})
    engine = Engine(EngineOptions(limits=Limits(csv_rows=1000)))
    engine.load(tmp_path / "data")
    query = parse_query_file(
        "/* title: Many */ select range as n from range(5000000)",
        path="q.sql",
        section="s",
        name="q",
    )
    with pytest.raises(QueryFileError) as caught:
        engine.run(query)
    engine.close()
    assert caught.value.code == "RP310" and "limit_csv_rows (1,000)" in caught.value.text


@pytest.mark.parametrize("cached", [True, False], ids=["result store", "no cache"])
def test_a_huge_result_fails_instead_of_publishing_a_huge_csv(site: Path, build, cached: bool):
    write_tree(
        site / "queries/sales",
        {"many.sql": "/* title: Many */ select range as n from range(5000)"},
    )
    with_options(site, limit_csv_rows=1000, **({} if cached else {"cache_dir": "''"}))
    result = build(site)
    assert result.exit_code == 1
    assert "queries/sales/many.sql:1:19: RP310 the result has more than limit_csv_rows" in (
        result.output
    )
    assert not (site / "build").exists()


@pytest.mark.slow  # whole builds; make test runs it
def test_ten_thousand_columns_fail_before_any_row_is_fetched(site: Path, build):
    wide = ", ".join(f"{i} as c{i}" for i in range(10_000))
    write_tree(site / "queries/sales", {"wide.sql": f"/* title: Wide */ select {wide}"})
    result = build(site)
    assert result.exit_code == 1
    assert "RP312 the result has 10,000 columns, more than limit_columns (200)." in result.output


def test_a_page_shows_no_more_rows_than_its_limit(site: Path, build):
    write_tree(
        site / "queries/sales",
        {"long.sql": "/* title: Long */ select range as n from range(3000)"},
    )
    with_options(site, table_rows=5000)
    result = build(site)
    assert result.exit_code == 1
    assert "RP311 the page would show 3,000 rows, more than limit_page_rows (1,000)." in (
        result.output
    )


def test_a_genuine_workbook_is_read(tmp_path: Path):
    from revpages.ingest.files import check_xlsx_size

    path = tmp_path / "ok.xlsx"
    path.write_bytes(zip_bomb(2))
    check_xlsx_size(path, 3)
    with pytest.raises(DataLoadError):
        check_xlsx_size(path, 1)
