/*
title: Open pipeline over time
description: Amount of deals created per month, by source.
chart: area
x: month
y: amount
color: source
format: {amount: currency}
*/
select date_trunc('month', created_at)::date as month, source, sum(amount) as amount
from deals
group by all
order by month, source
