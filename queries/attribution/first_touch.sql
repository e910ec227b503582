/*
title: First-touch attribution by channel
question: 'Which channels start the journeys that become opportunities?'
description: >-
  Model first touch: 100 % of each opportunity to the first marketing touch of its lead.
  Conversion event: the opportunity is created; value: its amount (pipeline). Touches after
  the conversion or more than 365 days before it are excluded; equal timestamps are ordered
  by touch kind, then touch id. Opportunities with no touch are shown as unattributed.
chart: horizontal_bar
x: channel
y: opportunities
format: {opportunities: integer, pipeline: currency, share: percent}
sort: -opportunities
headline: opportunities
order: 10
glossary: [attribution-model, first-touch]
*/
with credited as (
    select d.deal_id, d.amount, coalesce(j.channel, '(unattributed)') as channel
    from deals d
    left join touch_journeys j on j.deal_id = d.deal_id and j.position = 1
)
select
    channel,
    count(*) as opportunities,
    sum(amount) as pipeline,
    count(*) / sum(count(*)) over () as share
from credited
group by channel
order by opportunities desc, channel
