"""CSV downloads: every row of a result, spreadsheet formula prefixes neutralised, headed by
the columns' labels and units (the values stay raw numbers, for spreadsheets)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from revpages.pages.formats import column_formats
from revpages.reports.result import QueryResult

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def result_csv(
    result: QueryResult, formats: dict[str, str] | None = None, currency: str = "$"
) -> str:
    """The full result as CSV, with spreadsheet formula prefixes neutralised (OWASP). With
    ``formats`` (the front matter's), headers are labels with their unit ("Spend ($)");
    without, the column names."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    if formats is None:
        headers = list(result.columns)
    else:
        shown = column_formats(result, formats, currency)
        headers = [shown[c].csv_header(c) for c in result.columns]
    # The writer quotes what holds '\n' but not a lone '\r', which readers take for a line
    # end: a row with one is written with every field quoted.
    quoted = csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_ALL)
    for cells in ([_csv_cell(c) for c in headers], *_rows(result)):
        has_return = any(isinstance(c, str) and "\r" in c for c in cells)
        (quoted if has_return else writer).writerow(cells)
    return buffer.getvalue()


def _rows(result: QueryResult) -> Iterator[list[Any]]:
    for row in result.rows:
        yield [_csv_cell(value) for value in row]


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, list | tuple):  # a path of steps: 'paid_search → … → email'
        return _csv_cell(" → ".join("" if v is None else str(v) for v in value))
    if isinstance(value, float):
        # Parallel sums of doubles may differ in the last bits between runs; 12 digits
        # keep every meaningful digit and make the download byte-identical.
        return float(f"{value:.12g}")
    return value
