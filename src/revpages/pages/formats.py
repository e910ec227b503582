"""Number formats, declared once: one spec read by the build (tables, tiles, axes, CSV
headers) and by the browser script (hover text), so a number reads the same everywhere.

``FORMAT_SPEC`` is written into ``revpages.js`` (``site/assets``). A column's format is
resolved once per result (``column_formats``): the declared format, or one from its type,
with the decimals its values need (counts get none unless they hold fractional credit).
Both sides round the exact value of the double half away from zero, so they agree digit
for digit.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Context, Decimal
from typing import Any

from revpages.reports.result import QueryResult

MINUS = "\u2212"  # the minus sign d3 (Plotly's axes) prints, used for every number shown

# scale: powers of ten the value is multiplied by; prefix "currency": the site's currency.
FORMAT_SPEC: dict[str, dict[str, Any]] = {
    "percent": {"scale": 2, "decimals": 1, "suffix": "%", "unit": "fraction"},
    "currency": {"decimals": 0, "prefix": "currency", "unit": "currency"},
    "integer": {"decimals": 0},
    "number": {"decimals": 1},
    "multiple": {"decimals": 1, "suffix": "×", "unit": "×"},
    "days": {"decimals": 1, "suffix": " d", "unit": "days"},
    "hours": {"decimals": 1, "suffix": " h", "unit": "hours"},
    "minutes": {"decimals": 0, "suffix": " min", "unit": "minutes"},
}
NUMERIC_TYPES = (
    "TINYINT",
    "SMALLINT",
    "INTEGER",
    "BIGINT",
    "HUGEINT",
    "UTINYINT",
    "USMALLINT",
    "UINTEGER",
    "UBIGINT",
    "FLOAT",
    "DOUBLE",
    "DECIMAL",
)
_WHOLE_TYPES = NUMERIC_TYPES[:9]
# Digits enough for any double written out in full (1.8e308 with its decimals): rounding
# reads the exact value, and no number is too large to show.
_EXACT = Context(prec=800)
# A category written in lower case: 'paid_social', 'first touch' (a reader sees words).
_IDENTIFIER = re.compile(r"[a-z][a-z0-9]*(?:[_ ][a-z0-9]+)*")


@dataclass(frozen=True)
class ColumnFormat:
    """How the numbers of one column read: a ``FORMAT_SPEC`` entry with its decimals (or
    "text", "boolean" for other columns)."""

    name: str
    decimals: int = 0
    currency: str = "$"

    @property
    def spec(self) -> dict[str, Any]:
        return FORMAT_SPEC.get(self.name, {})

    @property
    def is_number(self) -> bool:
        return self.name in FORMAT_SPEC

    @property
    def prefix(self) -> str:
        return self.currency if self.spec.get("prefix") == "currency" else ""

    @property
    def suffix(self) -> str:
        return self.spec.get("suffix", "")

    def text(self, value: Any) -> str:
        """The value as every place of the site shows it ("" for none)."""
        if value is None:
            return ""
        if isinstance(value, bool):
            return "Yes" if value else "No"
        if isinstance(value, int | float | Decimal) and self.is_number:
            number = canonical(value)
            return "" if number is None else self._number(number)
        if isinstance(value, int | float | Decimal):
            return ColumnFormat("number", 2).text(value)
        return plain_text(value)

    def _number(self, number: float) -> str:
        scaled = Decimal(number).scaleb(self.spec.get("scale", 0), context=_EXACT)
        step = Decimal(1).scaleb(-self.decimals)
        rounded = scaled.quantize(step, rounding=ROUND_HALF_UP, context=_EXACT)
        sign = MINUS if rounded < 0 else ""
        return f"{sign}{self.prefix}{abs(rounded):,.{self.decimals}f}{self.suffix}"

    def browser(self) -> dict[str, Any]:
        """What the browser script needs to format a value as ``text`` does."""
        found: dict[str, Any] = {"format": self.name, "decimals": self.decimals}
        if self.prefix:
            found["prefix"] = self.prefix
        return found

    def axis(self, values: list[Any]) -> dict[str, Any]:
        """Plotly axis settings: d3 tick format, prefix and suffix, from the same spec."""
        if not self.is_number:
            return {}
        numbers = [abs(v) for v in values if isinstance(v, int | float) and not _bad(v)]
        largest = max(numbers, default=0.0)
        if self.name == "percent":
            spread = (max(numbers, default=0) - min(numbers, default=0)) if numbers else 1
            tick = ".0%" if spread >= 0.05 or largest >= 0.05 else ".1%"
        elif self.name in ("currency", "integer", "number") and largest >= 10_000:
            tick = "~s"
        else:
            tick = ",~g"
        suffix = "" if self.name == "percent" else self.suffix  # d3's % writes its own sign
        return {"tickformat": tick, "tickprefix": self.prefix, "ticksuffix": suffix}

    def csv_header(self, column: str) -> str:
        """A CSV header: the column's label, and the unit its raw values are in."""
        unit = self.spec.get("unit")
        if unit == "currency":
            unit = self.currency
        return f"{label(column)} ({unit})" if unit else label(column)


