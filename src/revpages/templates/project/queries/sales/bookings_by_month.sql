/*
title: Bookings by month
description: >-
  Amount of the deals won each month, by segment; the running month is drawn as to date.
chart: stacked_bar
x: month
y: bookings
color: segment
format: {bookings: currency}
order: 3
*/
select
    c.month_start as month,
    coalesce(d.segment, 'unknown') as segment,
    sum(d.amount) as bookings
from deals d
join calendar c on c.day = calendar_day(d.closed_at)
where d.is_won and d.closed_at < $as_of
group by all
order by month, segment
