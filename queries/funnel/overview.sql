/*
title: Lead funnel
question: 'Where do leads drop out between inquiry and a won deal?'
description: >-
  Cohort funnel of the leads created in the period: how many reached each stage by the
  as-of date. A lead that reached a stage without a date for an earlier one counts as
  having passed the earlier stage; the table shows how many leads passed each stage that
  way (without_stage_date). A stage is immature while the period's youngest leads are
  younger than the time 90 % of the leads that reached it took (p90_days): its count is
  still rising, and the chart draws it lighter.
window: >-
  Leads created in the period, followed to the as-of date: a cohort needs time to move, so
  its later stages are marked immature until it has had it.
chart: funnel
x: stage
y: leads
format: {leads: integer, share_of_inquiries: percent, share_of_previous: percent,
         without_stage_date: integer, p90_days: days}
headline: leads
order: 10
glossary: [funnel-stages, cohort-conversion, cohort-maturity]
*/
with cohort as (
    select *
    from lead_stages
    where created_at >= $period_start and created_at < $period_end
),
stages as (
    select 1 as position, 'Inquiry' as stage, count(*) as leads, 0 as without_stage_date,
        null::timestamp as reached, null::timestamp as created
    from cohort
    union all
    select 2, 'MQL', count(*) filter (where mql_reached_at < $as_of),
        count(*) filter (where mql_reached_at < $as_of and no_mql_date), null, null
    from cohort
    union all
    select 3, 'SAL', count(*) filter (where sal_reached_at < $as_of),
        count(*) filter (where sal_reached_at < $as_of and no_sal_date), null, null
    from cohort
    union all
    select 4, 'SQL', count(*) filter (where sql_reached_at < $as_of),
        count(*) filter (where sql_reached_at < $as_of and no_sql_date), null, null
    from cohort
    union all
    select 5, 'Opportunity', count(*) filter (where opportunity_at < $as_of), 0, null, null
    from cohort
    union all
    select 6, 'Won', count(*) filter (where won_at < $as_of), 0, null, null from cohort
),
-- Days from creation to each stage among every lead that reached it before the as-of date.
lags as (
    select
        quantile_cont(epoch(mql_reached_at - created_at), 0.9) filter (
            where mql_reached_at < $as_of) / 86400 as mql,
        quantile_cont(epoch(sal_reached_at - created_at), 0.9) filter (
            where sal_reached_at < $as_of) / 86400 as sal,
        quantile_cont(epoch(sql_reached_at - created_at), 0.9) filter (
            where sql_reached_at < $as_of) / 86400 as sql,
        quantile_cont(epoch(opportunity_at - created_at), 0.9) filter (
            where opportunity_at < $as_of) / 86400 as opportunity,
        quantile_cont(epoch(won_at - created_at), 0.9) filter (
            where won_at < $as_of) / 86400 as won
    from lead_stages
    where created_at < $as_of
),
timed as (
    select s.*, [0, l.mql, l.sal, l.sql, l.opportunity, l.won][s.position] as p90_days
    from stages s cross join lags l
)
select
    stage,
    leads,
    leads / first_value(leads) over (order by position) as share_of_inquiries,
    leads / lag(leads) over (order by position) as share_of_previous,
    without_stage_date,
    p90_days,
    -- The youngest lead of the period has had (as-of - period end) days.
    p90_days is null
        or epoch($as_of - least($period_end, $as_of)) / 86400 >= p90_days as is_mature
from timed
order by position
