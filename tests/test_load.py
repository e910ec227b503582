"""Loading native exports: every record is loaded, flagged, merged or refused, with its file,
line and reason."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from revpages.errors import DataLoadError
from revpages.ingest.data_dir import load_data_dir
from revpages.ingest.files import detect_encoding
from tests.accounting import flags, outcome_lines, rejects

NOW = datetime(2026, 11, 1)

DEALS_TRAPS = (
    "\ufeffdeal_id;Account_ID;created_at;closed_at;stage;amount;is_closed;is_won;loss_reason\r\n"
    "d1;a1;2025-01-03 10:00:00;2025-02-01;closed_won;$1,200.50;true;true;\r\n"
    'd2;a2;03/14/2025 2:05 PM;2025-04-01;closed_lost;"1.200,50";yes;no;"price\r\nand timing"\r\n'
    "d3;a9;2025-02-13T10:00:00+02:00;N/A;proposal;null;false;false;\r\n"
    "d4;a1;2025-03-01;2025-02-01;closed_won;100;true;true;\r\n"
    "d5;a1;2025-03-01;2025-04-01;closed_won;-5;true;true;\r\n"
    "d6;a1;2027-01-01;2027-02-01;proposal;10;false;false;\r\n"
    "d7;a1;someday;2025-02-01;proposal;10;false;false;\r\n"
    "d1;a1;2025-01-03 10:00:00;2025-02-02;closed_won;1300;true;true;\r\n"
    "d8;a1;2025-03-01;2025-04-01;proposal;10;false;false;extra;fields\r\n"
    ";a1;2025-03-01;2025-04-01;proposal;10;false;false;\r\n"
)


def load(tmp_path: Path, files: dict[str, bytes | str]):
    data = tmp_path / "data"
    data.mkdir(parents=True)
    for name, content in files.items():
        target = data / name
        target.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    return con, load_data_dir(con, data, now=NOW)


def test_every_trap_is_accounted_for(tmp_path: Path):
    con, [deals] = load(tmp_path, {"deals.csv": DEALS_TRAPS})
    # Lines are spreadsheet rows: the header is 1, a quoted multi-line value is one row.
    # Only rows that cannot be placed are refused: a malformed row and a row without id.
    assert rejects(con) == [
        ("deals.csv", 2, "duplicate deal_id (merged into the later row)", "d1"),
        (
            "deals.csv",
            10,
            "malformed CSV row: too many columns",
            "d8;a1;2025-03-01;2025-04-01;proposal;10;false;false;extra;fields",
        ),
        ("deals.csv", 11, "missing deal_id", ""),
    ]
    assert con.execute(
        "SELECT line, outcome, kept_file, kept_line FROM revpages_rejects ORDER BY line"
    ).fetchall() == [
        (2, "merged", "deals.csv", 9),
        (10, "refused", "deals.csv", None),
        (11, "refused", "deals.csv", None),
    ]
    # Doubtful values keep their row; each is flagged with its reason.
    assert flags(con) == [
        ("deals.csv", 5, "closed_at", "closed before created", "2025-02-01"),
        ("deals.csv", 6, "amount", "negative amount", "-5"),
        (
            "deals.csv",
            7,
            "created_at",
            "created_at is after the as-of date 2026-11-01 (in the future)",
            "2027-01-01",
        ),
        ("deals.csv", 8, "created_at", "created_at is not a date and time", "someday"),
    ]
    # read 10 = 3 loaded + 4 loaded with flags + 1 merged + 2 refused
    assert outcome_lines(con, [deals]) == {"deals.csv": ("deals", 10, 3, 4, 1, 0, 2)}
    assert con.execute(
        "SELECT deal_id, flags FROM deals WHERE len(flags) > 0 ORDER BY deal_id"
    ).fetchall() == [
        ("d4", ["closed_at"]),
        ("d5", ["amount"]),
        ("d6", ["created_at"]),
        ("d7", ["created_at"]),
    ]


def test_rows_keep_their_order_and_lines_when_checks_reorder(tmp_path: Path, monkeypatch):
    """Checks DuckDB would run as a join (which reorders rows) read a numbered text copy
    of the export instead of the file itself: same rows, same order, same lines."""
    con, _ = load(tmp_path / "direct", {"deals.csv": DEALS_TRAPS})
    direct = (rejects(con), flags(con), con.execute("SELECT * FROM deals").fetchall())
    monkeypatch.setattr("revpages.ingest.conform._ORDERED", frozenset(("PROJECTION",)))
    con, [deals] = load(tmp_path / "copied", {"deals.csv": DEALS_TRAPS})
    assert (rejects(con), flags(con), con.execute("SELECT * FROM deals").fetchall()) == direct
    # the export's order
    assert [row[0] for row in direct[2]] == ["d2", "d3", "d4", "d5", "d6", "d7", "d1"]
    assert (deals.rows_read, deals.rows) == (10, 7)


def test_values_are_normalised(tmp_path: Path):
    con, _ = load(tmp_path, {"deals.csv": DEALS_TRAPS})
    rows = con.execute(
        "SELECT deal_id, account_id, created_at, closed_at, amount, is_closed, "
        "is_won, loss_reason FROM deals WHERE deal_id IN ('d1', 'd2', 'd3') ORDER BY deal_id"
    ).fetchall()
    assert rows == [
        # the later d1 row wins; "$1,200.50" and "1.200,50" are both money
        (
            "d1",
            "a1",
            datetime(2025, 1, 3, 10),
            datetime(2025, 2, 2),
            Decimal("1300.00"),
            True,
            True,
            None,
        ),
        (
            "d2",
            "a2",
            datetime(2025, 3, 14, 14, 5),
            datetime(2025, 4, 1),
            Decimal("1200.50"),
            True,
            False,
            "price\r\nand timing",
        ),
        # +02:00 becomes UTC; N/A and null are missing values, not errors
        ("d3", "a9", datetime(2025, 2, 13, 8), None, None, False, False, None),
    ]
    # ... and they are counted per column, so an export full of them shows
    assert con.execute(
        "SELECT column_name, token, count FROM revpages_empty ORDER BY 1"
    ).fetchall() == [
        ("amount", "null", 1),
        ("closed_at", "n/a", 1),
    ]
    # a negative amount (a credit) keeps its value, so totals match the CRM's
    assert con.execute("SELECT amount FROM deals WHERE deal_id = 'd5'").fetchone() == (
        Decimal("-5.00"),
    )


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1", "utf-16", "utf-8-sig"])
def test_encodings_are_detected(tmp_path: Path, encoding: str):
    text = "deal_id,created_at,is_closed,is_won,loss_reason\nd1,2025-01-01,true,false,Müller€\n"
    if encoding == "latin-1":
        text = text.replace("€", "")
    con, [deals] = load(tmp_path, {"deals.csv": text.encode(encoding)})
    expected = "Müller€" if encoding != "latin-1" else "Müller"
    assert con.execute("SELECT loss_reason FROM deals").fetchone()[0] == expected
    assert deals.rows == 1


def test_detect_encoding(tmp_path: Path):
    path = tmp_path / "x.csv"
    path.write_bytes("a\nMüller\n".encode("cp1252"))
    assert detect_encoding(path) == "cp1252"
    path.write_bytes("a\nMüller\n".encode())
    assert detect_encoding(path) == "utf-8"


def test_missing_required_column_names_the_file(tmp_path: Path):
    with pytest.raises(DataLoadError, match="has no column 'touched_at'") as caught:
        load(tmp_path, {"touchpoints.csv": "touchpoint_id,lead_id,channel\nt1,L1,email\n"})
    assert caught.value.path.endswith("touchpoints.csv") and caught.value.line == 1


def test_missing_expected_columns_are_recorded_not_fatal(tmp_path: Path):
    con, [deals] = load(tmp_path, {"deals.csv": "deal_id,amount\nd1,100\nd2,200\n"})
    assert deals.rows == 2
    missing = con.execute(
        "SELECT column_name, rows FROM revpages_missing_columns ORDER BY column_name"
    ).fetchall()
    assert ("created_at", 2) in missing and ("source", 2) in missing
    assert ("amount", 2) not in missing


def test_other_files_load_with_type_detection(tmp_path: Path):
    con, [notes] = load(tmp_path, {"notes.csv": "id,score\n1,2.5\n2,3\n"})
    assert notes.rows == 2 and notes.rows_read == 2
    assert con.execute("SELECT typeof(score) FROM notes LIMIT 1").fetchone()[0] == "DOUBLE"


def test_deal_stages_outside_the_contract_are_kept_as_unmapped(tmp_path: Path):
    con, tables = load(
        tmp_path,
        {
            "deals.csv": "deal_id,created_at,stage,is_closed,is_won\n"
            "d1,2025-01-03,proposal,false,false\n"
            "d2,2025-01-04,Closed Won,true,true\n"
            "d3,2025-01-05,,false,false\n"
            "d4,2025-01-06,Verbal,false,false\n",
            "stage_history.csv": "deal_id,stage,entered_at\n"
            "d1,qualification,2025-01-03\n"
            "d1,demo_booked,2025-01-04\n",
        },
    )
    assert rejects(con) == []
    assert flags(con) == [
        ("deals.csv", 4, "stage", "missing stage", ""),  # reports rely on it: flagged
        ("deals.csv", 5, "stage", "stage is not mapped to a contract stage", "Verbal"),
        ("stage_history.csv", 3, "stage", "stage is not mapped to a contract stage", "demo_booked"),
    ]
    # labels of contract stages match in any case and spacing
    assert con.execute("SELECT deal_id, stage FROM deals ORDER BY 1").fetchall() == [
        ("d1", "proposal"),
        ("d2", "closed_won"),
        ("d3", None),
        ("d4", "unmapped"),
    ]
    assert outcome_lines(con, tables) == {
        "deals.csv": ("deals", 4, 2, 2, 0, 0, 0),
        "stage_history.csv": ("stage_history", 2, 1, 1, 0, 0, 0),
    }


MONEY = (
    "deal_id,created_at,is_closed,is_won,amount\n"
    "m1,2025-01-01,false,false,1.2M\n"
    "m2,2025-01-01,false,false,$5k\n"
    "m3,2025-01-01,false,false,Q3 2024\n"
    "m4,2025-01-01,false,false,12 seats x 40\n"
    "m5,2025-01-01,false,false,(500.00)\n"
    "m6,2025-01-01,false,false,N/A\n"
    "m7,2025-01-01,false,false,-\n"
    'm8,2025-01-01,false,false,"€1.200,50"\n'
    "m9,2025-01-01,false,false,USD 1 200.50\n"
    "m10,2025-01-01,false,false,-$75\n"
)


def test_money_is_read_only_in_the_documented_shapes(tmp_path: Path):
    """Text that is not an amount is not money: its value is refused (flagged, row kept),
    never digits picked out of it; empty-like text is counted per column."""
    con, [deals] = load(tmp_path, {"deals.csv": MONEY})
    amounts = dict(con.execute("SELECT deal_id, amount FROM deals").fetchall())
    assert amounts == {
        "m1": None,
        "m2": None,
        "m3": None,
        "m4": None,
        "m5": Decimal("-500.00"),  # parentheses: a negative amount
        "m6": None,
        "m7": None,
        "m8": Decimal("1200.50"),
        "m9": Decimal("1200.50"),
        "m10": Decimal("-75.00"),
    }
    not_money = "amount is not money"
    assert flags(con) == [
        ("deals.csv", 2, "amount", not_money, "1.2M"),
        ("deals.csv", 3, "amount", not_money, "$5k"),
        ("deals.csv", 4, "amount", not_money, "Q3 2024"),
        ("deals.csv", 5, "amount", not_money, "12 seats x 40"),
        ("deals.csv", 6, "amount", "negative amount", "(500.00)"),
        ("deals.csv", 11, "amount", "negative amount", "-$75"),
    ]
    assert con.execute(
        "SELECT column_name, token, count FROM revpages_empty ORDER BY token"
    ).fetchall() == [("amount", "-", 1), ("amount", "n/a", 1)]
    assert outcome_lines(con, [deals]) == {"deals.csv": ("deals", 10, 4, 6, 0, 0, 0)}
