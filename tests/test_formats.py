"""One number format per column: the spec, the decimals a column's values need, and the
words around the numbers (labels, units, row counts)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from revpages.pages.formats import (
    FORMAT_SPEC,
    ColumnFormat,
    column_formats,
    json_value,
    label,
    plain_text,
    rows_text,
)
from revpages.reports.result import QueryResult
from revpages.reports.spec import NUMBER_FORMATS


def formats(types, rows, declared=None, currency="$"):
    columns = [f"c{i}" for i in range(len(types))]
    result = QueryResult(tuple(columns), tuple(types), rows, 0.0)
    return column_formats(result, declared or {}, currency)


def test_every_declared_format_has_a_spec():
    assert set(NUMBER_FORMATS) == set(FORMAT_SPEC)


@pytest.mark.parametrize(
    "name, decimals, value, shown",
    [
        ("percent", 1, 0.291262, "29.1%"),
        ("percent", 1, -0.254, "−25.4%"),
        ("currency", 0, 5802500.0, "$5,802,500"),
        ("currency", 0, -1200.4, "−$1,200"),
        ("integer", 0, 150, "150"),
        ("integer", 1, 12.5, "12.5"),
        ("number", 2, 5.39, "5.39"),
        ("multiple", 1, 52.61, "52.6×"),
        ("days", 1, 35.5, "35.5 d"),
        ("hours", 1, 0.14, "0.1 h"),
        ("minutes", 0, 68.58, "69 min"),
    ],
)
def test_numbers_read_with_their_unit(name: str, decimals: int, value: float, shown: str):
    assert ColumnFormat(name, decimals).text(value) == shown


def test_rounding_is_half_away_from_zero_on_the_exact_value():
    """As the browser's toFixed rounds: 0.125 is exactly a half, 0.2915 is just below one."""
    assert ColumnFormat("percent", 1).text(0.00125) == "0.1%"
    assert ColumnFormat("integer", 0).text(2.5) == "3"
    assert ColumnFormat("integer", 0).text(-2.5) == "−3"
    assert ColumnFormat("percent", 1).text(0.2915) == "29.1%"  # 0.29149999999999998...
    assert ColumnFormat("currency", 0).text(-0.4) == "$0"  # no "−$0"


def test_a_tile_and_its_table_cell_can_no_longer_disagree():
    """$90,190 in a tile and $90,189 in the table: the figure carried a value rounded to six
    digits, which the browser rounded again. Every output now uses the same 12 digits."""
    velocity = 90189.4999
    assert json_value(velocity) == 90189.4999
    assert ColumnFormat("currency", 0).text(json_value(velocity)) == "$90,189"


def test_counts_are_whole_unless_they_hold_fractional_credit():
    found = formats(["BIGINT", "DOUBLE", "DOUBLE"], [(150, 150.0, 12.5), (3, 2.0, 1.0)])
    assert found["c0"] == ColumnFormat("integer", 0)
    assert found["c0"].text(150) == "150"  # not "150.00"
    assert found["c1"].decimals == 0 and found["c1"].text(150.0) == "150"
    assert found["c2"] == ColumnFormat("number", 1)
    credit = formats(["DOUBLE"], [(12.5,), (3.0,)], {"c0": "integer"})["c0"]
    assert credit.text(3.0) == "3.0" and credit.text(12.5) == "12.5"


def test_other_columns_read_as_words():
    found = formats(
        ["VARCHAR", "BOOLEAN", "DATE", "VARCHAR"],
        [("paid_social", True, date(2025, 1, 1), "Smith, Jones & Co")],
    )
    assert found["c0"].text("paid_social") == "Paid social"
    assert found["c0"].text("smb") == "SMB"
    assert found["c0"].text("(unattributed)") == "(unattributed)"
    assert found["c1"].text(True) == "Yes" and found["c1"].text(False) == "No"
    assert found["c2"].text(date(2025, 1, 1)) == "2025-01-01"
    assert found["c3"].text("Smith, Jones & Co") == "Smith, Jones & Co"
    assert plain_text(datetime(2025, 1, 1, 10, 0)) == "2025-01-01 10:00"
    assert plain_text(["paid_search", "…", "email"]) == "Paid search → … → Email"


def test_axes_use_the_same_spec():
    axis = ColumnFormat("currency", 0, "€").axis([1200.0, 5_802_500.0])
    assert axis == {"tickformat": "~s", "tickprefix": "€", "ticksuffix": ""}
    assert ColumnFormat("percent", 1).axis([0.1, 0.4])["tickformat"] == ".0%"
    assert ColumnFormat("percent", 1).axis([0.001, 0.004])["tickformat"] == ".1%"
    assert ColumnFormat("days", 1).axis([3.0, 40.0])["ticksuffix"] == " d"
    assert ColumnFormat("multiple", 1).axis([0.5, 52.6])["ticksuffix"] == "×"
    assert ColumnFormat("text").axis(["a"]) == {}


def test_csv_headers_name_the_unit_of_the_raw_values():
    assert ColumnFormat("percent", 1).csv_header("win_rate") == "Win rate (fraction)"
    assert ColumnFormat("currency", 0, "€").csv_header("spend") == "Spend (€)"
    assert ColumnFormat("minutes", 0).csv_header("median_minutes") == "Median minutes (minutes)"
    assert ColumnFormat("multiple", 1).csv_header("roi") == "ROI (×)"
    assert ColumnFormat("integer", 0).csv_header("mqls") == "MQLs"


def test_labels_keep_acronyms_and_plurals():
    assert [label(c) for c in ("mqls", "sqls", "cac", "margin_roi", "deal_ids", "p90_hours")] == [
        "MQLs",
        "SQLs",
        "CAC",
        "Margin ROI",
        "Deal IDs",
        "P90 hours",
    ]


def test_row_counts_read_as_english():
    assert [rows_text(n) for n in (0, 1, 2, 2402)] == ["0 rows", "1 row", "2 rows", "2,402 rows"]


def test_decimals_in_json_are_canonical():
    assert json_value(Decimal("1234.50")) == 1234.5
    assert json_value(0.1 + 0.2) == 0.3
    assert json_value(float("nan")) is None
