"""First-order Markov attribution: transition counts in SQL, absorption solved exactly.

Every journey is start -> c1 -> ... -> ck -> conversion or null. Converting journeys
are those of the rule-based models (``_rp_journeys``); journeys without conversion are
every touch of a lead that has no opportunity. DuckDB counts the transitions; the
absorption probabilities B = (I - Q)^-1 R are a small dense linear system (one state
per channel), which numpy solves exactly and deterministically, where SQL has no
linear algebra and a simulation would be neither.
"""

from __future__ import annotations

from typing import Any

import duckdb
import numpy as np

from revpages.derive.rules import UNATTRIBUTED
from revpages.sql import one_row

START, CONVERSION, NULL = "(start)", "(conversion)", "(null)"

TRANSITIONS_SQL = """
INSERT INTO markov_transitions
WITH lost AS (
    SELECT
        lag(t.channel, 1, '(start)') OVER journey AS from_state,
        t.channel AS to_state,
        lead(t.channel) OVER journey IS NULL AS is_last,
        false AS converted
    FROM _rp_touchpoints t
    WHERE NOT EXISTS (SELECT 1 FROM _rp_deals d WHERE d.lead_id = t.lead_id)
    WINDOW journey AS (PARTITION BY t.lead_id
                       -- the journey order of rules.JOURNEYS_SQL
                       ORDER BY t.touched_at, t.kind NULLS LAST, t.channel, t.touchpoint_id)
),
steps AS (
    SELECT previous_state, channel, position = touches, true FROM _rp_journeys
    UNION ALL
    SELECT * FROM lost
),
counted AS MATERIALIZED (
    SELECT previous_state AS from_state, channel AS to_state, is_last, converted,
        count(*) AS transitions
    FROM steps AS s(previous_state, channel, is_last, converted)
    GROUP BY ALL
),
edges AS (
    SELECT from_state, to_state, sum(transitions) AS transitions FROM counted GROUP BY ALL
    UNION ALL
    -- The last touch of each journey leads to its end: conversion or null.
    SELECT to_state, CASE WHEN converted THEN $conversion ELSE $null END, sum(transitions)
    FROM counted WHERE is_last GROUP BY ALL
)
SELECT from_state, to_state, transitions::BIGINT,
    transitions / sum(transitions) OVER (PARTITION BY from_state) AS probability
FROM edges
"""

# Conversions with touches share out by removal effect; those without stay unattributed.
TOTALS_SQL = """
SELECT count(*) FILTER (WHERE touched), (sum(amount) FILTER (WHERE touched))::DOUBLE,
    count(*) FILTER (WHERE NOT touched), (sum(amount) FILTER (WHERE NOT touched))::DOUBLE
FROM (SELECT d.amount,
        EXISTS (SELECT 1 FROM _rp_milestones ms WHERE ms.deal_id = d.deal_id) AS touched
      FROM _rp_deals d)
"""


def create_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Fill ``markov_transitions`` and ``markov_removal_effects`` (created empty)."""
    con.execute(TRANSITIONS_SQL, {"conversion": CONVERSION, "null": NULL})
    edges = con.execute(
        "SELECT from_state, to_state, transitions FROM markov_transitions "
        "ORDER BY from_state, to_state"
    ).fetchall()
    conversions, value, unattributed, unattributed_value = one_row(
        con.execute(TOTALS_SQL).fetchone()
    )
    rows = removal_effects(edges, conversions=conversions, value=value or 0.0)
    if unattributed:
        rows.append((UNATTRIBUTED, None, None, None, None, float(unattributed), unattributed_value))
    if rows:  # none without touches and opportunities, e.g. for `revpages check`
        con.executemany(
            "INSERT INTO markov_removal_effects VALUES ($1, $2, $3, $4, $5, $6, $7)", rows
        )


def removal_effects(
    edges: list[tuple[str, str, int]], *, conversions: int, value: float
) -> list[tuple[Any, ...]]:
    """(channel, P(conv), P(conv) without it, removal effect, its share of all removal
    effects, attributed conversions, attributed value) per channel, in name order."""
    channels = sorted({s for edge in edges for s in edge[:2]} - {START, CONVERSION, NULL})
    if not channels:
        return []
    q, r = _matrices(edges, channels)
    base = _conversion_probability(q, r)
    without = [_conversion_probability(*_removed(q, r, i + 1)) for i in range(len(channels))]
    effects = [1 - p / base if base > 0 else None for p in without]
    total = sum(e for e in effects if e is not None)
    rows = []
    for channel, p, effect in zip(channels, without, effects, strict=True):
        share = effect / total if effect is not None and total > 0 else None
        rows.append(
            (
                channel,
                base,
                p,
                effect,
                share,
                conversions * share if share is not None else 0.0,
                value * share if share is not None else 0.0,
            )
        )
    return rows


def _matrices(
    edges: list[tuple[str, str, int]], channels: list[str]
) -> tuple[np.ndarray, np.ndarray]:
    """Q (transient to transient: start, then the channels) and R (to conversion, null),
    as transition probabilities from the counts."""
    index = {START: 0, **{c: i + 1 for i, c in enumerate(channels)}}
    counts = np.zeros((len(index), len(index) + 2))
    for source, target, transitions in edges:
        column = {CONVERSION: len(index), NULL: len(index) + 1}.get(target)
        counts[index[source], index[target] if column is None else column] += transitions
    totals = counts.sum(axis=1, keepdims=True)
    probabilities = np.divide(counts, totals, out=np.zeros_like(counts), where=totals > 0)
    return probabilities[:, : len(index)], probabilities[:, len(index) :]


def _removed(q: np.ndarray, r: np.ndarray, state: int) -> tuple[np.ndarray, np.ndarray]:
    """Q and R with every transition into ``state`` sent to null instead."""
    q, r = q.copy(), r.copy()
    r[:, 1] += q[:, state]
    q[:, state] = 0.0
    return q, r


def _conversion_probability(q: np.ndarray, r: np.ndarray) -> float:
    """Absorption into conversion from start: row 0 of B = (I - Q)^-1 R."""
    absorbed = np.linalg.solve(np.eye(len(q)) - q, r)
    return float(absorbed[0, 0])
