/*
title: Bookings against quota
question: Is sales hitting its number?
description: >-
  The amount of the deals won in the period against the sum of the sales owners' quotas
  (targets: bookings per owner; a running period is held to the elapsed part of them), and
  compared with the prior period. The small line shows the last six quarters.
chart: kpi
y: [bookings]
reference: {y: bookings, value: quota, label: Quota, better: higher}
sparkline: {bookings: bookings_by_quarter}
format: {won_deals: integer, bookings: currency, quota: currency, attainment: percent}
compare: [prior]
better: {bookings: higher}
home: 40
order: 5
glossary: [bookings, quota-attainment]
*/
with by_quarter as (
    select c.quarter_start, sum(d.amount) as amount
    from deals d join calendar c on c.day = calendar_day(d.closed_at)
    where d.is_won and d.closed_at < $period_end
        and not list_has_any(d.flags, ['closed_at', 'amount'])
    group by all
),
won as (
    select count(*) as won_deals, coalesce(sum(amount), 0) as bookings
    from deals
    where is_won and closed_at >= $period_start and closed_at < $period_end
        and not list_has_any(flags, ['closed_at', 'amount'])
),
quota as (
    select sum(value) as quota from daily_targets
    where metric = 'bookings' and day_start >= $period_start and day_start < $period_end
)
select
    w.won_deals,
    w.bookings::double as bookings,
    q.quota,
    w.bookings / q.quota as attainment,
    (select list(coalesce(b.amount, 0)::double order by r.quarter_start)
     from last_quarters($period_end, 6) r left join by_quarter b using (quarter_start)) as bookings_by_quarter
from won w, quota q
