/*
title: Pipeline and revenue sourced and influenced by each channel
question: How much pipeline and revenue does each channel start, and how much does it help along?
description: >-
  Opportunities created in the period, per channel. Sourced: the channel that created the
  lead (its source), so each opportunity is sourced by one channel and the sourced columns
  add up to the total. Influenced: every channel with at least one touch in the
  opportunity's journey before it was created, so an opportunity counts for each channel
  that touched it and influenced columns add up to more than the total. Revenue is the
  amount of those opportunities won by the as-of date.
chart: bar
x: channel
y: [sourced_pipeline, influenced_pipeline]
format: {sourced_opportunities: integer, sourced_pipeline: currency,
         sourced_revenue: currency, influenced_opportunities: integer,
         influenced_pipeline: currency, influenced_revenue: currency}
headline: sourced_pipeline
sort: -sourced_pipeline
order: 5
glossary: [sourced-influenced]
*/
with opportunities as (
    select deal_id, coalesce(source, '(unknown)') as source, amount,
        case when is_won and closed_at < $as_of then amount else 0 end as revenue
    from deals
    where created_at >= $period_start and created_at < $period_end
        and not list_has_any(flags, ['created_at', 'amount'])
),
sourced as (
    select source as channel, count(*) as sourced_opportunities,
        sum(amount) as sourced_pipeline, sum(revenue) as sourced_revenue
    from opportunities
    group by all
),
influenced as (
    select j.channel, count(*) as influenced_opportunities,
        sum(o.amount) as influenced_pipeline, sum(o.revenue) as influenced_revenue
    from (select distinct deal_id, channel from touch_journeys) j
    join opportunities o using (deal_id)
    group by all
)
select
    channel,
    coalesce(s.sourced_opportunities, 0) as sourced_opportunities,
    coalesce(s.sourced_pipeline, 0)::double as sourced_pipeline,
    coalesce(s.sourced_revenue, 0)::double as sourced_revenue,
    coalesce(i.influenced_opportunities, 0) as influenced_opportunities,
    coalesce(i.influenced_pipeline, 0)::double as influenced_pipeline,
    coalesce(i.influenced_revenue, 0)::double as influenced_revenue
from sourced s
full join influenced i using (channel)
order by sourced_pipeline desc, channel
