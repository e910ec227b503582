"""The front-matter keys of a query file, declared once.

Validation, the `revpages new` template and the documentation test all read
``FRONT_MATTER_KEYS``; adding a key here is the whole of declaring it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

_SURROGATE = re.compile("[\ud800-\udfff]")
_ANCHOR = re.compile(r"[\w-]+")
_T = TypeVar("_T")

COMPARES: tuple[str, ...] = ("prior", "last_year")  # as revpages.derive.calendar.COMPARES
BETTER: tuple[str, ...] = ("higher", "lower")
CHART_TYPES: tuple[str, ...] = ("kpi", "line", "bar", "stacked_bar", "area", "funnel", "table")
NUMBER_FORMATS: tuple[str, ...] = ("percent", "currency", "integer", "number", "days")


class SpecValueError(ValueError):
    """A front-matter value of the wrong shape; the message says what was expected."""


def _valid_unicode(text: str) -> str:
    """Pages are UTF-8: a lone surrogate (YAML's "\\uD800" escape) cannot be written."""
    if _SURROGATE.search(text):
        raise SpecValueError(
            "the text holds a lone surrogate escape (\\uD800-\\uDFFF), which is not a character"
        )
    return text


def _text(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise SpecValueError("expected a non-empty text")
    return _valid_unicode(value.strip())


def _column(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise SpecValueError("expected a column name")
    return _valid_unicode(value.strip())


def _columns(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return (_column(value),)
    if isinstance(value, list) and value:
        return tuple(_column(item) for item in value)
    raise SpecValueError("expected a column name or a list of column names")


def _choice(choices: tuple[str, ...]) -> Callable[[Any], str]:
    def check(value: Any) -> str:
        if value not in choices:
            raise SpecValueError(f"expected one of {', '.join(choices)}")
        return value

    return check


def _formats(value: Any) -> dict[str, str]:
    if not isinstance(value, dict):
        raise SpecValueError("expected a mapping of column to format, e.g. {win_rate: percent}")
    for column, name in value.items():
        if name not in NUMBER_FORMATS:
            raise SpecValueError(
                f"format '{name}' of column '{column}' is not one of {', '.join(NUMBER_FORMATS)}"
            )
    return {_valid_unicode(str(column)): str(name) for column, name in value.items()}


def _sort(value: Any) -> str:
    column = _column(value)
    if column.lstrip("-") == "":
        raise SpecValueError("expected a column name, prefixed with '-' for descending")
    return column


def _terms(value: Any) -> tuple[str, ...]:
    items = [value] if isinstance(value, str) else value
    if (
        not isinstance(items, list)
        or not items
        or not all(isinstance(item, str) and _ANCHOR.fullmatch(item) for item in items)
    ):
        raise SpecValueError("expected a glossary anchor or a list of them, e.g. [win-rate]")
    return tuple(items)


def _compares(value: Any) -> tuple[str, ...]:
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not items or any(i not in COMPARES for i in items):
        raise SpecValueError(f"expected a list of {' and '.join(COMPARES)}")
    return tuple(dict.fromkeys(items))


def _better(value: Any) -> dict[str, str]:
    if not isinstance(value, dict) or not value:
        raise SpecValueError("expected a mapping of column to higher or lower")
    for column, direction in value.items():
        if direction not in BETTER:
            raise SpecValueError(
                f"column '{column}' is better '{direction}': write higher or lower"
            )
    return {_valid_unicode(str(column)): str(direction) for column, direction in value.items()}


def _integer(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise SpecValueError("expected a whole number")
    return value


def _boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise SpecValueError("expected true or false")
    return value


@dataclass(frozen=True)
class Key:
    """One front-matter key: its name, how it is checked, its default and its doc line."""

    name: str
    check: Callable[[Any], Any]
    default: Any
    help: str
    example: str
    required: bool = False
    choices: tuple[str, ...] = ()  # the allowed values, when there is a fixed set


FRONT_MATTER_KEYS: tuple[Key, ...] = (
    Key(
        "title",
        _text,
        None,
        "Page title, also the name in the navigation.",
        "title: Win rate by competitor",
        required=True,
    ),
    Key(
        "description",
        _text,
        "",
        "One or two sentences under the title: what the number means.",
        "description: Closed deals only, won / (won + lost).",
    ),
    Key(
        "chart",
        _choice(CHART_TYPES),
        "table",
        "How the result is drawn.",
        "chart: bar",
        choices=CHART_TYPES,
    ),
    Key(
        "x",
        _column,
        None,
        "Column on the horizontal axis (the stage column of a funnel).",
        "x: month",
    ),
    Key(
        "y", _columns, (), "Column, or list of columns, with the values to draw.", "y: [won, lost]"
    ),
    Key("color", _column, None, "Column whose values become separate series.", "color: channel"),
    Key(
        "format",
        _formats,
        {},
        "Number format per column: " + ", ".join(NUMBER_FORMATS) + ".",
        "format: {win_rate: percent, amount: currency}",
    ),
    Key(
        "sort",
        _sort,
        None,
        "Column to order the table and chart by; '-' for descending.",
        "sort: -win_rate",
    ),
    Key(
        "order",
        _integer,
        100,
        "Position of the page within its section (smaller first).",
        "order: 10",
    ),
    Key(
        "window",
        _text,
        "",
        "Why the report's window differs from the site's period (a cohort that needs time "
        "to mature); shown with its dates under the title.",
        "window: Leads of the period; their stages are counted to the as-of date.",
    ),
    Key(
        "compare",
        _compares,
        (),
        "Run the query again for the prior period and the same period last year, and "
        "show the change on KPI tiles and in the table.",
        "compare: [prior, last_year]",
    ),
    Key(
        "better",
        _better,
        {},
        "Which way is good for a compared column (higher or lower): the colour of its change.",
        "better: {win_rate: higher, sales_cycle_days: lower}",
    ),
    Key(
        "glossary",
        _terms,
        (),
        "Glossary terms the report shows (heading anchors of the "
        "glossary page); the page links to each definition.",
        "glossary: [win-rate]",
    ),
    Key(
        "personal_data",
        _boolean,
        False,
        "Publish columns that look like personal data "
        "(e-mail, phone, people's names); they are left out otherwise.",
        "personal_data: true",
    ),
    Key(
        "internal_only",
        _boolean,
        False,
        "Leave this report out of sites built for 'audience: wide'.",
        "internal_only: true",
    ),
)

KEYS_BY_NAME: dict[str, Key] = {key.name: key for key in FRONT_MATTER_KEYS}

# A shared model (queries/_models/) has no page: no title, chart or table options.
MODEL_KEYS: tuple[Key, ...] = (
    Key(
        "description",
        _text,
        "",
        "What one row of the model is and how it is computed.",
        "description: One row per opportunity and touch before it, in journey order.",
        required=True,
    ),
)


def _with_keys(keys: tuple[Key, ...]) -> Callable[[type[_T]], type[_T]]:
    """A frozen dataclass with one keyword field per key, defaulting to the key's default."""

    def build(cls: type[_T]) -> type[_T]:
        cls.__annotations__ = {key.name: Any for key in keys}
        for key in keys:
            default = key.default
            if isinstance(default, dict | list | set):
                setattr(cls, key.name, field(default_factory=lambda d=default: type(d)(d)))
            elif not key.required:
                setattr(cls, key.name, default)
        return dataclass(frozen=True, kw_only=True)(cls)

    return build


@_with_keys(FRONT_MATTER_KEYS)
class ReportSpec:
    """The validated front matter of one query file: one attribute per key of
    ``FRONT_MATTER_KEYS``, which is where keys are declared (this class follows from it)."""

    if TYPE_CHECKING:  # the attributes come from the key table, typed by its checks

        def __init__(self, **values: Any) -> None: ...

        def __getattr__(self, name: str) -> Any: ...
