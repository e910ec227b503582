"""Size limits: what one build may read and publish, each an option, each failing with a
coded error that names the limit and its option.

A 4 MB spreadsheet can unpack to gigabytes, a forgotten ``GROUP BY`` can return millions of
rows, a pivot can return thousands of columns: without limits each becomes a build that
runs out of memory or a page nobody can open. The limits are checked as early as the
size is known: an .xlsx before it is read (``revpages.ingest.files.xlsx_size``), a
result's columns before any row is fetched, its rows while fetching (never more than one
past the limit), a page's rows before it is rendered.
"""

from __future__ import annotations

from dataclasses import dataclass

from revpages.errors import QueryFileError
from revpages.reports.queryfile import QueryFile


@dataclass(frozen=True)
class Limits:
    """The ``limit_*`` options."""

    xlsx_mb: int = 512  # uncompressed size of one .xlsx export
    csv_rows: int = 1_000_000  # rows of one report's result (its CSV holds them all)
    page_rows: int = 1_000  # rows one report page shows
    columns: int = 200  # columns of one report's result
    views: int = 200  # views of one report page (combinations of its params: values)


def too_many_columns(query: QueryFile, found: int, limits: Limits) -> QueryFileError:
    return _error(
        query,
        f"the result has {found:,} columns, more than limit_columns ({limits.columns:,}).",
        "RP312",
        "select the columns the page needs (pivot fewer values), or raise limit_columns in "
        "mkdocs.yml.",
    )


def too_many_rows(query: QueryFile, limits: Limits) -> QueryFileError:
    return _error(
        query,
        f"the result has more than limit_csv_rows ({limits.csv_rows:,}) rows, all of which "
        "its CSV would hold.",
        "RP310",
        "aggregate or filter in the query, or raise limit_csv_rows in mkdocs.yml.",
    )


def check_page_rows(query: QueryFile, rows: int, table_rows: int, limits: Limits) -> None:
    """The rows the page would show: ``table_rows`` of the ``rows`` of the result."""
    shown = min(rows, table_rows)
    if shown > limits.page_rows:
        raise _error(
            query,
            f"the page would show {shown:,} rows, more than limit_page_rows "
            f"({limits.page_rows:,}).",
            "RP311",
            "lower table_rows (the CSV keeps every row), or raise limit_page_rows in mkdocs.yml.",
        )


def _error(query: QueryFile, text: str, code: str, hint: str) -> QueryFileError:
    line, column = query.sql_position(0)
    return QueryFileError(text, code=code, path=query.path, line=line, column=column, hint=hint)
