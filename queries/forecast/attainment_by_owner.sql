/*
title: Quota attainment by owner
question: Which reps are ahead of quota, and which are behind?
description: >-
  Per sales owner: the amount of the deals they won in the period against their quota
  (targets: bookings per owner; a running period is held to the elapsed part of it). An
  owner below 85 % of quota is drawn in the emphasis colour and goes on the home page's
  attention list.
chart: horizontal_bar
x: owner
y: attainment
reference: {value: 1, label: Quota}
highlight: {column: behind, label: Below 85 % of quota}
headline: attainment
attention: {when: behind, say: '{owner} booked {bookings} against a quota of {quota} ({attainment}).'}
format: {won_deals: integer, bookings: currency, quota: currency, attainment: percent}
sort: attainment
order: 6
glossary: [quota-attainment]
*/
with quota as (
    select owner, sum(value) as quota from daily_targets
    where metric = 'bookings' and owner is not null
        and day_start >= $period_start and day_start < $period_end
    group by owner
),
won as (
    select coalesce(owner, '(no owner)') as owner, count(*) as won_deals,
        sum(amount) as bookings
    from deals
    where is_won and closed_at >= $period_start and closed_at < $period_end
        and not list_has_any(flags, ['closed_at', 'amount'])
    group by all
)
select
    owner,
    coalesce(w.won_deals, 0) as won_deals,
    coalesce(w.bookings, 0)::double as bookings,
    q.quota,
    coalesce(w.bookings, 0) / q.quota as attainment,
    coalesce(coalesce(w.bookings, 0) / q.quota < 0.85, false) as behind
from quota q
full join won w using (owner)
order by attainment nulls last, owner
