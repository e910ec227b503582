"""The data folder into contract tables: native files as they are, CRM exports through their
mapping. A contract table no export fills is created empty, so shared models and the
derived tables still plan; the reports that need it wait for data (``missing_tables``).
"""

from __future__ import annotations

import tempfile
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from revpages.contract import TABLES, Table
from revpages.errors import DataLoadError
from revpages.ingest.conform import Checks, install_readers, stage_keys
from revpages.ingest.files import data_files
from revpages.ingest.loaded import LoadedTable
from revpages.ingest.native import load_files

if TYPE_CHECKING:
    from revpages.settings import DataOptions


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
            "no CSV, Excel or Parquet files in this folder.",
            code="RP501",
            path=data_dir,
            hint="run 'revpages sample-data' for sample data, or copy your exports there.",
        )
    if options is not None:
        options.check()
    checks = Checks(
        now,
        options.stage_map if options else (),
        options.alias_pairs if options else (),
    )
    mapped = options is not None and options.format != "native"
    defaults = {}
    if mapped:
        from revpages.ingest.crm.catalog import export_format

        defaults = export_format(options.format).stages
    install_readers(con, stage_keys(checks, defaults))
    with tempfile.TemporaryDirectory(prefix="revpages-") as scratch:
        if mapped:
            from revpages.ingest.crm.mapping import load_mapped

            tables = load_mapped(con, files, options, scratch=Path(scratch), checks=checks)
        else:
            tables = load_files(con, files, scratch=Path(scratch), checks=checks)
    existing = {row[0] for row in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    for table in missing_tables(tables):
        if table.name not in existing:  # a mapping may have made it, with no rows
            create_empty_table(con, table)
    con.execute("RESET VARIABLE rp_stages")
    return tables


def missing_tables(tables: list[LoadedTable]) -> list[Table]:
    """The contract tables no export file filled (a CRM export may feed one no rows, e.g.
    deals without competitors: it is not filled either)."""
    loaded = {t.name for t in tables if t.columns}
    return [table for table in TABLES if table.name not in loaded]


def create_empty_table(con: duckdb.DuckDBPyConnection, table: Table) -> None:
    """``table`` with its loaded columns and no rows."""
    columns = [
        duckdb.ConstantExpression(None).cast(duckdb.sqltypes.DuckDBPyType(c.type)).alias(c.name)
        for c in table.loaded_columns
    ]
    con.sql("SELECT 1 WHERE false").select(*columns).create(table.name)
