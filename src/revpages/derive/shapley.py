"""Shapley values in the simplified form for an additive coalition worth.

Each distinct set S of channels seen in converting journeys shares its conversions and
value R(S) equally among its channels: phi_j = sum over S containing j of R(S) / |S|. The
cost grows with the number of distinct sets, not 2^channels, so it stays SQL. It ignores
the order of the touches and repeated channels.
"""

from __future__ import annotations

import duckdb

from revpages.derive.rules import UNATTRIBUTED

SHAPLEY_SQL = """
INSERT INTO shapley_values
WITH journeys AS (
    SELECT deal_id, any_value(amount) AS amount, list_sort(list_distinct(list(channel)))
        AS channels
    FROM _rp_journeys
    GROUP BY deal_id
),
coalitions AS (
    -- R(S): integers and decimals, exact in any order of addition.
    SELECT channels, count(*) AS conversions, sum(amount) AS value
    FROM journeys
    GROUP BY channels
),
shares AS (
    SELECT unnest(channels) AS channel, channels, len(channels) AS size, conversions, value
    FROM coalitions
)
-- The divided shares are doubles: summed as a list in coalition order, so every build
-- adds them in the same order and gets the same last bits.
SELECT
    channel,
    list_sum(list(conversions / size ORDER BY channels)) AS conversions,
    list_sum(list(value::DOUBLE / size ORDER BY channels)) AS value,
    count(*) AS channel_sets
FROM shares
GROUP BY channel
UNION ALL
SELECT $unattributed, count(*), sum(amount)::DOUBLE, 0
FROM _rp_deals d
WHERE NOT EXISTS (SELECT 1 FROM _rp_milestones ms WHERE ms.deal_id = d.deal_id)
HAVING count(*) > 0
"""


def create_table(con: duckdb.DuckDBPyConnection) -> None:
    """Fill ``shapley_values`` (created empty)."""
    con.execute(SHAPLEY_SQL, {"unattributed": UNATTRIBUTED})
