/*
title: Where journeys start and end
question: 'Which paths do converting buyers take?'
description: >-
  The touches before each opportunity, reduced to the channel of the first touch and of
  the last (journeys are long: almost every full sequence is unique), ranked by how many
  opportunities followed each pair, with their pipeline. "…" stands for the touches in
  between. Conversion event: the opportunity is created; journeys are the touches before
  it within the lookback window (365 days by default). Opportunities without a touch are
  left out.
chart: paths
x: journey
y: opportunities
format: {opportunities: integer, pipeline: currency, share: percent, median_touches: number}
order: 55
glossary: [attribution-model, first-touch, last-touch]
*/
with ends as (
    select
        deal_id,
        max(channel) filter (where position = 1) as first_channel,
        max(channel) filter (where position = touches) as last_channel,
        max(touches) as touches
    from touch_journeys
    group by deal_id
)
select
    case
        when e.touches = 1 then [e.first_channel]
        when e.touches = 2 then [e.first_channel, e.last_channel]
        else [e.first_channel, '…', e.last_channel]
    end as journey,
    count(*) as opportunities,
    sum(d.amount) as pipeline,
    count(*) / (select count(*) from ends) as share,
    median(e.touches) as median_touches
from ends e
join deals d using (deal_id)
group by all
order by opportunities desc, pipeline desc, journey
limit 15
