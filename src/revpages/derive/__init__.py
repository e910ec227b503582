"""The derive step: attribution tables computed once per load, from the contract tables.

After the exports are loaded (and before the shared models and the lock-down), the
conversions (opportunities created), their touch journeys and every model of METRICS.md
become tables that report queries read like any other: ``attribution_models``,
``attribution_credits``, ``markov_transitions``, ``markov_removal_effects`` and
``shapley_values``. They live in the loaded database, so a build whose exports and
options did not change reuses them; ``revpages check`` derives them from empty tables.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

import duckdb

from revpages.conform import quote
from revpages.contract import TABLES_BY_NAME, Column, Table
from revpages.derive import markov, rules, shapley
from revpages.derive.options import AttributionOptions

__all__ = ["DERIVED_TABLES", "AttributionOptions", "derive_tables", "sources_of"]


def _c(name: str, type_: str, doc: str) -> Column:
    return Column(name, type_, doc)


DERIVED_TABLES: tuple[Table, ...] = (
    Table("attribution_models", "one row per rule-based attribution model", ("model",), (
        _c("model", "VARCHAR", "Model id, e.g. linear or u_shaped."),
        _c("model_order", "INTEGER", "Position of the model in reports."),
        _c("label", "VARCHAR", "Model name with its preset or half-life."),
        _c("weights", "VARCHAR", "The model's weights, in words."),
    )),
    Table("attribution_credits", "one row per model, conversion and credited touch",
          ("model", "deal_id", "position"), (
        _c("model", "VARCHAR", "Model id (see attribution_models)."),
        _c("deal_id", "VARCHAR", "The conversion: the opportunity created."),
        _c("converted_at", "TIMESTAMP", "When the opportunity was created."),
        _c("touchpoint_id", "VARCHAR", "The credited touch (NULL when unattributed)."),
        _c("position", "INTEGER", "Position of the touch in the journey, from 1."),
        _c("touches", "INTEGER", "Touches in the journey (0 when unattributed)."),
        _c("channel", "VARCHAR", "Channel of the touch, or (unattributed)."),
        _c("weight", "DOUBLE", "The touch's weight; a conversion's weights sum to 1."),
        _c("conversions", "DECIMAL(18,9)", "Credit in conversions; sums to 1 per conversion."),
        _c("value", "DECIMAL(18,2)", "Credit of the amount; sums to the deal amount."),
    )),
    Table("markov_transitions", "one row per observed transition between states",
          ("from_state", "to_state"), (
        _c("from_state", "VARCHAR", "(start) or a channel."),
        _c("to_state", "VARCHAR", "A channel, (conversion) or (null)."),
        _c("transitions", "BIGINT", "Journeys' steps from from_state to to_state."),
        _c("probability", "DOUBLE", "Share of the steps out of from_state."),
    )),
    Table("markov_removal_effects", "one row per channel (and unattributed)", ("channel",), (
        _c("channel", "VARCHAR", "Channel, or (unattributed)."),
        _c("conversion_probability", "DOUBLE", "P(conversion) from start."),
        _c("conversion_probability_without", "DOUBLE", "P(conversion) with the channel removed."),
        _c("removal_effect", "DOUBLE", "1 - P(without) / P(conversion)."),
        _c("effect_share", "DOUBLE", "Removal effect / the sum of all removal effects."),
        _c("conversions", "DOUBLE", "Attributed conversions."),
        _c("value", "DOUBLE", "Attributed amount."),
    )),
    Table("shapley_values", "one row per channel (and unattributed)", ("channel",), (
        _c("channel", "VARCHAR", "Channel, or (unattributed)."),
        _c("conversions", "DOUBLE", "Shapley value in conversions."),
        _c("value", "DOUBLE", "Shapley value of the amount."),
        _c("channel_sets", "BIGINT", "Distinct channel sets of converting journeys with it."),
    )),
)

# The contract columns the derive step reads; a table missing from the data folder is
# read as empty, so the derived tables always exist and reports over them still plan.
_INPUTS = {
    "deals": ("deal_id", "lead_id", "created_at", "amount", "is_won"),
    "touchpoints": ("touchpoint_id", "lead_id", "touched_at", "channel", "kind"),
    "leads": ("lead_id", "created_at"),
}


def derive_tables(con: duckdb.DuckDBPyConnection, options: AttributionOptions) -> None:
    """Create (or replace) every derived table on ``con`` from its contract tables."""
    options.check()
    for table in DERIVED_TABLES:
        columns = ", ".join(f"{quote(c.name)} {c.type}" for c in table.columns)
        con.execute(f"CREATE OR REPLACE TABLE {quote(table.name)} ({columns})")
    with _inputs(con):
        rules.create_journeys(con, options)
        rules.create_credits(con, options)
        markov.create_tables(con)
        shapley.create_table(con)


def sources_of(names: Iterable[str]) -> set[str]:
    """``names`` plus the contract tables the derived tables among them are computed from:
    how fresh a report over a derived table is depends on those."""
    names = set(names)
    if names & {table.name for table in DERIVED_TABLES}:
        names |= set(_INPUTS)
    return names


@contextmanager
def _inputs(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """Temporary views ``_rp_<table>`` over the inputs, dropped with the scratch tables
    afterwards: the connection may go on to serve reports."""
    loaded = {row[0] for row in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main' "
        "AND database_name = current_database() AND NOT temporary").fetchall()}
    for name, columns in _INPUTS.items():
        # Our own constant names and types only; no text from the data.
        if name in loaded:
            body = f"SELECT {', '.join(quote(c) for c in columns)} FROM main.{quote(name)}"
        else:
            types = TABLES_BY_NAME[name].columns_by_name
            body = "SELECT " + ", ".join(f"NULL::{types[c].type} AS {quote(c)}"
                                         for c in columns) + " WHERE false"
        con.execute(f"CREATE OR REPLACE TEMP VIEW _rp_{name} AS {body}")
    try:
        yield
    finally:
        for scratch in ("_rp_journeys", "_rp_milestones", "_rp_models"):
            con.execute(f"DROP TABLE IF EXISTS temp.main.{scratch}")
        for name in _INPUTS:
            con.execute(f"DROP VIEW IF EXISTS temp.main._rp_{name}")
