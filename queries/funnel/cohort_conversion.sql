/*
title: Conversion by lead cohort
description: >-
  Of the leads created each month, the share that ever reached MQL, SQL and an opportunity
  (cohort conversion; skipped stages count as passed). Cohorts younger than three months
  are immature: their rates are still rising, and the table marks them.
chart: line
x: cohort_month
y: [mql_rate, sql_rate, opportunity_rate]
format: {leads: integer, mql_rate: percent, sql_rate: percent, opportunity_rate: percent}
order: 20
glossary: [cohort-conversion, funnel-stages]
*/
with latest as (
    select date_trunc('month', max(created_at)) - interval 2 months as young_from
    from leads
    where not list_contains(flags, 'created_at')
),
cohorts as (
    select
        date_trunc('month', created_at) as cohort_start,
        count(*) as leads,
        count(*) filter (where reached_mql) as mqls,
        count(*) filter (where reached_sql) as sqls,
        count(*) filter (where reached_opportunity) as opportunities
    from lead_stages
    group by date_trunc('month', created_at)
)
select
    c.cohort_start::date as cohort_month,
    c.leads,
    c.mqls / c.leads as mql_rate,
    c.sqls / c.leads as sql_rate,
    c.opportunities / c.leads as opportunity_rate,
    c.cohort_start >= l.young_from as immature
from cohorts c
cross join latest l
order by cohort_month
