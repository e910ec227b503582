/*
title: Leads against the plan, by channel
question: Which channels are behind their lead plan?
description: >-
  Per channel: leads created and MQLs in the period against the channel's plan (targets
  leads and mqls), and the share of the plan reached. A channel below 90 % of its lead plan
  is drawn in the emphasis colour and goes on the home page's attention list. Channels with
  leads but no plan show no attainment.
chart: horizontal_bar
x: channel
y: leads_attainment
reference: {value: 1, label: Plan}
highlight: {column: behind_plan, label: Below 90 % of the lead plan}
headline: leads_attainment
attention: {when: behind_plan, say: '{channel} brought {leads} leads against a plan of {leads_plan} ({leads_attainment}).'}
format: {leads: integer, leads_plan: integer, leads_attainment: percent, mqls: integer,
         mqls_plan: integer, mqls_attainment: percent}
sort: leads_attainment
order: 6
glossary: [lead-plan]
*/
with plan as (
    select channel,
        sum(value) filter (where metric = 'leads') as leads_plan,
        sum(value) filter (where metric = 'mqls') as mqls_plan
    from daily_targets
    where day_start >= $period_start and day_start < $period_end and channel is not null
    group by channel
),
actual as (
    select coalesce(source, '(unknown)') as channel,
        count(*) filter (where created_at >= $period_start and created_at < $period_end)
            as leads,
        count(*) filter (where mql_at >= $period_start and mql_at < $period_end) as mqls
    from leads
    where not list_has_any(flags, ['created_at', 'mql_at'])
    group by all
)
select
    channel,
    coalesce(a.leads, 0) as leads,
    round(p.leads_plan)::bigint as leads_plan,
    coalesce(a.leads, 0) / p.leads_plan as leads_attainment,
    coalesce(a.mqls, 0) as mqls,
    round(p.mqls_plan)::bigint as mqls_plan,
    coalesce(a.mqls, 0) / p.mqls_plan as mqls_attainment,
    coalesce(coalesce(a.leads, 0) / p.leads_plan < 0.9, false) as behind_plan
from actual a
full join plan p using (channel)
where coalesce(a.leads, 0) > 0 or p.leads_plan > 0
order by leads_attainment nulls last, channel
