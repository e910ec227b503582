"""Views of a report (``params:``): the report run once per combination of its parameters'
values, each result written as a small JSON file next to the page, and the selectors that
switch between them without a server.

A view's values are bound by DuckDB like the calendar's (never pasted into SQL); "All" is
bound as NULL, and ``period`` moves the calendar's period instead of binding a parameter.
A view's file name depends on its values alone (a link sent today works tomorrow).
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any, cast

from revpages.errors import QueryFileError
from revpages.pages.markdown import escape
from revpages.reports.queryfile import QueryFile
from revpages.reports.spec_values import ALL, Param

# Between the values of a combination in the selectors' lookup: no export value holds it.
SEPARATOR = "\u001f"
VIEWS_FOLDER = ".views"  # <report>.views/<key>.json beside <report>.md


@dataclass(frozen=True)
class View:
    """One combination of a report's parameter values and its query."""

    key: str
    values: tuple[str, ...]  # each parameter's value, in params order (ALL for every value)
    query: QueryFile
    default: bool = False


@dataclass(frozen=True)
class Choices:
    """The values a reader may pick for each parameter of a report, and the default."""

    params: tuple[Param, ...]
    values: tuple[tuple[str, ...], ...]  # per parameter, in the order the selector lists
    defaults: tuple[str, ...]


def choices(query: QueryFile, found: Sequence[Sequence[str]], site_period: str) -> Choices:
    """``found``: for each parameter, its values (listed, or those of its column). "All"
    comes first and is the default, but for the period: the site's period, if listed."""
    values, defaults = [], []
    for param, listed in zip(query.spec.params, found, strict=True):
        if param.is_period:
            values.append(tuple(listed))
            defaults.append(site_period if site_period in listed else listed[0])
        else:
            values.append((ALL, *(v for v in listed if v != ALL)))
            defaults.append(ALL)
    return Choices(query.spec.params, tuple(values), tuple(defaults))


def view_key(values: Sequence[str]) -> str:
    """12 hex digits of the SHA-256 of the values: stable, and the same for any report."""
    text = json.dumps(list(values), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def views(query: QueryFile, found: Choices, limit: int) -> list[View]:
    """Every combination of values, the default first; more than ``limit`` is an error."""
    count = math.prod(len(values) for values in found.values)
    if count > limit:
        raise _params_problem(
            query,
            f"'params' makes {count:,} views (every combination of its values), more than "
            f"limit_views ({limit:,}).",
            "RP317",
            "offer fewer values (or fewer parameters), or raise limit_views in mkdocs.yml.",
        )
    combinations = [found.defaults] + [
        c for c in itertools.product(*found.values) if tuple(c) != found.defaults
    ]
    return [_view(query, found.params, tuple(c), i == 0) for i, c in enumerate(combinations)]


def _view(
    query: QueryFile, params: Sequence[Param], values: tuple[str, ...], default: bool
) -> View:
    bindings = tuple(
        (p.name, None if v == ALL else v)
        for p, v in zip(params, values, strict=True)
        if not p.is_period
    )
    period = next((v for p, v in zip(params, values, strict=True) if p.is_period), None)
    return View(
        view_key(values),
        values,
        replace(query, bindings=bindings, period=period),
        default,
    )


def site_params(query: QueryFile, declared: Sequence[Param]) -> QueryFile:
    """A report saying ``params: site`` with the site-wide parameters of mkdocs.yml."""
    if not declared:
        raise _params_problem(
            query,
            "'params: site' takes the site-wide parameters, but mkdocs.yml declares none.",
            "RP318",
            "declare them under the plugin's params option (e.g. params: {segment: "
            "deals.segment}), or list the report's own.",
        )
    # ReportSpec is a dataclass made from the key table: mypy cannot see it.
    return replace(query, spec=replace(cast(Any, query.spec), params=tuple(declared)))


def _params_problem(query: QueryFile, message: str, code: str, hint: str) -> QueryFileError:
    """A problem of the report's views, located at its ``params`` key."""
    line, column = query.key_position("params")
    return QueryFileError(message, code=code, path=query.path, line=line, column=column, hint=hint)


def view_folder(report_id: str) -> str:
    """The site-root-relative folder of a report's views, with its trailing slash."""
    return f"{report_id}{VIEWS_FOLDER}/"


def period_label(preset: str) -> str:
    """'quarter_to_date' -> 'Quarter to date'."""
    return preset.replace("_", " ").capitalize()


def selectors_html(report_id: str, found: Choices, all_views: Sequence[View]) -> str:
    """The page's form: a labelled select per parameter, and what revpages.js needs to
    fetch the view of a choice (the views' folder, each combination's key)."""
    lookup = {
        "folder": view_folder(report_id),
        "keys": {SEPARATOR.join(v.values): v.key for v in all_views},
    }
    fields = []
    for param, values, default in zip(found.params, found.values, found.defaults, strict=True):
        label = "Period" if param.is_period else param.name.replace("_", " ").capitalize()
        options = "".join(
            f'<option value="{escape(value)}"{" selected" if value == default else ""}>'
            f"{escape(period_label(value) if param.is_period else value)}</option>"
            for value in values
        )
        fields.append(
            f'<label class="revpages-param"><span>{escape(label)}</span>'
            f'<select name="{escape(param.name)}" data-default="{escape(default)}"'
            f"{' data-site' if param.site else ''}>"
            f"{options}</select></label>"
        )
    data = escape(json.dumps(lookup, sort_keys=True, ensure_ascii=False))
    return (
        f'<form class="revpages-params" data-views="{data}" '
        'aria-label="Choose what the report shows">'
        + "".join(fields)
        + '<p class="revpages-params__note" role="status" aria-live="polite"></p></form>\n'
    )


__all__ = ["ALL", "Choices", "View", "choices", "selectors_html", "view_folder", "views"]
