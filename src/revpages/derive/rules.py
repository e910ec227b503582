"""Rule-based attribution in DuckDB SQL: journeys, then each touch's weight per model.

Everything here is set-based SQL: at a million leads a Python loop over journeys would
take minutes, while DuckDB orders and weighs a million journey touches in seconds. Each
model is a row of ``_rp_models`` (its milestone and rest shares, see ``options``), so one
statement weighs every model, and the edge cases are arithmetic on where the milestones
fall, not branches per model. The only sort is the one that orders each journey.
"""

from __future__ import annotations

import duckdb

from revpages.derive.attribution_models import AttributionOptions, RuleModel, rule_models

UNATTRIBUTED = "(unattributed)"

# The journey of a conversion (an opportunity created): its lead's touches at or before
# the moment it was created and within the lookback, ordered by time, then touch kind, so
# ties never depend on the order DuckDB happens to read rows in. Then by channel, before
# the touch id: ids are CRM artefacts (a Salesforce export numbers campaign members and
# tasks apart), and touches of one channel can swap places without changing any credit,
# so the same CRM data gives the same numbers whichever way it was exported.
JOURNEYS_SQL = """
CREATE OR REPLACE TEMP TABLE _rp_journeys AS
WITH touches AS MATERIALIZED (
    SELECT
        d.deal_id, d.created_at AS converted_at, d.amount,
        coalesce(d.is_won, false) AS is_won,
        t.touchpoint_id, t.channel, t.kind, t.touched_at,
        coalesce(t.touched_at <= l.created_at, false) AS before_lead
    FROM _rp_deals d
    JOIN _rp_touchpoints t
        ON t.lead_id = d.lead_id
        AND t.touched_at <= d.created_at
        AND t.touched_at > d.created_at - to_days($lookback_days)
    LEFT JOIN _rp_leads l ON l.lead_id = d.lead_id
),
ends AS (
    SELECT deal_id, max(touched_at) AS last_touched_at, count(*) AS touches
    FROM touches GROUP BY deal_id
),
decayed AS (
    -- Time decay measured back from the journey's last touch, not from the conversion:
    -- the weights are normalised per journey, so the shift cancels, and the last touch
    -- weighs 2^0 = 1, so a short half-life never underflows a whole journey to zero.
    SELECT touches.*, ends.touches,
        pow(2, (epoch_us(touched_at) - epoch_us(last_touched_at))
            / (86400e6 * $half_life_days)) AS decay
    FROM touches JOIN ends USING (deal_id)
)
SELECT
    deal_id, converted_at, amount, is_won, touchpoint_id, channel, before_lead, decay,
    row_number() OVER journey AS position,
    touches,
    lag(channel, 1, '(start)') OVER journey AS previous_state,
    sum(decay) OVER (journey ROWS UNBOUNDED PRECEDING) AS decay_through
FROM decayed
WINDOW journey AS (PARTITION BY deal_id
                   ORDER BY touched_at, kind NULLS LAST, channel, touchpoint_id)
"""

# One row per journey: where its milestones fall.
MILESTONES_SQL = """
CREATE OR REPLACE TEMP TABLE _rp_milestones AS
SELECT
    deal_id,
    any_value(touches) AS touches,
    any_value(is_won) AS is_won,
    max(position) FILTER (WHERE before_lead) AS lead_position,
    coalesce(max(position) FILTER (WHERE lower(trim(channel)) <> 'direct'),
             any_value(touches)) AS non_direct_position,
    max(decay_through) AS decay_total  -- running sums of positive weights: the last one
FROM _rp_journeys
GROUP BY deal_id
"""

