/*
title: Cost per lead, MQL, SQL and opportunity
question: 'What does a lead, an MQL, an SQL and an opportunity cost per channel?'
description: >-
  Spend of each paid channel in the period, divided by the leads that channel sourced in
  the period and by those of them that reached MQL, SQL and an opportunity by the as-of
  date (cohort counting; skipped stages count as passed). Channels without spend are left
  out. The dashed line is the cost per opportunity of all paid channels together.
window: >-
  A cohort: the period's leads, followed to the as-of date. The newest have had little
  time to become opportunities, so the cost per opportunity of a recent period is high.
chart: horizontal_bar
x: channel
y: cost_per_opportunity
reference: {value: all_channels_cost_per_opportunity, label: All paid channels}
format: {spend: currency, leads: integer, opportunities: integer, cost_per_lead: currency,
         cost_per_mql: currency, cost_per_sql: currency, cost_per_opportunity: currency,
         all_channels_cost_per_opportunity: currency}
sort: -cost_per_opportunity
headline: cost_per_opportunity
order: 20
glossary: [cost-per-stage]
*/
with spent as (
    -- spend.month is a day, not a moment: the calendar says when it starts.
    select s.channel, sum(s.amount) as spend
    from spend s
    join calendar c on c.day = s.month
    where c.day_start >= $period_start and c.day_start < $period_end
    group by s.channel
),
cohort as (
    select
        source as channel,
        count(*) as leads,
        count(*) filter (where mql_reached_at < $as_of) as mqls,
        count(*) filter (where sql_reached_at < $as_of) as sqls,
        count(*) filter (where opportunity_at < $as_of) as opportunities
    from lead_stages
    where created_at >= $period_start and created_at < $period_end
    group by source
)
select
    s.channel,
    s.spend,
    c.leads,
    c.opportunities,
    s.spend / nullif(c.leads, 0) as cost_per_lead,
    s.spend / nullif(c.mqls, 0) as cost_per_mql,
    s.spend / nullif(c.sqls, 0) as cost_per_sql,
    s.spend / nullif(c.opportunities, 0) as cost_per_opportunity,
    sum(s.spend) over () / nullif(sum(c.opportunities) over (), 0)
        as all_channels_cost_per_opportunity
from spent s
join cohort c using (channel)
order by cost_per_opportunity desc nulls last, s.channel
