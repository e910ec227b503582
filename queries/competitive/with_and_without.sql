/*
title: Deal size and cycle with and without each competitor
description: >-
  Median amount of all opportunities, and median days from created to closed of closed
  deals, on deals where the competitor was recorded against all other deals, with n. A
  flagged amount or date (see the data-quality page) is left out of its median.
chart: table
format: {deals_with: integer, median_amount_with: currency, median_amount_without: currency,
         closed_with: integer, median_cycle_days_with: days, median_cycle_days_without: days}
sort: competitor
order: 40
glossary: [competitor-presence]
*/
with flagged as (
    select
        n.competitor,
        case when not list_contains(d.flags, 'amount') then d.amount end as amount,
        d.is_closed,
        case when not list_has_any(d.flags, ['created_at', 'closed_at'])
            then epoch(d.closed_at - d.created_at) / 86400 end as cycle_days,
        exists (
            select 1 from deal_competitors c
            where c.deal_id = d.deal_id and c.competitor = n.competitor
        ) as present
    from deals d
    cross join (select distinct competitor from deal_competitors) n
)
select
    competitor,
    count(*) filter (where present) as deals_with,
    median(amount) filter (where present) as median_amount_with,
    median(amount) filter (where not present) as median_amount_without,
    count(*) filter (where present and is_closed) as closed_with,
    median(cycle_days) filter (where present and is_closed) as median_cycle_days_with,
    median(cycle_days) filter (where not present and is_closed) as median_cycle_days_without
from flagged
group by competitor
order by competitor
