/*
title: Deals created per month
description: New deals per month and source.
chart: line
x: month
y: deals
color: source
format: {deals: integer}
order: 2
*/
select date_trunc('month', created_at)::date as month, source, count(*) as deals
from deals
group by all
order by month, source
