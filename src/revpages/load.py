"""Reading export files into DuckDB tables, once per build, accounting for every row.

Every file becomes a real table (never a view that re-parses the CSV for each
query), named after the file: ``data/deals.csv`` becomes ``deals``. Files
named after a contract table are read as text and conformed to the contract
(typed, checked, refused rows kept in ``revpages_rejects``); other files are
loaded with DuckDB's type detection as they are.

With ``data_format: hubspot`` or ``salesforce`` the CRM's export files are read
as text and turned into the contract tables by mapping SQL (``revpages.mapping``).
"""

from __future__ import annotations

import codecs
import contextlib
import json
import re
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from revpages.conform import (
    REJECTS_TABLE,
    OrderLost,
    conform,
    install_readers,
    literal,
    quote,
)
from revpages.contract import TABLES_BY_NAME, Table
from revpages.derive import DERIVED_TABLES
from revpages.errors import DataLoadError

if TYPE_CHECKING:
    from revpages.exports import DataOptions

SUPPORTED_SUFFIXES: dict[str, str] = {
    ".csv": "csv",
    ".tsv": "csv",
    ".txt": "csv",
    ".csv.gz": "csv",
    ".parquet": "parquet",
    ".xlsx": "xlsx",
}
_TIMESTAMP_TYPES = ("TIMESTAMP", "TIMESTAMP WITH TIME ZONE", "TIMESTAMP_NS", "TIMESTAMP_MS")
_CHUNK = 1 << 20


@dataclass(frozen=True)
class LoadedTable:
    """One export file loaded into one table."""

    name: str
    path: Path
    rows: int
    columns: tuple[str, ...]
    freshness: datetime | None
    rows_read: int = 0
    encoding: str = "utf-8"


def rows_by_table(tables: list[LoadedTable]) -> dict[str, int]:
    """Rows per table: a table fed by several export files sums them; lookup files (a
    CRM's owners or users, no columns of their own) are not tables."""
    rows: dict[str, int] = {}
    for table in tables:
        if table.columns:
            rows[table.name] = rows.get(table.name, 0) + table.rows
    return rows


def data_files(data_dir: Path) -> list[tuple[Path, str]]:
    """Export files in ``data_dir`` with their reader, in a stable order."""
    if not data_dir.is_dir():
        return []
    found = []
    for path in sorted(data_dir.iterdir()):
        reader = _reader_for(path)
        if reader and path.is_file():
            found.append((path, reader))
    return found


def table_name_for(path: Path) -> str:
    stem = path.name
    for suffix in sorted(SUPPORTED_SUFFIXES, key=len, reverse=True):
        if stem.lower().endswith(suffix):
            stem = stem[: -len(suffix)]
            break
    name = re.sub(r"[^a-z0-9_]+", "_", stem.lower()).strip("_")
    return name if name and not name[0].isdigit() else f"t_{name}"


def detect_encoding(path: Path) -> str:
    """utf-8 (with or without BOM), utf-16 (by BOM), else Windows-1252 (a superset of Latin-1)."""
    with path.open("rb") as handle:
        head = handle.read(4)
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return "utf-16"
        handle.seek(0)
        decoder = codecs.getincrementaldecoder("utf-8")()
        try:
            while chunk := handle.read(_CHUNK):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return "cp1252"
    return "utf-8"


def load_data_dir(
    con: duckdb.DuckDBPyConnection,
    data_dir: Path,
    *,
    now: datetime,
    options: DataOptions | None = None,
) -> list[LoadedTable]:
    """Load every supported file of ``data_dir``: into its own table (native format), or
    through the export mapping of ``options.format`` into the contract tables."""
    files = data_files(data_dir)
    if not files:
        raise DataLoadError(
            "no CSV, Excel or Parquet files in this folder.", code="RP501",
            path=data_dir,
            hint="run 'revpages sample-data' for sample data, or copy your exports there.",
        )
    install_readers(con)
    with tempfile.TemporaryDirectory(prefix="revpages-") as scratch:
        if options is not None and options.format != "native":
            from revpages.mapping import load_mapped

            return load_mapped(con, files, options, scratch=Path(scratch), now=now)
        return load_files(con, files, scratch=Path(scratch), now=now)


