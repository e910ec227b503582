"""Number formats: one definition each for tables, chart axes and hover text."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any


@dataclass(frozen=True)
class NumberFormat:
    """How one kind of number reads: in Python for tables, in d3-format for Plotly."""

    name: str
    axis: str  # d3 tickformat
    hover: str  # d3 format in hover text
    suffix: str = ""

    def text(self, value: float, currency: str) -> str:
        if self.name == "percent":
            return f"{value * 100:,.1f}%"
        if self.name == "currency":
            sign = "-" if value < 0 else ""
            return f"{sign}{currency}{abs(value):,.0f}"
        if self.name == "integer":
            return f"{value:,.0f}"
        if self.name == "days":
            return f"{value:,.1f} d"
        return f"{value:,.2f}"


FORMATS: dict[str, NumberFormat] = {
    "percent": NumberFormat("percent", axis=".0%", hover=".1%"),
    "currency": NumberFormat("currency", axis="~s", hover=",.0f"),  # symbol added as prefix
    "integer": NumberFormat("integer", axis="~s", hover=",d"),
    "number": NumberFormat("number", axis="~s", hover=",.2f"),
    "days": NumberFormat("days", axis=",.0f", hover=",.1f", suffix=" d"),
}


def json_value(value: Any) -> Any:
    """A JSON-ready version of a DuckDB value: floats rounded, times as ISO text."""
    if isinstance(value, Decimal):
        value = float(value)
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return None
        return float(f"{value:.6g}")
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, bool | int | str) or value is None:
        return value
    return str(value)


def cell_text(value: Any, format_name: str | None, currency: str = "$") -> str:
    """The text of one table cell (not yet HTML-escaped)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | Decimal) and format_name in FORMATS:
        number = float(value)
        if math.isnan(number):
            return ""
        return FORMATS[format_name].text(number, currency)
    if isinstance(value, float | Decimal):
        return f"{float(value):,.2f}"
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="minutes" if value.second == 0 else "seconds")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


# Revenue acronyms a column name writes in lower case, as a reader expects to see them.
ACRONYMS = frozenset(
    (
        "roi",
        "mql",
        "sql",
        "sal",
        "cac",
        "ltv",
        "arr",
        "mrr",
        "acv",
        "tam",
        "wape",
        "mape",
        "kpi",
        "id",
        "crm",
        "sla",
        "p75",
        "p90",
    )
)


def label(column: str) -> str:
    """A readable label for a column name: ``win_rate`` -> ``Win rate``, ``mql_rate`` ->
    ``MQL rate``."""
    words = column.replace("_", " ").strip().split(" ")
    if not column.strip("_ "):
        return column
    shown = [w.upper() if w in ACRONYMS else w for w in words]
    text = " ".join(shown)
    return text[:1].upper() + text[1:]
