/*
title: Bookings won
description: Total amount of won deals.
chart: kpi
y: [bookings, won_deals]
format: {bookings: currency, won_deals: integer}
order: 1
*/
select sum(amount) filter (where is_won) as bookings, count(*) filter (where is_won) as won_deals
from deals