DERIVED_TABLE_NAMES = frozenset(table.name for table in DERIVED_TABLES)


def load_files(
    con: duckdb.DuckDBPyConnection, files: list[tuple[Path, str]], *, scratch: Path,
    now: datetime,
) -> list[LoadedTable]:
    """Native files: each into the table it is named after."""
    seen: dict[str, Path] = {}
    loaded = []
    for path, reader in files:
        name = table_name_for(path)
        if name in DERIVED_TABLE_NAMES:
            raise DataLoadError(
                f"'{path.name}' would become table '{name}', which revpages computes itself "
                "from the contract tables.", code="RP511", path=path,
                hint="rename the file; reports read the computed table.",
            )
        if name in seen:
            raise DataLoadError(
                f"'{path.name}' and '{seen[name].name}' would both become table '{name}'.",
                code="RP502", path=path, hint="rename or remove one of them.",
            )
        seen[name] = path
        loaded.append(_load_file(con, path, reader, name, scratch, now))
    return loaded


def _reader_for(path: Path) -> str | None:
    lower = path.name.lower()
    for suffix, reader in SUPPORTED_SUFFIXES.items():
        if lower.endswith(suffix):
            return reader
    return None


def _load_file(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    reader: str,
    name: str,
    scratch: Path,
    now: datetime,
) -> LoadedTable:
    contract = TABLES_BY_NAME.get(name)
    encoding = file_encoding(path, reader)
    source = as_utf8(path, encoding, scratch)
    try:
        if contract is None:
            _load_as_is(con, source, reader, name)
            rows_read = con.table(name).shape[0]
        else:
            rows_read = _load_contract(con, path, source, reader, contract, now)
    except duckdb.Error as error:
        raise DataLoadError(
            f"cannot read '{path.name}': {first_line(error)}", code="RP503",
            path=path, hint="check that the file is a valid, complete export.",
        ) from None
    table = con.table(name)
    return LoadedTable(
        name=name,
        path=path,
        rows=table.shape[0],
        columns=tuple(table.columns),
        freshness=table_freshness(con, name, table.columns, [str(t) for t in table.types]),
        rows_read=rows_read,
        encoding=encoding,
    )


def file_encoding(path: Path, reader: str) -> str:
    """The text encoding of a CSV export; binary formats (and gzip) say utf-8."""
    if reader in ("parquet", "xlsx") or path.name.lower().endswith(".gz"):
        return "utf-8"
    return detect_encoding(path)


def as_utf8(path: Path, encoding: str, scratch: Path) -> Path:
    """DuckDB reads UTF-8 natively; other encodings are transcoded once, streaming."""
    if encoding == "utf-8":
        return path
    target = scratch / path.name
    with path.open("r", encoding=encoding, errors="replace", newline="") as src, \
            target.open("w", encoding="utf-8", newline="") as dst:
        while chunk := src.read(_CHUNK):
            dst.write(chunk)
    return target


def _load_as_is(con: duckdb.DuckDBPyConnection, source: Path, reader: str, name: str) -> None:
    if reader == "xlsx":
        load_excel_extension(con)
        con.execute(f"CREATE TABLE {quote(name)} AS SELECT * FROM read_xlsx($1)", [str(source)])
        return
    relation = con.read_parquet(str(source)) if reader == "parquet" else con.read_csv(str(source))
    relation.create(name)


