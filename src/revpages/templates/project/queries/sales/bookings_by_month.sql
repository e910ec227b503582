/*
title: Bookings by month
description: Amount of the deals won each month, by segment.
chart: stacked_bar
x: month
y: bookings
color: segment
format: {bookings: currency}
order: 3
*/
select
    date_trunc('month', closed_at)::date as month,
    coalesce(segment, 'unknown') as segment,
    sum(amount) as bookings
from deals
where is_won
group by all
order by month, segment
