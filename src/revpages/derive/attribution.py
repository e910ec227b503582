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

from revpages.contract import DERIVED_TABLES, TABLES_BY_NAME
from revpages.derive import markov, rules, shapley
from revpages.derive.attribution_models import AttributionOptions
from revpages.sql import quote

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
    loaded = {
        row[0]
        for row in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main' "
            "AND database_name = current_database() AND NOT temporary"
        ).fetchall()
    }
    for name, columns in _INPUTS.items():
        # Our own constant names and types only; no text from the data.
        if name in loaded:
            body = f"SELECT {', '.join(quote(c) for c in columns)} FROM main.{quote(name)}"
        else:
            types = TABLES_BY_NAME[name].columns_by_name
            body = (
                "SELECT "
                + ", ".join(f"NULL::{types[c].type} AS {quote(c)}" for c in columns)
                + " WHERE false"
            )
        con.execute(f"CREATE OR REPLACE TEMP VIEW _rp_{name} AS {body}")
    try:
        yield
    finally:
        for scratch in ("_rp_journeys", "_rp_milestones", "_rp_models"):
            con.execute(f"DROP TABLE IF EXISTS temp.main.{scratch}")
        for name in _INPUTS:
            con.execute(f"DROP VIEW IF EXISTS temp.main._rp_{name}")