def read_text(
    con: duckdb.DuckDBPyConnection, raw: str, source: Path, reader: str, file: str,
    table: str,
) -> int:
    """``source`` as text: ``raw`` has ``__rec`` (record number) and every column as
    text (a view over ``{raw}_text``, or a table; ``drop_raw`` removes either). Malformed
    CSV rows go to the rejects; returns how many."""
    if reader == "csv":
        return _read_csv_text(con, raw, source, file, table=table)
    if reader == "xlsx":
        _read_xlsx_text(con, raw, source)
        return 0
    con.execute(f"CREATE OR REPLACE TEMP TABLE {raw}_text AS SELECT COLUMNS(*)::VARCHAR "
                "FROM read_parquet($1)", [str(source)])
    _numbered(con, raw)
    return 0


def _numbered(con: duckdb.DuckDBPyConnection, raw: str) -> None:
    """View ``raw``: ``{raw}_text`` with the record number ``__rec`` in front (no copy)."""
    con.execute(f"CREATE OR REPLACE TEMP VIEW {raw} AS SELECT rowid + 1 AS __rec, * "
                f"FROM {raw}_text")


def drop_raw(con: duckdb.DuckDBPyConnection, raw: str) -> None:
    """Drop what ``read_text`` made: view ``raw`` and table ``{raw}_text``, or table ``raw``."""
    kind = con.execute("SELECT table_type FROM information_schema.tables "
                       "WHERE table_name = $1", [raw]).fetchone()
    if kind and kind[0] == "VIEW":
        con.execute(f"DROP VIEW {raw}")
        con.execute(f"DROP TABLE IF EXISTS {raw}_text")
    else:
        con.execute(f"DROP TABLE IF EXISTS {raw}")


def excel_extension_path() -> Path:
    """The excel extension shipped by the ``duckdb-extension-excel`` wheel for this DuckDB."""
    try:
        import duckdb_extension_excel
    except ImportError:
        raise DataLoadError(
            "reading .xlsx files needs the Python package 'duckdb-extension-excel'.",
            code="RP505",
            hint=f"pip install duckdb-extension-excel=={duckdb.__version__}, "
                 "or save the sheet as CSV.",
        ) from None
    folder = Path(duckdb_extension_excel.__file__).parent / "extensions"
    path = folder / f"v{duckdb.__version__}" / "excel.duckdb_extension"
    if not path.is_file():
        found = ", ".join(sorted(p.name for p in folder.glob("v*"))) or "none"
        raise DataLoadError(
            f"duckdb-extension-excel has no build for DuckDB {duckdb.__version__} "
            f"(it has: {found}).", code="RP505",
            hint=f"install duckdb-extension-excel=={duckdb.__version__}, "
                 "the same version as duckdb.",
        )
    return path


def load_excel_extension(con: duckdb.DuckDBPyConnection) -> None:
    """LOAD the excel extension from the wheel's file: offline, nothing is downloaded."""
    loaded = con.execute("SELECT count(*) FROM duckdb_extensions() "
                         "WHERE extension_name = 'excel' AND loaded").fetchone()[0]
    if not loaded:
        con.execute(f"LOAD {literal(str(excel_extension_path()))}")


def _read_xlsx_text(con: duckdb.DuckDBPyConnection, raw: str, source: Path) -> None:
    """The first sheet as text. Cells that Excel stores as dates read as numbers (day
    serials) in text mode, so date and time columns are taken from a typed read."""
    load_excel_extension(con)
    con.execute(f"CREATE OR REPLACE TEMP TABLE {raw}_text AS SELECT * FROM "
                "read_xlsx($1, all_varchar = true, header = true)", [str(source)])
    _numbered(con, raw)
    try:
        typed = con.execute("SELECT * FROM read_xlsx($1, header = true) LIMIT 0",
                            [str(source)]).description
    except duckdb.Error:
        return  # mixed cells: keep the text (day serials stay numbers)
    dated = [name for name, kind, *_ in typed if str(kind) in ("DATE", "TIMESTAMP", "TIME")]
    if not dated:
        return
    replaced = ", ".join(f"typed.{quote(c)}::VARCHAR AS {quote(c)}" for c in dated)
    con.execute(f"CREATE OR REPLACE TEMP TABLE {raw}_dated AS SELECT text.* REPLACE "
                f"({replaced}) FROM {raw} AS text POSITIONAL JOIN (SELECT * FROM "
                "read_xlsx($1, header = true)) AS typed", [str(source)])
    drop_raw(con, raw)
    con.execute(f"ALTER TABLE {raw}_dated RENAME TO {raw}")