def canonical(value: Any) -> float | None:
    """The number every output shows and writes: 12 significant digits (parallel sums of
    doubles differ in the last bits from run to run; these digits never do)."""
    number = float(value)
    if _bad(number):
        return None
    return float(f"{number:.12g}")


def _bad(number: float) -> bool:
    return math.isnan(number) or math.isinf(number)


def column_formats(
    result: QueryResult, declared: dict[str, str], currency: str = "$"
) -> dict[str, ColumnFormat]:
    """The one format of each result column, with the decimals its values need. Of two
    columns with one name, the first is the one a name finds (``columns.index``)."""
    found: dict[str, ColumnFormat] = {}
    for index, (name, kind) in enumerate(zip(result.columns, result.types, strict=True)):
        if name in found:
            continue
        values = [row[index] for row in result.rows]
        found[name] = _resolve(declared.get(name), kind, values, currency)
    return found


def _resolve(declared: str | None, kind: str, values: list[Any], currency: str) -> ColumnFormat:
    if kind == "BOOLEAN":
        return ColumnFormat("boolean")
    if kind.endswith("]") or (not declared and not kind.startswith(NUMERIC_TYPES)):
        return ColumnFormat("text")
    name = declared or ("integer" if kind.startswith(_WHOLE_TYPES) else "number")
    numbers = [n for n in (_number_or_none(v) for v in values) if n is not None]
    return ColumnFormat(name, _decimals(name, numbers), currency)


def _number_or_none(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return None
    return canonical(value)


def _decimals(name: str, numbers: list[float]) -> int:
    """Counts are whole unless some hold fractional credit; small amounts show cents."""
    whole = all(n == int(n) for n in numbers)
    largest = max((abs(n) for n in numbers), default=0.0)
    default = int(FORMAT_SPEC[name]["decimals"])
    if name == "integer":
        return 0 if whole else 1
    if name == "number":
        return 0 if whole else (2 if largest < 10 else 1)
    if name == "currency":
        return 2 if (largest < 10 and not whole) else 0
    if name == "minutes":
        return 1 if (largest < 10 and not whole) else 0
    if name == "multiple" and largest >= 100:
        return 0
    return default


def json_value(value: Any) -> Any:
    """A JSON-ready version of a DuckDB value: numbers canonical, times as ISO text."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, float | Decimal):
        return canonical(value)
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value)


def plain_text(value: Any) -> str:
    """A text, date or time value as shown: identifiers read as words ('paid_social' is
    'Paid social'), times to the minute when they have no seconds."""
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="minutes" if value.second == 0 else "seconds")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return " → ".join(plain_text(item) for item in value)
    text = str(value)
    return label(text) if _IDENTIFIER.fullmatch(text) else text


def cell_text(value: Any, format_name: str | None, currency: str = "$") -> str:
    """The text of one value with a format named by the front matter (or none)."""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        number = canonical(value)
        if number is None:
            return ""
        if format_name in FORMAT_SPEC:
            return ColumnFormat(format_name, _decimals(format_name, [number]), currency).text(
                number
            )
        return ColumnFormat("number", 2).text(number)
    return ColumnFormat("text").text(value)


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
        "smb",
        "p75",
        "p90",
    )
)


def label(column: str) -> str:
    """A readable label for a column name: ``win_rate`` -> ``Win rate``, ``mql_rate`` ->
    ``MQL rate``, ``mqls`` -> ``MQLs``."""
    if not column.strip("_ "):
        return column
    words = column.replace("_", " ").strip().split(" ")
    shown = [_word(w) for w in words]
    text = " ".join(shown)
    return text[:1].upper() + text[1:]


def _word(word: str) -> str:
    if word in ACRONYMS:
        return word.upper()
    if word.endswith("s") and word[:-1] in ACRONYMS:
        return word[:-1].upper() + "s"
    return word


def rows_text(count: int) -> str:
    """'1 row', '2,402 rows'."""
    return f"{count:,} row" + ("" if count == 1 else "s")
