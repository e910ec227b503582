/*
title: Last-touch attribution by channel
question: 'Which channels close the journeys that become opportunities?'
description: >-
  Model last touch: 100 % of each opportunity to the last marketing touch before it was
  created. Conversion event: the opportunity is created; value: its amount (pipeline).
  Touches after the conversion or more than 365 days before it are excluded; equal
  timestamps are ordered by touch kind, then touch id. Opportunities with no touch are
  shown as unattributed.
chart: horizontal_bar
x: channel
y: opportunities
format: {opportunities: integer, pipeline: currency, share: percent}
sort: -opportunities
headline: opportunities
order: 20
glossary: [attribution-model, last-touch]
*/
with credited as (
    select d.deal_id, d.amount, coalesce(j.channel, '(unattributed)') as channel
    from deals d
    left join touch_journeys j on j.deal_id = d.deal_id and j.position = j.touches
)
select
    channel,
    count(*) as opportunities,
    sum(amount) as pipeline,
    count(*) / sum(count(*)) over () as share
from credited
group by channel
order by opportunities desc, channel
