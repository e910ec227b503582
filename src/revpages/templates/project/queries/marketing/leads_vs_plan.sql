/*
title: Leads and MQLs against the plan
question: Is marketing bringing the leads it promised?
description: >-
  Leads created and leads that became MQLs in the period, against marketing's plan (the
  targets table: leads and mqls per channel, summed; a running period is held to the
  part of its plan that has elapsed). Each number is compared with the prior period; the
  small lines show the last six quarters.
chart: kpi
y: [leads, mqls]
reference:
  - {y: leads, value: leads_plan, label: Plan, better: higher}
  - {y: mqls, value: mqls_plan, label: Plan, better: higher}
sparkline: {leads: leads_by_quarter, mqls: mqls_by_quarter}
format: {leads: integer, mqls: integer, leads_plan: integer, mqls_plan: integer,
         leads_attainment: percent, mqls_attainment: percent}
compare: [prior]
better: {leads: higher, mqls: higher}
home: 10
order: 5
glossary: [lead-plan, target]
*/
with plan as (
    select
        sum(value) filter (where metric = 'leads') as leads_plan,
        sum(value) filter (where metric = 'mqls') as mqls_plan
    from daily_targets
    where day_start >= $period_start and day_start < $period_end
),
actual as (
    select
        count(*) filter (where created_at >= $period_start and created_at < $period_end)
            as leads,
        count(*) filter (where mql_at >= $period_start and mql_at < $period_end) as mqls
    from leads
    where not list_has_any(flags, ['created_at', 'mql_at'])
),
created as (
    select c.quarter_start, count(*) as leads
    from leads l join calendar c on c.day = calendar_day(l.created_at)
    where l.created_at < $period_end and not list_contains(l.flags, 'created_at')
    group by all
),
qualified as (
    select c.quarter_start, count(*) as mqls
    from leads l join calendar c on c.day = calendar_day(l.mql_at)
    where l.mql_at < $period_end and not list_contains(l.flags, 'mql_at')
    group by all
),
recent as (
    select q.quarter_start, coalesce(c.leads, 0) as leads, coalesce(m.mqls, 0) as mqls
    from last_quarters($period_end, 6) q
    left join created c using (quarter_start)
    left join qualified m using (quarter_start)
)
select
    a.leads,
    a.mqls,
    round(p.leads_plan)::bigint as leads_plan,
    round(p.mqls_plan)::bigint as mqls_plan,
    a.leads / p.leads_plan as leads_attainment,
    a.mqls / p.mqls_plan as mqls_attainment,
    (select list(leads order by quarter_start) from recent) as leads_by_quarter,
    (select list(mqls order by quarter_start) from recent) as mqls_by_quarter
from actual a, plan p
