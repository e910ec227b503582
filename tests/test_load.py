"""Loading exports: every row is loaded or refused with its file, line and reason."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from revpages.errors import DataLoadError
from revpages.ingest.data_dir import load_data_dir
from revpages.ingest.files import detect_encoding

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


def rejects(con) -> list[tuple]:
    return con.execute(
        "SELECT file, line, reason, value FROM revpages_rejects ORDER BY file, line"
    ).fetchall()


def test_every_trap_is_loaded_or_refused_with_a_reason(tmp_path: Path):
    con, [deals] = load(tmp_path, {"deals.csv": DEALS_TRAPS})
    # Lines are spreadsheet rows: the header is 1, a quoted multi-line value is one row.
    assert rejects(con) == [
        ("deals.csv", 2, "duplicate deal_id (a later row was kept)", "d1"),
        ("deals.csv", 5, "closed before created", "2025-02-01"),
        ("deals.csv", 6, "negative amount", "-5"),
        ("deals.csv", 7, "created_at is in the future", "2027-01-01"),
        ("deals.csv", 8, "created_at is not a date and time", "someday"),
        (
            "deals.csv",
            10,
            "malformed CSV row: too many columns",
            "d8;a1;2025-03-01;2025-04-01;proposal;10;false;false;extra;fields",
        ),
        ("deals.csv", 11, "missing deal_id", ""),
    ]
    assert (deals.rows_read, deals.rows) == (10, 3)
    assert deals.rows_read == deals.rows + len(rejects(con))


def test_rows_keep_their_order_and_lines_when_checks_reorder(tmp_path: Path, monkeypatch):
    """Checks DuckDB would run as a join (which reorders rows) read a numbered text copy
    of the export instead of the file itself: same rows, same order, same lines."""
    con, _ = load(tmp_path / "direct", {"deals.csv": DEALS_TRAPS})
    direct = (rejects(con), con.execute("SELECT * FROM deals").fetchall())
    monkeypatch.setattr("revpages.ingest.conform._ORDERED", frozenset(("PROJECTION",)))
    con, [deals] = load(tmp_path / "copied", {"deals.csv": DEALS_TRAPS})
    assert (rejects(con), con.execute("SELECT * FROM deals").fetchall()) == direct
    assert [row[0] for row in direct[1]] == ["d2", "d3", "d1"]  # the export's order
    assert (deals.rows_read, deals.rows) == (10, 3)


def test_values_are_normalised(tmp_path: Path):
    con, _ = load(tmp_path, {"deals.csv": DEALS_TRAPS})
    rows = con.execute(
        "SELECT deal_id, account_id, created_at, closed_at, amount, is_closed, "
        "is_won, loss_reason FROM deals ORDER BY deal_id"
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
    with pytest.raises(DataLoadError, match="has no column 'created_at'") as caught:
        load(tmp_path, {"deals.csv": "deal_id,is_closed,is_won\nd1,true,true\n"})
    assert caught.value.path.endswith("deals.csv") and caught.value.line == 1


def test_other_files_load_with_type_detection(tmp_path: Path):
    con, [notes] = load(tmp_path, {"notes.csv": "id,score\n1,2.5\n2,3\n"})
    assert notes.rows == 2 and notes.rows_read == 2
    assert con.execute("SELECT typeof(score) FROM notes LIMIT 1").fetchone()[0] == "DOUBLE"


def test_deal_stages_outside_the_contract_are_refused(tmp_path: Path):
    con, tables = load(
        tmp_path,
        {
            "deals.csv": "deal_id,created_at,stage,is_closed,is_won\n"
            "d1,2025-01-03,proposal,false,false\n"
            "d2,2025-01-04,Closed Won,true,true\n"
            "d3,2025-01-05,,false,false\n",
            "stage_history.csv": "deal_id,stage,entered_at\n"
            "d1,qualification,2025-01-03\n"
            "d1,demo_booked,2025-01-04\n",
        },
    )
    allowed = "qualification, discovery, proposal, negotiation, closed_won, closed_lost"
    assert rejects(con) == [
        ("deals.csv", 3, f"stage is not one of {allowed}", "Closed Won"),
        ("stage_history.csv", 3, f"stage is not one of {allowed}", "demo_booked"),
    ]
    assert con.execute("SELECT deal_id, stage FROM deals ORDER BY 1").fetchall() == [
        ("d1", "proposal"),
        ("d3", None),
    ]  # a missing stage is allowed on deals
    assert [(t.name, t.rows_read, t.rows) for t in tables] == [
        ("deals", 3, 2),
        ("stage_history", 2, 1),
    ]
