/*
title: Attributed and booked pipeline by quarter
question: 'Does every model hand out exactly the pipeline we booked?'
description: >-
  For every rule-based model and every fiscal quarter, the pipeline credited to channels plus the
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
    select c.quarter_start, c.quarter_label as quarter,
        count(*) as opportunities, coalesce(sum(d.amount), 0) as booked
    from deals d
    join calendar c on c.day = calendar_day(d.created_at)
    group by all
),
credited as (
    select c.quarter_start, m.model_order, m.label as model,
        coalesce(sum(a.value) filter (where a.channel <> '(unattributed)'), 0) as attributed,
        coalesce(sum(a.value) filter (where a.channel = '(unattributed)'), 0) as unattributed
    from attribution_credits a
    join attribution_models m using (model)
    join calendar c on c.day = calendar_day(a.converted_at)
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
left join credited c on c.quarter_start = b.quarter_start and c.model = m.label
order by b.quarter_start desc, m.model_order
