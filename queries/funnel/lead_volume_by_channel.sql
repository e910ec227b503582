/*
title: New leads per month by source channel
description: >-
  Leads created each month, split by the channel that created them; the table has a column
  per channel.
chart: area
x: month
y: leads
color: channel
pivot: {rows: month, columns: channel, values: leads}
format: {leads: integer}
order: 30
glossary: [funnel-stages]
*/
select
    date_trunc('month', created_at)::date as month,
    source as channel,
    count(*) as leads
from leads
group by all
order by month, channel
