/*
title: New leads by month
description: Leads created each month, by the channel they came from.
chart: line
x: month
y: leads
color: source
format: {leads: integer}
order: 1
*/
select
    date_trunc('month', created_at)::date as month,
    coalesce(source, 'unknown') as source,
    count(*) as leads
from leads
group by all
order by month, source