def _load_contract(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    source: Path,
    reader: str,
    table: Table,
    now: datetime,
) -> int:
    """Read ``path`` as text, conform it to ``table``; returns the rows read."""
    if reader == "csv":
        rows = _load_contract_csv(con, path, source, table, now)
        if rows is not None:
            return rows
    raw = f"__raw_{table.name}"
    if reader == "parquet":
        con.execute(f"CREATE OR REPLACE TEMP TABLE {raw}_text AS "
                    "SELECT * FROM read_parquet($1)", [str(source)])
        _numbered(con, raw)
        parse_rejects = 0
    else:
        parse_rejects = read_text(con, raw, source, reader, path.name, table.name)
    headers = [c for c in con.table(raw).columns if c != "__rec"]
    sources = _match_columns(table, headers, path)
    conform(con, table, raw, sources, file=path.name, now=now)
    rows = con.table(raw).shape[0]
    drop_raw(con, raw)
    return rows + parse_rejects


def _load_contract_csv(
    con: duckdb.DuckDBPyConnection, path: Path, source: Path, table: Table, now: datetime,
) -> int | None:
    """One pass from the CSV file to the contract table, with no text copy of the export;
    returns the rows read (every one is loaded or refused), or None when the checks of
    ``table`` would lose the row order that numbers the rows (then read a text copy)."""
    raw = f"__raw_{table.name}"
    # A view cannot hold a parameter: the path is a quoted literal (and a file we listed).
    con.execute(f"CREATE OR REPLACE TEMP VIEW {raw} AS "
                + _CSV_TEXT.replace("$1", literal(str(source))))
    try:
        sources = _match_columns(table, con.table(raw).columns, path)
        conform(con, table, raw, sources, file=path.name, now=now)
    except OrderLost:
        return None
    finally:
        con.execute(f"DROP VIEW IF EXISTS {raw}")
    _record_malformed(con, path.name, table.name, renumber=True)
    refused = con.execute(f"SELECT count(*) FROM {REJECTS_TABLE} WHERE file = $1 AND "
                          "table_name = $2", [path.name, table.name]).fetchone()[0]
    return con.table(quote(table.name)).shape[0] + refused


# Every column as text; rows the CSV reader cannot split go to __csv_rejects.
_CSV_TEXT = ("SELECT * FROM read_csv($1, all_varchar = true, header = true, "
             "store_rejects = true, rejects_table = '__csv_rejects', "
             "rejects_scan = '__csv_scan')")


def _record_malformed(con: duckdb.DuckDBPyConnection, file: str, table: str, *,
                      renumber: bool = False) -> list[int]:
    """Rows the CSV reader refused become rejects with DuckDB's line number; returns those
    lines. ``renumber``: the rejects already recorded for ``file`` counted only the rows
    read, so each moves down by the malformed lines before it."""
    bad_lines = [row[0] for row in con.execute(
        "SELECT DISTINCT line FROM __csv_rejects ORDER BY line").fetchall()]
    if bad_lines and renumber:
        # The i-th malformed line L_i (1-based) precedes a row counted as line n when
        # L_i - i < n: every line before it but the i - 1 malformed ones was counted.
        con.execute(
            f"UPDATE {REJECTS_TABLE} SET line = line + (SELECT count(*) FROM ("
            "SELECT bad, row_number() OVER (ORDER BY bad) AS i FROM "
            f"unnest($3::BIGINT[]) AS t(bad)) WHERE bad - i < {REJECTS_TABLE}.line) "
            "WHERE file = $1 AND table_name = $2", [file, table, bad_lines])
    con.execute(
        f"INSERT INTO {REJECTS_TABLE} SELECT $1, line, $2, 'malformed CSV row: ' || "
        "lower(replace(error_type::VARCHAR, '_', ' ')), "
        "left(trim(csv_line, chr(10) || chr(13)), 200) FROM ("
        "SELECT DISTINCT ON (line) * FROM __csv_rejects ORDER BY line)",
        [file, table],
    )
    con.execute("DROP TABLE IF EXISTS __csv_rejects")
    con.execute("DROP TABLE IF EXISTS __csv_scan")
    return bad_lines


