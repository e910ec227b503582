/*
title: New leads per month by source channel
question: 'Where do new leads come from, month by month?'
description: >-
  Leads created each month, split by the channel that created them; the table has a column
  per channel. The running month is drawn as to date: it holds the leads up to the as-of
  moment only.
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
    c.month_start as month,
    l.source as channel,
    count(*) as leads
from leads l
join calendar c on c.day = calendar_day(l.created_at)
where l.created_at < $as_of
group by all
order by month, channel
