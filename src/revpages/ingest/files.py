"""Export files on disk: which are read, their encoding, and their rows as text for the
conformers.
"""

from __future__ import annotations

import codecs
import contextlib
import json
import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

import duckdb

from revpages.errors import DataLoadError
from revpages.ingest.rejects import record_malformed
from revpages.sql import literal, quote, scalar

SUPPORTED_SUFFIXES: dict[str, str] = {
    ".csv": "csv",
    ".tsv": "csv",
    ".txt": "csv",
    ".csv.gz": "csv",
    ".parquet": "parquet",
    ".xlsx": "xlsx",
}


_CHUNK = 1 << 20


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


@dataclass(frozen=True)
class TextScan:
    """What one pass over a CSV file's bytes found."""

    encoding: str = "utf-8"  # utf-8, utf-16 (by its BOM) or cp1252
    guessed: bool = False  # not UTF-8 and no BOM: Windows-1252 is a guess
    mixed_endings: bool = False  # lines end partly in CRLF, partly in LF (or CR)
    inner_bom: bool = False  # a byte-order mark after the start: files joined together

    @property
    def rewrite(self) -> bool:
        """DuckDB reads the file as it is only when it is UTF-8 with one kind of line end."""
        return self.encoding != "utf-8" or self.mixed_endings or self.inner_bom


def detect_encoding(path: Path) -> str:
    """utf-8 (with or without BOM), utf-16 (by BOM), else Windows-1252 (a superset of Latin-1)."""
    return scan_text(path).encoding


def scan_text(path: Path) -> TextScan:
    """One streaming pass: the encoding, and the line ends and BOMs DuckDB cannot read."""
    with path.open("rb") as handle:
        head = handle.read(4)
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return TextScan("utf-16")
        handle.seek(3 if head.startswith(codecs.BOM_UTF8) else 0)
        decoder = codecs.getincrementaldecoder("utf-8")()
        valid, crlf, bare, inner = True, False, False, False
        pending, tail = b"", b""  # a CR that ends a chunk; the last bytes of the chunk
        while chunk := handle.read(_CHUNK):
            if valid:
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError:
                    valid = False
            inner = inner or codecs.BOM_UTF8 in chunk or codecs.BOM_UTF8 in tail + chunk[:2]
            tail = chunk[-2:]
            data = pending + chunk
            pending = b"\r" if data.endswith(b"\r") else b""  # its LF may start the next one
            data = data[:-1] if pending else data
            if b"\r" in data:
                pairs = data.count(b"\r\n")
                crlf = crlf or pairs > 0
                bare = bare or data.count(b"\r") + data.count(b"\n") > 2 * pairs
            else:
                bare = bare or b"\n" in data
        bare = bare or bool(pending)
        if valid:
            try:
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                valid = False
    mixed = crlf and bare
    if not valid:
        return TextScan("cp1252", guessed=True, mixed_endings=mixed, inner_bom=inner)
    return TextScan("utf-8", mixed_endings=mixed, inner_bom=inner)


def _reader_for(path: Path) -> str | None:
    lower = path.name.lower()
    for suffix, reader in SUPPORTED_SUFFIXES.items():
        if lower.endswith(suffix):
            return reader
    return None


def file_scan(path: Path, reader: str) -> TextScan:
    """The text facts of a CSV export; binary formats (and gzip) say utf-8."""
    if reader in ("parquet", "xlsx") or path.name.lower().endswith(".gz"):
        return TextScan()
    return scan_text(path)


def file_encoding(path: Path, reader: str) -> str:
    return file_scan(path, reader).encoding


def as_utf8(path: Path, scan: TextScan | str, scratch: Path) -> Path:
    """DuckDB reads UTF-8 with one kind of line end natively; other files are copied once,
    streaming, as UTF-8 with LF line ends and no byte-order mark after the start."""
    scan = scan if isinstance(scan, TextScan) else TextScan(scan)
    if not scan.rewrite:
        return path
    target = scratch / path.name
    pending = ""
    with (
        path.open("r", encoding=scan.encoding, errors="replace", newline="") as src,
        target.open("w", encoding="utf-8", newline="") as dst,
    ):
        if scan.encoding == "utf-8" and src.read(1) != "\ufeff":
            src.seek(0)
        while chunk := src.read(_CHUNK):
            text = pending + chunk
            pending = "\r" if text.endswith("\r") else ""  # its LF may come in the next chunk
            text = text[: len(text) - len(pending)]
            if scan.mixed_endings:
                text = text.replace("\r\n", "\n").replace("\r", "\n")
            if scan.inner_bom or scan.encoding != "utf-8":
                text = text.replace("\ufeff", "")
            dst.write(text)
        dst.write("\n" if pending and scan.mixed_endings else pending)
    return target


def read_text(
    con: duckdb.DuckDBPyConnection,
    raw: str,
    source: Path,
    reader: str,
    file: str,
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
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {raw}_text AS SELECT COLUMNS(*)::VARCHAR "
        "FROM read_parquet($1)",
        [str(source)],
    )
    numbered(con, raw)
    return 0


