/*
title: Opportunities by channel under three models
question: 'Does the choice of attribution model change the winner?'
description: >-
  The same opportunities credited three ways: first touch (100 % to the first touch), last
  touch (100 % to the last) and linear (1/n to each of the n touches). Conversion event:
  the opportunity is created. Touches after it or more than 365 days before it are
  excluded; equal timestamps are ordered by touch kind, then touch id. Each model's credit
  sums to the number of opportunities; those without touches are unattributed.
chart: horizontal_bar
x: channel
y: opportunities
color: model
pivot: {rows: channel, columns: model, values: opportunities}
format: {opportunities: integer, share: percent}
order: 30
glossary: [attribution-model, first-touch, last-touch, linear]
*/
with credits as (
    -- Decimal credits add up exactly, so the sums do not depend on thread scheduling.
    select 1 as model_position, 'first touch' as model, channel,
        (position = 1)::int::decimal(18, 9) as credit
    from touch_journeys
    union all
    select 2, 'last touch', channel, (position = touches)::int::decimal(18, 9)
    from touch_journeys
    union all
    select 3, 'linear', channel, (1 / touches)::decimal(18, 9) from touch_journeys
    union all
    select m.model_position, m.model, '(unattributed)', 1::decimal(18, 9)
    from deals d
    cross join (values (1, 'first touch'), (2, 'last touch'), (3, 'linear'))
        as m(model_position, model)
    where not exists (select 1 from touch_journeys j where j.deal_id = d.deal_id)
)
select
    channel,
    model,
    sum(credit)::double as opportunities,
    (sum(credit) / sum(sum(credit)) over (partition by model))::double as share
from credits
group by model_position, model, channel
order by channel, model_position