# The weight of the touches at positions 1..k of a journey under one plan (a journey and
# a model, see PLANS below). Credits are differences of rounded cumulative weights, so
# each conversion's credits add up to exactly 1 and to exactly its amount, each is within
# one unit of its exact share, and no sort is needed to hand out the rounding leftovers.
THROUGH_MACRO = """
CREATE OR REPLACE TEMP MACRO _rp_through(k, n, lead_at, non_direct_at, w_first, w_lead,
        w_non_direct, w_rest, m1, m2, m3, m4) AS
    CASE WHEN k >= n THEN 1.0 WHEN k <= 0 THEN 0.0 ELSE
        w_first
        + w_lead * coalesce(lead_at <= k, false)::INT
        + w_non_direct * (non_direct_at <= k)::INT
        + w_rest * (k - coalesce(m1 <= k, false)::INT - coalesce(m2 <= k, false)::INT
                    - coalesce(m3 <= k, false)::INT - coalesce(m4 <= k, false)::INT)
    END
"""

CREDITS_SQL = """
INSERT INTO attribution_credits
WITH marked AS (
    -- One row per journey and model: the positions of its milestones (m1..m4, each
    -- position once: milestones on the same touch add up there), and which are present.
    SELECT ms.deal_id, ms.touches AS n, ms.lead_position AS lead_at,
        ms.non_direct_position AS non_direct_at, ms.is_won, m.*,
        CASE WHEN m.s_first > 0 THEN 1 END AS m1,
        CASE WHEN m.s_lead > 0 THEN ms.lead_position END AS lead_mark,
        CASE WHEN m.s_last > 0 OR (m.s_won > 0 AND ms.is_won) THEN ms.touches END AS end_mark,
        CASE WHEN m.s_non_direct > 0 THEN ms.non_direct_position END AS non_direct_mark,
        m.s_first + m.s_lead + m.s_last + m.s_won + m.s_non_direct AS milestones,
        m.s_first + m.s_last + m.s_non_direct
            + CASE WHEN ms.lead_position IS NOT NULL THEN m.s_lead ELSE 0 END
            + CASE WHEN ms.is_won THEN m.s_won ELSE 0 END AS present
    FROM _rp_milestones ms CROSS JOIN _rp_models m
    WHERE NOT m.decay
),
distinct_marks AS (
    SELECT *,
        CASE WHEN lead_mark IS DISTINCT FROM m1 THEN lead_mark END AS m2,
        CASE WHEN end_mark IS DISTINCT FROM m1 AND end_mark IS DISTINCT FROM lead_mark
            THEN end_mark END AS m3,
        CASE WHEN non_direct_mark IS DISTINCT FROM m1
            AND non_direct_mark IS DISTINCT FROM lead_mark
            AND non_direct_mark IS DISTINCT FROM end_mark THEN non_direct_mark END AS m4
    FROM marked
),
counted AS (
    SELECT *,
        n - (m1 IS NOT NULL)::INT - (m2 IS NOT NULL)::INT - (m3 IS NOT NULL)::INT
            - (m4 IS NOT NULL)::INT AS rest_touches
    FROM distinct_marks
),
plans AS (
    -- A missing milestone passes its share to the present ones in proportion; with no
    -- touch left for the rest share, it goes to the milestones in proportion too.
    SELECT deal_id, model, n, lead_at, non_direct_at, m1, m2, m3, m4,
        s_first * scale AS w_first,
        CASE WHEN lead_at IS NOT NULL THEN s_lead * scale ELSE 0 END AS w_lead,
        (s_last + CASE WHEN is_won THEN s_won ELSE 0 END) * scale AS w_end,
        s_non_direct * scale AS w_non_direct,
        CASE WHEN rest_touches > 0 THEN s_rest / rest_touches ELSE 0 END AS w_rest
    FROM (SELECT *, CASE WHEN present = 0 THEN 0
                         WHEN rest_touches = 0 THEN 1 / present
                         ELSE milestones / present END AS scale
          FROM counted)
),
milestone_credits AS (
    SELECT p.model, j.deal_id, j.touchpoint_id, j.position, j.channel,
        p.w_first * (j.position = 1)::INT
            + p.w_lead * coalesce(j.position = p.lead_at, false)::INT
            + p.w_end * (j.position = p.n)::INT
            + p.w_non_direct * (j.position = p.non_direct_at)::INT
            + CASE WHEN j.position IN (p.m1, p.m2, p.m3, p.m4) THEN 0 ELSE p.w_rest END
            AS weight,
        _rp_through(j.position, p.n, p.lead_at, p.non_direct_at, p.w_first, p.w_lead,
            p.w_non_direct, p.w_rest, p.m1, p.m2, p.m3, p.m4) AS through,
        _rp_through(j.position - 1, p.n, p.lead_at, p.non_direct_at, p.w_first, p.w_lead,
            p.w_non_direct, p.w_rest, p.m1, p.m2, p.m3, p.m4) AS before,
        j.converted_at, j.touches, j.amount
    FROM _rp_journeys j
    -- Only touches with a share: first, last and last non-direct touch weigh one touch
    -- each, and skipping the others halves the work (their credits are exactly zero).
    JOIN plans p ON p.deal_id = j.deal_id
        AND (p.w_rest > 0 OR j.position IN (p.m1, p.m2, p.m3, p.m4))
),
decay_credits AS (
    -- The previous touch's running sum by a join, not a window: the same stored value
    -- the previous row uses, so the rounded differences telescope exactly.
    SELECT m.model, j.deal_id, j.touchpoint_id, j.position, j.channel,
        j.decay / ms.decay_total AS weight,
        CASE WHEN j.position = j.touches THEN 1.0
             ELSE j.decay_through / ms.decay_total END AS through,
        coalesce(previous.decay_through / ms.decay_total, 0.0) AS before,
        j.converted_at, j.touches, j.amount
    FROM _rp_journeys j
    JOIN _rp_milestones ms USING (deal_id)
    CROSS JOIN (SELECT model FROM _rp_models WHERE decay) m
    LEFT JOIN _rp_journeys previous
        ON previous.deal_id = j.deal_id AND previous.position = j.position - 1
),
credits AS (
    SELECT *, (amount * 100)::BIGINT::DOUBLE AS cents,
        round(through * 1e9) - round(before * 1e9) AS conversion_units
    FROM (SELECT * FROM milestone_credits UNION ALL SELECT * FROM decay_credits)
)
SELECT model, deal_id, converted_at, touchpoint_id, position, touches, channel, weight,
    (conversion_units / 1e9)::DECIMAL(18, 9) AS conversions,
    ((round(through * cents) - round(before * cents)) / 100)::DECIMAL(18, 2) AS value
FROM credits
WHERE weight > 0 OR conversion_units <> 0
UNION ALL
-- Conversions without a touch keep their whole value, under every model.
SELECT m.model, d.deal_id, d.created_at, NULL, NULL, 0, $unattributed, 1.0, 1, d.amount
FROM _rp_deals d CROSS JOIN _rp_models m
WHERE NOT EXISTS (SELECT 1 FROM _rp_milestones ms WHERE ms.deal_id = d.deal_id)
"""


