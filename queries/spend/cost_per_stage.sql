/*
title: Cost per lead, MQL, SQL and opportunity
description: >-
  Spend of each paid channel over the whole period, divided by the leads that channel
  sourced in the same period and by those of them that reached MQL, SQL and an
  opportunity (cohort counting; skipped stages count as passed). Channels without spend
  are left out. Recent leads are still moving, so the later stages are slightly high. The
  dashed line is the cost per opportunity of all paid channels together.
chart: horizontal_bar
x: channel
y: cost_per_opportunity
reference: {value: all_channels_cost_per_opportunity, label: All paid channels}
format: {spend: currency, leads: integer, opportunities: integer, cost_per_lead: currency,
         cost_per_mql: currency, cost_per_sql: currency, cost_per_opportunity: currency,
         all_channels_cost_per_opportunity: currency}
sort: -cost_per_opportunity
order: 20
glossary: [cost-per-stage]
*/
with spent as (
    select channel, sum(amount) as spend, min(month) as first_month,
           max(month) + interval 1 month as end_month
    from spend
    group by channel
),
cohort as (
    select
        l.source as channel,
        count(*) as leads,
        count(*) filter (where l.reached_mql) as mqls,
        count(*) filter (where l.reached_sql) as sqls,
        count(*) filter (where l.reached_opportunity) as opportunities
    from lead_stages l
    join spent s on s.channel = l.source
    where l.created_at >= s.first_month and l.created_at < s.end_month
    group by l.source
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
