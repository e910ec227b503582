/*
title: Lead funnel
description: >-
  The leads created in the period, and how many of them reached each step by the as-of
  date, from inquiry to won deal.
chart: funnel
x: step
y: leads
format: {leads: integer}
order: 2
glossary: [funnel-stages]
*/
with cohort as (
    select * from leads where created_at >= $period_start and created_at < $period_end
)
select step, leads
from (
    select 1 as n, 'Inquiry' as step, count(*) as leads from cohort
    union all
    select 2, 'MQL', count(*) filter (where mql_at < $as_of) from cohort
    union all
    select 3, 'SAL', count(*) filter (where sal_at < $as_of) from cohort
    union all
    select 4, 'SQL', count(*) filter (where sql_at < $as_of) from cohort
    union all
    select 5, 'Won', count(*) from cohort join deals on deals.deal_id = cohort.converted_deal_id
    where deals.is_won and deals.closed_at < $as_of
)
order by n
