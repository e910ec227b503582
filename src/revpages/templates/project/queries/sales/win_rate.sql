/*
title: Win rate
description: Closed deals only, won / (won + lost), and what the won deals booked.
chart: kpi
y: [win_rate, won_deals, bookings]
format: {win_rate: percent, won_deals: integer, bookings: currency}
order: 1
glossary: [win-rate]
*/
select
    avg(is_won::int) as win_rate,
    count(*) filter (where is_won) as won_deals,
    coalesce(sum(amount) filter (where is_won), 0) as bookings
from deals
where is_closed
