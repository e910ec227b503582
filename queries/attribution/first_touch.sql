/*
title: First-touch attribution by channel
description: >-
  Model first touch: 100 % of each opportunity to the first marketing touch of its lead.
  Conversion event: the opportunity is created; value: its amount (pipeline). Touches after
  the conversion or more than 365 days before it are excluded; equal timestamps are ordered
  by touch kind, then touch id. Opportunities with no touch are shown as unattributed.
chart: bar
x: channel
y: opportunities
format: {opportunities: integer, pipeline: currency, share: percent}
sort: -opportunities
order: 10
*/
with journeys as (
    select
        d.deal_id,
        t.channel,
        row_number() over (
            partition by d.deal_id order by t.touched_at, t.kind, t.touchpoint_id
        ) as position
    from deals d
    join touchpoints t
        on t.lead_id = d.lead_id
        and t.touched_at <= d.created_at
        and t.touched_at > d.created_at - interval 365 days
),
credited as (
    select d.deal_id, d.amount, coalesce(j.channel, '(unattributed)') as channel
    from deals d
    left join journeys j on j.deal_id = d.deal_id and j.position = 1
)
select
    channel,
    count(*) as opportunities,
    sum(amount) as pipeline,
    count(*) / sum(count(*)) over () as share
from credited
group by channel
order by opportunities desc, channel
