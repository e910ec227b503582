/*
title: New leads by month
description: >-
  Leads created each month, by the channel they came from; the running month is drawn as
  to date.
chart: line
x: month
y: leads
color: source
format: {leads: integer}
order: 1
*/
select
    c.month_start as month,
    coalesce(l.source, 'unknown') as source,
    count(*) as leads
from leads l
join calendar c on c.day = calendar_day(l.created_at)
where l.created_at < $as_of
group by all
order by month, source