def _read_csv_text(
    con: duckdb.DuckDBPyConnection, raw: str, source: Path, file: str, *,
    table: str | None = None,
) -> int:
    """All columns as text; malformed rows are kept as rejects with DuckDB's line number."""
    con.execute(f"CREATE OR REPLACE TEMP TABLE {raw}_text AS {_CSV_TEXT}", [str(source)])
    bad_lines = _record_malformed(con, file, table or raw.removeprefix("__raw_"))
    if not bad_lines:
        _numbered(con, raw)
        return 0
    # Good rows keep their record number: the n-th good row is the n-th record not refused.
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {raw} AS SELECT rec.__rec, text.* FROM "
        f"(SELECT rowid AS k, * FROM {raw}_text) AS text JOIN ("
        "SELECT row_number() OVER (ORDER BY r) - 1 AS k, r AS __rec FROM range(1, $1) t(r) "
        "WHERE r + 1 NOT IN (SELECT UNNEST($2::BIGINT[]))) AS rec USING (k) ORDER BY k",
        [con.table(f"{raw}_text").shape[0] + len(bad_lines) + 1, bad_lines],
    )
    con.execute(f"DROP TABLE {raw}_text")
    return len(bad_lines)


def _match_columns(table: Table, headers: list[str], path: Path) -> dict[str, str]:
    """Contract column -> quoted export header (matched case- and space-insensitively)."""
    by_key = {h.strip().lower().replace(" ", "_"): h for h in headers}
    sources = {c.name: quote(by_key[c.name]) for c in table.columns if c.name in by_key}
    missing = [c.name for c in table.columns if c.required and c.name not in sources]
    if missing:
        raise DataLoadError(
            f"'{path.name}' has no column {', '.join(repr(m) for m in missing)} "
            f"required by table '{table.name}'; it has {', '.join(headers)}.", code="RP504",
            path=path, line=1, column=1,
            hint="export the missing columns, or rename the header to the contract's name.",
        )
    return sources


def table_freshness(
    con: duckdb.DuckDBPyConnection, name: str, columns: list[str], types: list[str]
) -> datetime | None:
    """Latest event time of a table: its contract event column, else any timestamp column.

    Planned dates (an open deal's expected close) lie in the future and would
    make stale data look fresh, so contract tables use their event column only.
    """
    contract = TABLES_BY_NAME.get(name)
    if contract and contract.event_column in columns:
        candidates = [contract.event_column]
    else:
        candidates = [c for c, t in zip(columns, types, strict=True) if t in _TIMESTAMP_TYPES]
    latest = None
    for column in candidates:
        latest_expr = duckdb.FunctionExpression("max", duckdb.ColumnExpression(quote(column)))
        value = con.table(name).aggregate([latest_expr]).fetchone()[0]
        if isinstance(value, datetime) and (latest is None or value > latest):
            latest = value.replace(tzinfo=None)
    return latest


def first_line(error: Exception) -> str:
    """DuckDB's message as one sentence, also from a connection with ``errors_as_json``."""
    text = str(error).strip()
    kind, _, details = text.partition(": ")
    if details.startswith("{"):
        with contextlib.suppress(ValueError, KeyError, TypeError):
            text = f"{kind}: {json.loads(details)['exception_message']}"
    line = text.splitlines()[0].rstrip()
    return line if line.endswith((".", "!", "?")) else f"{line}."
