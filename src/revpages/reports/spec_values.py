"""The shapes of front-matter values, and the checks that turn YAML into them.

Each check takes the value YAML read and returns a frozen value, or raises
``SpecValueError`` saying what was expected (and, for a misspelt word, the nearest
valid one). The judgement keys (``error``, ``reference``, ``highlight``, ``n``) and
the layout keys (``pivot``, ``facet``) live here beside the simple ones.
"""

from __future__ import annotations

import difflib
import re
import string
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from revpages.errors import did_you_mean

_SURROGATE = re.compile("[\ud800-\udfff]")
_ANCHOR = re.compile(r"[\w-]+")
SMALL_SAMPLE = 30  # closed deals, MQLs...: below this, a rate is drawn faint (METRICS.md)
COMPARES: tuple[str, ...] = ("prior", "last_year")  # as revpages.derive.calendar.COMPARES
BETTER: tuple[str, ...] = ("higher", "lower")


class SpecValueError(ValueError):
    """A front-matter value of the wrong shape; the message says what was expected, the hint
    (when there is one) what was probably meant."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.hint = hint


@dataclass(frozen=True)
class Interval:
    """``error:`` the columns holding the low and high end around each value."""

    low: str
    high: str
    label: str = ""  # what the interval is, for the legend ("95 % Wilson interval")


@dataclass(frozen=True)
class Reference:
    """One ``reference:`` line (``value``) or band (``low`` to ``high``) on the value axis.
    Each end is a number or the name of a result column."""

    label: str
    value: float | str | None = None
    low: float | str | None = None
    high: float | str | None = None
    y: str | None = None  # the value column it belongs to (a KPI tile's target)
    axis: str = ""  # scatter charts: "x" or "y"; other charts draw on their value axis
    better: str | None = None  # "higher" or "lower": whether a value above it is good

    @property
    def is_band(self) -> bool:
        return self.value is None

    def columns(self) -> list[str]:
        return [v for v in (self.value, self.low, self.high) if isinstance(v, str)]


@dataclass(frozen=True)
class Highlight:
    """``highlight:`` a boolean column; true rows are drawn in the emphasis colour."""

    column: str
    label: str


@dataclass(frozen=True)
class SampleSize:
    """``n:`` the sample-size column; rows with fewer than ``min`` are drawn faint."""

    column: str
    min: int = SMALL_SAMPLE


@dataclass(frozen=True)
class Pivot:
    """``pivot:`` one row per value of ``rows``, one column per value of ``columns``."""

    rows: str
    columns: str
    values: str


@dataclass(frozen=True)
class Per:
    """``per:`` one page per value of a contract column; the value is bound as
    ``$<column>``."""

    table: str
    column: str

    @property
    def parameter(self) -> str:
        return self.column


@dataclass(frozen=True)
class Param:
    """One ``params:`` entry: a selector on the page, one view per value. ``values`` are
    listed, or ``source`` (table.column) gives the distinct values of a contract column.
    The parameter ``period`` picks the calendar's period preset instead of binding
    ``$period``; any other is bound as ``$<name>``, NULL for "All"."""

    name: str
    values: tuple[str, ...] = ()
    source: Per | None = None
    sql: str = ""  # a SELECT whose first column gives the values (run like a report)
    site: bool = False  # declared in mkdocs.yml: the choice follows the reader

    @property
    def is_period(self) -> bool:
        return self.name == PERIOD_PARAM


PERIOD_PARAM = "period"
SITE = "site"  # params: site -> the site-wide parameters of mkdocs.yml
ALL = "All"  # the view of every value: its parameter is bound as NULL


@dataclass(frozen=True)
class Attention:
    """``attention:`` rows where ``when`` is true go on the site's Attention list, each said
    as ``say`` with its ``{column}`` placeholders filled in."""

    when: str
    say: str
    placeholders: tuple[str, ...]


def valid_unicode(text: str) -> str:
    """Pages are UTF-8: a lone surrogate (YAML's "\\uD800" escape) cannot be written."""
    if _SURROGATE.search(text):
        raise SpecValueError(
            "the text holds a lone surrogate escape (\\uD800-\\uDFFF), which is not a character"
        )
    return text


def text(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise SpecValueError("expected a non-empty text")
    return valid_unicode(value.strip())


def column(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise SpecValueError("expected a column name")
    return valid_unicode(value.strip())


def columns(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return (column(value),)
    if isinstance(value, list) and value:
        return tuple(column(item) for item in value)
    raise SpecValueError("expected a column name or a list of column names")


def choice(choices: tuple[str, ...]) -> Callable[[Any], str]:
    def check(value: Any) -> str:
        if value not in choices:
            raise SpecValueError(f"expected one of {', '.join(choices)}", _misspelt(value, choices))
        return value

    return check


def _misspelt(value: Any, choices: tuple[str, ...]) -> str | None:
    """ "Did you mean 'horizontal_bar'?" for a word close to one of a few choices (closer than
    did_you_mean asks of a column name: 'pie' is not a misspelt 'kpi')."""
    if not isinstance(value, str):
        return None
    found = difflib.get_close_matches(value, choices, n=1, cutoff=0.75)
    return f"Did you mean '{found[0]}'?" if found else None


def formats(names: tuple[str, ...]) -> Callable[[Any], dict[str, str]]:
    def check(value: Any) -> dict[str, str]:
        if not isinstance(value, dict):
            raise SpecValueError("expected a mapping of column to format, e.g. {win_rate: percent}")
        for name, kind in value.items():
            if kind not in names:
                raise SpecValueError(
                    f"format '{kind}' of column '{name}' is not one of {', '.join(names)}",
                    did_you_mean(str(kind), names),
                )
        return {valid_unicode(str(name)): str(kind) for name, kind in value.items()}

    return check


def sort(value: Any) -> str:
    name = column(value)
    if name.lstrip("-") == "":
        raise SpecValueError("expected a column name, prefixed with '-' for descending")
    return name


def terms(value: Any) -> tuple[str, ...]:
    items = [value] if isinstance(value, str) else value
    if (
        not isinstance(items, list)
        or not items
        or not all(isinstance(item, str) and _ANCHOR.fullmatch(item) for item in items)
    ):
        raise SpecValueError("expected a glossary anchor or a list of them, e.g. [win-rate]")
    return tuple(items)


def integer(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise SpecValueError("expected a whole number")
    return value


def compares(value: Any) -> tuple[str, ...]:
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not items or any(i not in COMPARES for i in items):
        raise SpecValueError(f"expected a list of {' and '.join(COMPARES)}")
    return tuple(dict.fromkeys(items))


def better(value: Any) -> dict[str, str]:
    if not isinstance(value, dict) or not value:
        raise SpecValueError("expected a mapping of column to higher or lower")
    for name, direction in value.items():
        if direction not in BETTER:
            raise SpecValueError(
                f"column '{name}' is better '{direction}': write higher or lower",
                did_you_mean(str(direction), BETTER),
            )
    return {valid_unicode(str(name)): str(direction) for name, direction in value.items()}


def boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise SpecValueError("expected true or false")
    return value


def _fields(value: dict, allowed: tuple[str, ...], what: str) -> None:
    """Refuse a field the mapping does not know, with the nearest known one as the hint."""
    for name in value:
        if name not in allowed:
            raise SpecValueError(
                f"{what} has no field '{name}' (fields: {', '.join(allowed)})",
                did_you_mean(str(name), allowed),
            )


def _number_or_column(value: Any, what: str) -> float | str:
    if isinstance(value, bool) or value is None:
        raise SpecValueError(f"{what} is a number or a column name")
    if isinstance(value, int | float):
        return float(value)
    return column(value)


def interval(value: Any) -> Interval:
    if isinstance(value, list) and len(value) == 2:
        return Interval(column(value[0]), column(value[1]))
    if isinstance(value, dict):
        _fields(value, ("low", "high", "label"), "error")
        if "low" not in value or "high" not in value:
            raise SpecValueError("error needs 'low' and 'high' columns")
        label = text(value["label"]) if "label" in value else ""
        return Interval(column(value["low"]), column(value["high"]), label)
    raise SpecValueError("expected [low, high]: the two columns around each value")


_REFERENCE_FIELDS = ("value", "from", "to", "label", "y", "axis", "better")


def references(value: Any) -> tuple[Reference, ...]:
    items = value if isinstance(value, list) else [value]
    if not items or not all(isinstance(item, dict) for item in items):
        raise SpecValueError(
            "expected a line {value: 0.3, label: Target} or a band "
            "{from: -0.1, to: 0.1, label: Tolerance}, or a list of them"
        )
    return tuple(_reference(item) for item in items)


def _reference(item: dict) -> Reference:
    _fields(item, _REFERENCE_FIELDS, "a reference")
    if "label" not in item:
        raise SpecValueError("every reference needs a label saying what it marks")
    has_value, has_band = "value" in item, "from" in item or "to" in item
    if has_value == has_band or (has_band and not ("from" in item and "to" in item)):
        raise SpecValueError("a reference is either a line (value) or a band (from and to)")
    axis = item.get("axis", "")
    if axis not in ("", "x", "y"):
        raise SpecValueError("a reference's axis is x or y", did_you_mean(str(axis), "xy"))
    better = item.get("better")
    if better is not None and better not in ("higher", "lower"):
        raise SpecValueError(
            "a reference's 'better' is higher or lower",
            did_you_mean(str(better), ("higher", "lower")),
        )
    return Reference(
        label=text(item["label"]),
        value=_number_or_column(item["value"], "a reference value") if has_value else None,
        low=_number_or_column(item["from"], "'from'") if has_band else None,
        high=_number_or_column(item["to"], "'to'") if has_band else None,
        y=column(item["y"]) if "y" in item else None,
        axis=axis,
        better=better,
    )


def highlight(value: Any) -> Highlight:
    if isinstance(value, str):
        name = column(value)
        return Highlight(name, name.replace("_", " ").strip().capitalize())
    if isinstance(value, dict):
        _fields(value, ("column", "label"), "highlight")
        if "column" not in value or "label" not in value:
            raise SpecValueError("highlight needs a column and a label saying what it means")
        return Highlight(column(value["column"]), text(value["label"]))
    raise SpecValueError(
        "expected a boolean column, or {column: flagged, label: what the emphasis means}"
    )


def sample_size(value: Any) -> SampleSize:
    if isinstance(value, str):
        return SampleSize(column(value))
    if isinstance(value, dict):
        _fields(value, ("column", "min"), "n")
        if "column" not in value:
            raise SpecValueError("n needs the column holding the sample size")
        smallest = integer(value.get("min", SMALL_SAMPLE))
        if smallest < 1:
            raise SpecValueError("n's min is a whole number of 1 or more")
        return SampleSize(column(value["column"]), smallest)
    raise SpecValueError("expected the sample-size column, or {column: deals, min: 30}")


def pivot(value: Any) -> Pivot:
    if not isinstance(value, dict):
        raise SpecValueError("expected {rows: month, columns: channel, values: spend}")
    _fields(value, ("rows", "columns", "values"), "pivot")
    missing = [name for name in ("rows", "columns", "values") if name not in value]
    if missing:
        raise SpecValueError(f"pivot needs {', '.join(missing)}")
    found = Pivot(column(value["rows"]), column(value["columns"]), column(value["values"]))
    if len({found.rows, found.columns, found.values}) < 3:
        raise SpecValueError("pivot's rows, columns and values are three different columns")
    return found


def sparklines(value: Any) -> dict[str, str]:
    if not isinstance(value, dict) or not value:
        raise SpecValueError(
            "expected a mapping of tile column to a column holding its recent values, "
            "e.g. {win_rate: win_rate_by_month}"
        )
    return {column(str(tile)): column(trend) for tile, trend in value.items()}


def attention(value: Any) -> Attention:
    if not isinstance(value, dict):
        raise SpecValueError(
            "expected {when: flagged, say: '{owner} over-forecasts by {bias}'}: a true/false "
            "column and the sentence for each true row"
        )
    _fields(value, ("when", "say"), "attention")
    if "when" not in value or "say" not in value:
        raise SpecValueError("attention needs 'when' (a true/false column) and 'say' (a sentence)")
    say = text(value["say"])
    try:
        names = [name for _, name, _, _ in string.Formatter().parse(say) if name is not None]
    except ValueError as error:
        raise SpecValueError(
            f"'say' is not a sentence with {{column}} placeholders: {error}",
            "write a column name in braces, e.g. '{owner}'; double a literal brace: '{{'.",
        ) from None
    for name in names:
        if not name or not name.isidentifier():
            raise SpecValueError(
                f"'say' has the placeholder '{{{name}}}'; a placeholder is a column name",
                "write e.g. '{owner} responds in {median_hours}'.",
            )
    return Attention(column(value["when"]), say, tuple(dict.fromkeys(names)))


def per(value: Any) -> Per:
    from revpages.contract import TABLES_BY_NAME  # the contract: plain data, no cycle

    if not isinstance(value, str) or value.count(".") != 1:
        raise SpecValueError(
            "expected table.column of the data contract, e.g. deal_competitors.competitor"
        )
    table, name = (part.strip() for part in value.split("."))
    if table not in TABLES_BY_NAME:
        raise SpecValueError(
            f"'{table}' is not a table of the data contract", did_you_mean(table, TABLES_BY_NAME)
        )
    columns = TABLES_BY_NAME[table].column_names
    if name not in columns:
        raise SpecValueError(
            f"the table '{table}' has no column '{name}'", did_you_mean(name, columns)
        )
    return Per(table, name)


def params(value: Any) -> tuple[Param, ...]:
    """``params: {segment: deals.segment, period: [last_complete_quarter, quarter_to_date]}``;
    a parameter's values may also be a SELECT over the contract (its first column)."""
    from revpages.derive.calendar import PERIODS  # plain data, no cycle

    if value == SITE:
        return (SITE_PARAMS,)
    if not isinstance(value, dict) or not value:
        raise SpecValueError(
            "expected 'site', or a mapping of parameter names to their values (a list, "
            "table.column, or a SELECT)"
        )
    found = []
    for name, values in value.items():
        if not isinstance(name, str) or not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
            raise SpecValueError(
                f"'{name}' is not a parameter name: lower-case letters, digits and _"
            )
        if isinstance(values, str) and name != PERIOD_PARAM:
            if re.match(r"\s*(select|with)\b", values, re.IGNORECASE):
                found.append(Param(name, sql=values))
            else:
                found.append(Param(name, source=per(values)))
            continue
        if not isinstance(values, list) or not values:
            raise SpecValueError(f"'{name}': expected a list of values, table.column, or a SELECT")
        texts = tuple(str(v) for v in values)
        if name == PERIOD_PARAM:
            for preset in texts:
                if preset not in PERIODS:
                    raise SpecValueError(
                        f"'{preset}' is not a period preset", did_you_mean(preset, PERIODS)
                    )
        if len(set(texts)) != len(texts):
            raise SpecValueError(f"'{name}' lists a value twice")
        found.append(Param(name, values=texts))
    return tuple(found)


# ``params: site`` until the query is read with the site's settings (``resolve_site_params``).
SITE_PARAMS = Param(SITE, site=True)