def create_journeys(con: duckdb.DuckDBPyConnection, options: AttributionOptions) -> None:
    con.execute(
        JOURNEYS_SQL,
        {"lookback_days": options.lookback_days, "half_life_days": options.half_life_days},
    )
    con.execute(MILESTONES_SQL)


def create_credits(con: duckdb.DuckDBPyConnection, options: AttributionOptions) -> None:
    """``attribution_models`` and ``attribution_credits`` (both created empty beforehand)."""
    models = rule_models(options)
    con.execute(
        "CREATE OR REPLACE TEMP TABLE _rp_models (model VARCHAR, s_first DOUBLE, "
        "s_lead DOUBLE, s_last DOUBLE, s_won DOUBLE, s_non_direct DOUBLE, "
        "s_rest DOUBLE, decay BOOLEAN)"
    )
    con.executemany(
        "INSERT INTO _rp_models VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        [_shares(model) for model in models],
    )
    con.executemany(
        "INSERT INTO attribution_models VALUES ($1, $2, $3, $4)",
        [[m.name, order, m.label, m.weights] for order, m in enumerate(models, start=1)],
    )
    con.execute(THROUGH_MACRO)
    con.execute(CREDITS_SQL, {"unattributed": UNATTRIBUTED})


def _shares(model: RuleModel) -> list[object]:
    return [
        model.name,
        model.first,
        model.lead,
        model.last,
        model.won,
        model.non_direct,
        model.rest,
        model.decay,
    ]
