/*
title: Attributed and booked pipeline by quarter
description: >-
  For every rule-based model and every quarter, the pipeline credited to channels plus the
  unattributed pipeline (opportunities without a touch in their journey) equals the
  pipeline booked: the amount of the opportunities created that quarter. Conversion event:
  the opportunity is created; each model's weights sum to 100 % per opportunity, so the
  difference is zero; a non-zero difference would mean credit was lost.
chart: table
format: {opportunities: integer, booked: currency, attributed: currency,
  unattributed: currency, difference: currency}
order: 60
glossary: [attribution-model, reconciliation]
*/
with booked as (
    select strftime(created_at, '%Y') || '-Q' || quarter(created_at) as quarter,
        count(*) as opportunities, coalesce(sum(amount), 0) as booked
    from deals
    group by all
),
credited as (
    select strftime(c.converted_at, '%Y') || '-Q' || quarter(c.converted_at) as quarter,
        m.model_order, m.label as model,
        coalesce(sum(c.value) filter (where c.channel <> '(unattributed)'), 0) as attributed,
        coalesce(sum(c.value) filter (where c.channel = '(unattributed)'), 0) as unattributed
    from attribution_credits c
    join attribution_models m using (model)
    group by all
)
select
    b.quarter,
    m.label as model,
    b.booked - coalesce(c.attributed, 0) - coalesce(c.unattributed, 0) as difference,
    b.booked,
    coalesce(c.attributed, 0) as attributed,
    coalesce(c.unattributed, 0) as unattributed,
    b.opportunities
from booked b
cross join attribution_models m
left join credited c on c.quarter = b.quarter and c.model = m.label
order by b.quarter desc, m.model_order
