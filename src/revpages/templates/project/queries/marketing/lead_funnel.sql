/*
title: Lead funnel
description: Leads that reached each step, from inquiry to won deal.
chart: funnel
x: step
y: leads
format: {leads: integer}
order: 2
glossary: [funnel-stages]
*/
select step, leads
from (
    select 1 as n, 'Inquiry' as step, count(*) as leads from leads
    union all
    select 2, 'MQL', count(mql_at) from leads
    union all
    select 3, 'SAL', count(sal_at) from leads
    union all
    select 4, 'SQL', count(sql_at) from leads
    union all
    select 5, 'Won', count(*) from leads join deals on deals.deal_id = leads.converted_deal_id
    where deals.is_won
)
order by n
