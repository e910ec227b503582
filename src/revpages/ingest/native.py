"""Reading export files into DuckDB tables, once per build, accounting for every row.

Every file becomes a real table (never a view that re-parses the CSV for each
query), named after the file: ``data/deals.csv`` becomes ``deals``. Files
named after a contract table are read as text and conformed to the contract
(typed, checked, every record accounted for in the outcome tables, ``rejects``); other
files are loaded with DuckDB's type detection as they are.

With ``data_format: hubspot`` or ``salesforce`` the CRM's export files are read
as text and turned into the contract tables by mapping SQL (``revpages.ingest.crm.mapping``).
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from revpages.contract import CALENDAR, DERIVED_TABLES, TABLES_BY_NAME, Table
from revpages.errors import DataLoadError
from revpages.ingest.conform import Checks, OrderLost, conform
from revpages.ingest.files import (
    CSV_TEXT,
    as_utf8,
    drop_raw,
    file_scan,
    load_excel_extension,
    numbered,
    read_text,
    table_name_for,
    unreadable,
)
from revpages.ingest.loaded import LoadedTable, scan_notes, table_freshness
from revpages.ingest.rejects import REJECTS_TABLE, record_malformed, record_missing_columns
from revpages.sql import literal, quote

DERIVED_TABLE_NAMES = frozenset(table.name for table in (*DERIVED_TABLES, CALENDAR))


def load_files(
    con: duckdb.DuckDBPyConnection,
    files: list[tuple[Path, str]],
    *,
    scratch: Path,
    checks: Checks,
) -> list[LoadedTable]:
    """Native files: each into the table it is named after."""
    seen: dict[str, Path] = {}
    loaded = []
    for path, reader in files:
        name = table_name_for(path)
        if name in DERIVED_TABLE_NAMES:
            raise DataLoadError(
                f"'{path.name}' would become table '{name}', which revpages computes itself "
                "from the contract tables.",
                code="RP511",
                path=path,
                hint="rename the file; reports read the computed table.",
            )
        if name in seen:
            raise DataLoadError(
                f"'{path.name}' and '{seen[name].name}' would both become table '{name}'.",
                code="RP502",
                path=path,
                hint="rename or remove one of them.",
            )
        seen[name] = path
        loaded.append(_load_file(con, path, reader, name, scratch, checks))
    return loaded


def _load_file(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    reader: str,
    name: str,
    scratch: Path,
    checks: Checks,
) -> LoadedTable:
    contract = TABLES_BY_NAME.get(name)
    scan = file_scan(path, reader)
    source = as_utf8(path, scan, scratch)
    try:
        if contract is None:
            _load_as_is(con, source, reader, name)
            rows_read = con.table(name).shape[0]
        else:
            rows_read = _load_contract(con, path, source, reader, contract, checks)
    except duckdb.Error as error:
        raise unreadable(path, error) from None
    table = con.table(name)
    repairs, guessed = scan_notes(scan)
    return LoadedTable(
        name=name,
        path=path,
        rows=table.shape[0],
        columns=tuple(table.columns),
        freshness=table_freshness(con, name, table.columns, [str(t) for t in table.types]),
        rows_read=rows_read,
        encoding=scan.encoding,
        guessed=guessed,
        repairs=repairs,
    )


def _load_as_is(con: duckdb.DuckDBPyConnection, source: Path, reader: str, name: str) -> None:
    if reader == "xlsx":
        load_excel_extension(con)
        con.execute(f"CREATE TABLE {quote(name)} AS SELECT * FROM read_xlsx($1)", [str(source)])
        return
    relation = con.read_parquet(str(source)) if reader == "parquet" else con.read_csv(str(source))
    relation.create(name)


def _load_contract(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    source: Path,
    reader: str,
    table: Table,
    checks: Checks,
) -> int:
    """Read ``path`` as text, conform it to ``table``; returns the rows read."""
    if reader == "csv":
        rows = _load_contract_csv(con, path, source, table, checks)
        if rows is not None:
            return rows
    raw = f"__raw_{table.name}"
    if reader == "parquet":
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE {raw}_text AS SELECT * FROM read_parquet($1)",
            [str(source)],
        )
        numbered(con, raw)
        parse_rejects = 0
    else:
        parse_rejects = read_text(con, raw, source, reader, path.name, table.name)
    headers = [c for c in con.table(raw).columns if c != "__rec"]
    sources, header = _match_columns(table, headers, path)
    conform(con, table, raw, sources, file=path.name, checks=checks, header=header)
    rows = con.table(raw).shape[0]
    drop_raw(con, raw)
    _missing_columns(con, path, table, sources)
    return rows + parse_rejects


def _load_contract_csv(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    source: Path,
    table: Table,
    checks: Checks,
) -> int | None:
    """One pass from the CSV file to the contract table, with no text copy of the export;
    returns the rows read (every one is loaded or refused), or None when the checks of
    ``table`` would lose the row order that numbers the rows (then read a text copy)."""
    raw = f"__raw_{table.name}"
    # A view cannot hold a parameter: the path is a quoted literal (and a file we listed).
    con.execute(
        f"CREATE OR REPLACE TEMP VIEW {raw} AS " + CSV_TEXT.replace("$1", literal(str(source)))
    )
    try:
        sources, header = _match_columns(table, con.table(raw).columns, path)
        conform(con, table, raw, sources, file=path.name, checks=checks, header=header)
    except OrderLost:
        return None
    finally:
        con.execute(f"DROP VIEW IF EXISTS {raw}")
    record_malformed(con, path.name, table.name, renumber=True)
    others = con.execute(
        f"SELECT count(*) FROM {REJECTS_TABLE} WHERE file = $1 AND table_name = $2",
        [path.name, table.name],
    ).fetchone()[0]
    rows = con.table(quote(table.name)).shape[0] + others
    _missing_columns(con, path, table, sources)
    return rows


def _match_columns(
    table: Table, headers: list[str], path: Path
) -> tuple[dict[str, str], dict[str, str]]:
    """Contract column -> quoted export header (matched case- and space-insensitively),
    and contract column -> the header as written."""
    by_key = {h.strip().lstrip("\ufeff").lower().replace(" ", "_"): h for h in headers}
    found = {c.name: by_key[c.name] for c in table.columns if c.name in by_key}
    missing = [c.name for c in table.columns if c.required and c.name not in found]
    if missing:
        raise DataLoadError(
            f"'{path.name}' has no column {', '.join(repr(m) for m in missing)} "
            f"required by table '{table.name}'; it has {', '.join(headers)}.",
            code="RP504",
            path=path,
            line=1,
            column=1,
            hint="export the missing columns, or rename the header to the contract's name.",
        )
    return {c: quote(h) for c, h in found.items()}, found


def _missing_columns(
    con: duckdb.DuckDBPyConnection, path: Path, table: Table, sources: dict[str, str]
) -> None:
    """The contract columns the file has no header for: every loaded row lacks them."""
    missing = [(c.name, c.name) for c in table.columns if c.name not in sources]
    loaded = con.table(quote(table.name)).shape[0]
    record_missing_columns(con, path.name, table.name, missing, loaded)
