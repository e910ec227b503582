/*
title: Win rate
question: Of the deals we finish, how many do we win?
description: >-
  Deals closed in the period only, won / (won + lost), and what the won deals booked;
  each against the prior period and the same period last year.
chart: kpi
y: [win_rate, won_deals, bookings]
format: {win_rate: percent, won_deals: integer, bookings: currency}
compare: [prior, last_year]
better: {win_rate: higher, won_deals: higher, bookings: higher}
home: 10
order: 1
glossary: [win-rate]
*/
select
    avg(is_won::int) as win_rate,
    count(*) filter (where is_won) as won_deals,
    coalesce(sum(amount) filter (where is_won), 0) as bookings
from deals
where is_closed and closed_at >= $period_start and closed_at < $period_end
