/*
title: Deal size and cycle with and without each competitor
question: 'Does a competitor make our deals smaller or slower?'
description: >-
  Deals closed in the period: median amount and median days from created to closed on the
  deals where the competitor was recorded, against all other deals closed in the period,
  with n. The same deals as the win rate against each competitor. A flagged amount or date
  (see the data-quality page) is left out of its median. The chart joins each competitor's
  median deal size without and with it; the cycle is in the table.
chart: dumbbell
x: competitor
y: [median_amount_without, median_amount_with]
n: closed_with
format: {closed_with: integer, closed_without: integer, median_amount_with: currency,
         median_amount_without: currency, median_cycle_days_with: days,
         median_cycle_days_without: days}
sort: competitor
order: 40
glossary: [competitor-presence]
*/
with closed as (
    select
        deal_id,
        case when not list_contains(flags, 'amount') then amount end as amount,
        case when not list_has_any(flags, ['created_at', 'closed_at'])
            then epoch(closed_at - created_at) / 86400 end as cycle_days
    from deals
    where is_closed and closed_at >= $period_start and closed_at < $period_end
),
flagged as (
    select
        n.competitor,
        d.amount,
        d.cycle_days,
        exists (
            select 1 from deal_competitors c
            where c.deal_id = d.deal_id and c.competitor = n.competitor
        ) as present
    from closed d
    cross join (select distinct competitor from deal_competitors) n
)
select
    competitor,
    count(*) filter (where present) as closed_with,
    count(*) filter (where not present) as closed_without,
    median(amount) filter (where present) as median_amount_with,
    median(amount) filter (where not present) as median_amount_without,
    median(cycle_days) filter (where present) as median_cycle_days_with,
    median(cycle_days) filter (where not present) as median_cycle_days_without
from flagged
group by competitor
having count(*) filter (where present) > 0
order by competitor
