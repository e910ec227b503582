/*
title: Conversion by lead cohort
question: 'How many of each month''s leads become MQLs, SQLs and opportunities?'
description: >-
  Of the leads created each month, the share that reached MQL, SQL and an opportunity by
  the as-of date (cohort conversion; skipped stages count as passed). A cohort is immature
  while its youngest leads are younger than the time 90 % of opportunities took from lead
  creation: its rates are still rising, so the chart draws it apart and the table marks
  it. The running month is drawn as to date.
chart: line
x: cohort_month
y: [mql_rate, sql_rate, opportunity_rate]
format: {leads: integer, mql_rate: percent, sql_rate: percent, opportunity_rate: percent,
         days_to_mature: days}
order: 20
glossary: [cohort-conversion, cohort-maturity, funnel-stages]
*/
with lag as (
    select quantile_cont(epoch(opportunity_at - created_at), 0.9) / 86400 as days_to_mature
    from lead_stages
    where opportunity_at < $as_of
),
cohorts as (
    select
        c.month_start,
        c.month_is_complete,
        c.month_elapsed,
        count(*) as leads,
        count(*) filter (where l.mql_reached_at < $as_of) as mqls,
        count(*) filter (where l.sql_reached_at < $as_of) as sqls,
        count(*) filter (where l.opportunity_at < $as_of) as opportunities
    from lead_stages l
    join calendar c on c.day = calendar_day(l.created_at)
    where l.created_at < $as_of
    group by all
)
select
    c.month_start as cohort_month,
    c.leads,
    c.mqls / c.leads as mql_rate,
    c.sqls / c.leads as sql_rate,
    c.opportunities / c.leads as opportunity_rate,
    l.days_to_mature,
    c.month_is_complete as is_complete,
    c.month_elapsed as fraction_elapsed,
    l.days_to_mature is null
        or epoch($as_of - (c.month_start + interval 1 month)) / 86400 >= l.days_to_mature
        as is_mature
from cohorts c
cross join lag l
order by cohort_month
