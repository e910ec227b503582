/*
title: Bookings by quarter and source
description: Won amount per quarter, stacked by source.
chart: stacked_bar
x: quarter
y: bookings
color: source
format: {bookings: currency}
*/
select strftime(date_trunc('quarter', created_at), '%Y-Q') || quarter(created_at) as quarter,
       source, sum(amount) as bookings
from deals
where is_won
group by all
order by quarter, source