def numbered(con: duckdb.DuckDBPyConnection, raw: str) -> None:
    """View ``raw``: ``{raw}_text`` with the record number ``__rec`` in front (no copy)."""
    con.execute(
        f"CREATE OR REPLACE TEMP VIEW {raw} AS SELECT rowid + 1 AS __rec, * FROM {raw}_text"
    )


def drop_raw(con: duckdb.DuckDBPyConnection, raw: str) -> None:
    """Drop what ``read_text`` made: view ``raw`` and table ``{raw}_text``, or table ``raw``."""
    kind = con.execute(
        "SELECT table_type FROM information_schema.tables WHERE table_name = $1", [raw]
    ).fetchone()
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
            f"(it has: {found}).",
            code="RP505",
            hint=f"install duckdb-extension-excel=={duckdb.__version__}, "
            "the same version as duckdb.",
        )
    return path


def load_excel_extension(con: duckdb.DuckDBPyConnection) -> None:
    """LOAD the excel extension from the wheel's file: offline, nothing is downloaded."""
    loaded = scalar(
        con, "SELECT count(*) FROM duckdb_extensions() WHERE extension_name = 'excel' AND loaded"
    )
    if not loaded:
        con.execute(f"LOAD {literal(str(excel_extension_path()))}")


def _read_xlsx_text(con: duckdb.DuckDBPyConnection, raw: str, source: Path) -> None:
    """The first sheet as text. Cells that Excel stores as dates read as numbers (day
    serials) in text mode, so date and time columns are taken from a typed read."""
    load_excel_extension(con)
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {raw}_text AS SELECT * FROM "
        "read_xlsx($1, all_varchar = true, header = true)",
        [str(source)],
    )
    numbered(con, raw)
    try:
        typed = con.execute(
            "SELECT * FROM read_xlsx($1, header = true) LIMIT 0", [str(source)]
        ).description
    except duckdb.Error:
        return  # mixed cells: keep the text (day serials stay numbers)
    dated = [name for name, kind, *_ in typed if str(kind) in ("DATE", "TIMESTAMP", "TIME")]
    if not dated:
        return
    replaced = ", ".join(f"typed.{quote(c)}::VARCHAR AS {quote(c)}" for c in dated)
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {raw}_dated AS SELECT text.* REPLACE "
        f"({replaced}) FROM {raw} AS text POSITIONAL JOIN (SELECT * FROM "
        "read_xlsx($1, header = true)) AS typed",
        [str(source)],
    )
    drop_raw(con, raw)
    con.execute(f"ALTER TABLE {raw}_dated RENAME TO {raw}")


# Every column as text; rows the CSV reader cannot split go to __csv_rejects.
CSV_TEXT = (
    "SELECT * FROM read_csv($1, all_varchar = true, header = true, "
    "store_rejects = true, rejects_table = '__csv_rejects', "
    "rejects_scan = '__csv_scan')"
)


def _read_csv_text(
    con: duckdb.DuckDBPyConnection,
    raw: str,
    source: Path,
    file: str,
    *,
    table: str | None = None,
) -> int:
    """All columns as text; malformed rows are kept as rejects with DuckDB's line number."""
    con.execute(f"CREATE OR REPLACE TEMP TABLE {raw}_text AS {CSV_TEXT}", [str(source)])
    bad_lines = record_malformed(con, file, table or raw.removeprefix("__raw_"))
    if not bad_lines:
        numbered(con, raw)
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


def unreadable(path: Path, error: Exception, *, shown: Path | str | None = None) -> DataLoadError:
    """RP503 for an export DuckDB could not read, with DuckDB's reason in one line."""
    return DataLoadError(
        f"cannot read '{path.name}': {first_line(error)}",
        code="RP503",
        path=shown or path,
        hint="check that the file is a valid, complete export.",
    )


def first_line(error: Exception) -> str:
    """DuckDB's message as one sentence, also from a connection with ``errors_as_json``."""
    text = str(error).strip()
    kind, _, details = text.partition(": ")
    if details.startswith("{"):
        with contextlib.suppress(ValueError, KeyError, TypeError):
            text = f"{kind}: {json.loads(details)['exception_message']}"
    line = text.splitlines()[0].rstrip()
    return line if line.endswith((".", "!", "?")) else f"{line}."


def check_xlsx_size(path: Path, limit_mb: int) -> None:
    """Refuse an .xlsx whose content unpacks to more than ``limit_mb`` megabytes (a zip bomb
    takes gigabytes of memory to read), counting what really unpacks, not what the zip's
    directory claims; stops as soon as the limit is passed."""
    limit = limit_mb * 2**20
    total = 0
    try:
        with zipfile.ZipFile(path) as archive:
            for entry in archive.infolist():
                with archive.open(entry) as member:
                    while chunk := member.read(_CHUNK):
                        total += len(chunk)
                        if total > limit:
                            raise DataLoadError(
                                f"this workbook unpacks to more than limit_xlsx_mb "
                                f"({limit_mb:,} MB).",
                                code="RP513",
                                path=path,
                                hint="export the sheet as CSV, or raise limit_xlsx_mb in "
                                "mkdocs.yml if the file is genuine.",
                            )
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, ValueError):
        return  # not a readable zip: the reader says what is wrong with it
