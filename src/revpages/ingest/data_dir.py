"""The data folder into contract tables: native files as they are, CRM exports through their
mapping.
"""

from __future__ import annotations

import tempfile
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from revpages.errors import DataLoadError
from revpages.ingest.conform import (
    install_readers,
)
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
    install_readers(con)
    with tempfile.TemporaryDirectory(prefix="revpages-") as scratch:
        if options is not None and options.format != "native":
            from revpages.ingest.crm.mapping import load_mapped

            return load_mapped(con, files, options, scratch=Path(scratch), now=now)
        return load_files(con, files, scratch=Path(scratch), now=now)
