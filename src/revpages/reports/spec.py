"""The front-matter keys of a query file, declared once.

Validation, the `revpages new` template and the documentation test all read
``FRONT_MATTER_KEYS``; adding a key here is the whole of declaring it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from revpages.reports import spec_values as v
from revpages.reports.spec_values import (
    Attention,
    Highlight,
    Interval,
    Pivot,
    Reference,
    SampleSize,
    SpecValueError,
)

__all__ = [
    "CHART_TYPES",
    "FRONT_MATTER_KEYS",
    "NUMBER_FORMATS",
    "Attention",
    "Highlight",
    "Interval",
    "Key",
    "Pivot",
    "Reference",
    "ReportSpec",
    "SampleSize",
    "SpecValueError",
    "named_columns",
]

_T = TypeVar("_T")

CHART_TYPES: tuple[str, ...] = (
    "kpi",
    "line",
    "bar",
    "horizontal_bar",
    "stacked_bar",
    "area",
    "scatter",
    "dumbbell",
    "heatmap",
    "funnel",
    "paths",
    "table",
)
NUMBER_FORMATS: tuple[str, ...] = (
    "percent",
    "currency",
    "integer",
    "number",
    "multiple",
    "days",
    "hours",
    "minutes",
)


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
        v.text,
        None,
        "Page title, also the name in the navigation.",
        "title: Win rate by competitor",
        required=True,
    ),
    Key(
        "description",
        v.text,
        "",
        "One or two sentences under the title: what the number means.",
        "description: Closed deals only, won / (won + lost).",
    ),
    Key(
        "question",
        v.text,
        "",
        "The question the report answers, in plain words; its section page shows it next "
        "to the headline number.",
        "question: Which channels' leads does sales turn away?",
    ),
    Key(
        "chart",
        v.choice(CHART_TYPES),
        "table",
        "How the result is drawn.",
        "chart: bar",
        choices=CHART_TYPES,
    ),
    Key(
        "x",
        v.column,
        None,
        "Column of the categories (or of the horizontal axis): stages, channels, months.",
        "x: month",
    ),
    Key(
        "y", v.columns, (), "Column, or list of columns, with the values to draw.", "y: [won, lost]"
    ),
    Key("color", v.column, None, "Column whose values become separate series.", "color: channel"),
    Key(
        "facet",
        v.column,
        None,
        "Column whose values each get a small chart of their own, on shared axes.",
        "facet: segment",
    ),
    Key(
        "label",
        v.column,
        None,
        "Column that names each point of a scatter chart.",
        "label: owner",
    ),
    Key(
        "format",
        v.formats(NUMBER_FORMATS),
        {},
        "Number format per column: " + ", ".join(NUMBER_FORMATS) + ".",
        "format: {win_rate: percent, amount: currency}",
    ),
    Key(
        "error",
        v.interval,
        None,
        "The two columns [low, high] around each value: an interval drawn as error bars.",
        "error: [wilson_low, wilson_high]",
    ),
    Key(
        "reference",
        v.references,
        (),
        "Lines and bands on the value axis (targets, averages, thresholds), each with a "
        "label; a value is a number or a column. A KPI tile's target names its column in y.",
        "reference: {value: 0.3, label: Target win rate}",
    ),
    Key(
        "highlight",
        v.highlight,
        None,
        "A true/false column: true rows are drawn in the emphasis colour, and the legend "
        "says what that means.",
        "highlight: {column: flagged, label: Tracking signal beyond ±4}",
    ),
    Key(
        "n",
        v.sample_size,
        None,
        "The sample-size column, shown on each bar or point; rows under min (30) are faint.",
        "n: closed_deals",
    ),
    Key(
        "pivot",
        v.pivot,
        None,
        "Show the table as a grid: one row per value of rows, one column per value of "
        "columns (a heatmap draws that grid).",
        "pivot: {rows: month, columns: channel, values: spend}",
    ),
    Key(
        "sparkline",
        v.sparklines,
        {},
        "KPI tiles: the column holding each tile's recent values (a list), drawn as a "
        "small line under the number.",
        "sparkline: {win_rate: win_rate_by_month}",
    ),
    Key(
        "headline",
        v.column,
        None,
        "Column whose value in the first row is the report's headline number on its section "
        "page (a KPI report's headline is its first tile).",
        "headline: win_rate",
    ),
    Key(
        "home",
        v.integer,
        None,
        "Show the report on the home page's tiles ([[tiles]]) at this position: a KPI "
        "report's tiles, any other report's headline.",
        "home: 10",
    ),
    Key(
        "attention",
        v.attention,
        None,
        "Rows that need someone's attention: where the true/false column 'when' is true, "
        "'say' (with {column} filled in as the table shows it) goes on the home page's "
        "Attention list ([[attention]]) with a link to the report.",
        "attention: {when: flagged, say: '{owner} over-forecasts by {bias}'}",
    ),
    Key(
        "per",
        v.per,
        None,
        "One page per value of a contract column (table.column), with an index page "
        "listing them; the query reads the value as the parameter named after the column.",
        "per: deal_competitors.competitor",
    ),
    Key(
        "params",
        v.params,
        (),
        "Views the reader switches between on the page: a selector per parameter, its "
        "values listed or those of a contract column (table.column) plus All. The query "
        "reads each as $<name> (NULL for All); 'period' lists calendar period presets "
        "instead, and moves $period_start and $period_end.",
        "params: {segment: deals.segment, period: [last_complete_quarter, quarter_to_date]}",
    ),
    Key(
        "sort",
        v.sort,
        None,
        "Column to order the table and chart by; '-' for descending.",
        "sort: -win_rate",
    ),
    Key(
        "order",
        v.integer,
        100,
        "Position of the page within its section (smaller first).",
        "order: 10",
    ),
    Key(
        "window",
        v.text,
        "",
        "Why the report's window differs from the site's period (a cohort that needs time "
        "to mature); shown with its dates under the title.",
        "window: Leads of the period; their stages are counted to the as-of date.",
    ),
    Key(
        "compare",
        v.compares,
        (),
        "Run the query again for the prior period and the same period last year, and "
        "show the change on KPI tiles and in the table.",
        "compare: [prior, last_year]",
    ),
    Key(
        "better",
        v.better,
        {},
        "Which way is good for a compared column (higher or lower): the colour of its change.",
        "better: {win_rate: higher, sales_cycle_days: lower}",
    ),
    Key(
        "glossary",
        v.terms,
        (),
        "Glossary terms the report shows (heading anchors of the "
        "glossary page); the page links to each definition.",
        "glossary: [win-rate]",
    ),
    Key(
        "personal_data",
        v.boolean,
        False,
        "Publish columns that look like personal data "
        "(e-mail, phone, people's names); they are left out otherwise.",
        "personal_data: true",
    ),
    Key(
        "internal_only",
        v.boolean,
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
        v.text,
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


def named_columns(spec: ReportSpec) -> list[tuple[str, str]]:
    """(key, column) for every result column the front matter names, in key order."""
    named = [(key, getattr(spec, key)) for key in ("x", "color", "facet", "label")]
    named.append(("sort", (spec.sort or "").lstrip("-")))
    named += [("y", c) for c in spec.y]
    named += [("format", c) for c in spec.format]
    if spec.error:
        named += [("error", spec.error.low), ("error", spec.error.high)]
    for reference in spec.reference:
        named += [("reference", c) for c in reference.columns()]
        named += [("reference", reference.y)] if reference.y else []
    if spec.highlight:
        named.append(("highlight", spec.highlight.column))
    if spec.n:
        named.append(("n", spec.n.column))
    if spec.pivot:
        named += [("pivot", c) for c in (spec.pivot.rows, spec.pivot.columns, spec.pivot.values)]
    for tile, trend in spec.sparkline.items():
        named += [("sparkline", tile), ("sparkline", trend)]
    named += [("better", c) for c in spec.better]
    named.append(("headline", spec.headline or ""))
    if spec.attention:
        named.append(("attention", spec.attention.when))
        named += [("attention", c) for c in spec.attention.placeholders]
    return [(key, c) for key, c in named if c]
