/*
title: Sales velocity
question: 'How much revenue does the open pipeline produce per day?'
description: >-
  Open opportunities × win rate × average won deal size / median sales cycle: the revenue
  the pipeline produces per day. Win rate, deal size and cycle use the deals closed in the
  period (the cycle is days from opportunity created to won); open opportunities are those
  open at the end of the period. Each number is compared with the prior period and the
  same period last year, computed the same way. Deals with a flagged amount or date (see
  the data-quality page) are left out of the average size or the cycle, but still count as
  won or lost.
chart: kpi
y: [open_opportunities, win_rate, average_deal_size, sales_cycle_days, velocity_per_day]
format: {open_opportunities: integer, win_rate: percent, average_deal_size: currency,
         sales_cycle_days: days, velocity_per_day: currency}
compare: [prior, last_year]
better: {open_opportunities: higher, win_rate: higher, average_deal_size: higher,
         sales_cycle_days: lower, velocity_per_day: higher}
order: 60
glossary: [sales-velocity, win-rate, period-over-period]
*/
with closed as (
    select *
    from deals
    where is_closed and closed_at >= $period_start and closed_at < $period_end
),
parts as (
    select
        (
            select count(*) from deals
            where created_at < $period_end
                and (not is_closed or closed_at >= $period_end)
        ) as open_opportunities,
        count(*) filter (where is_won) / count(*) as win_rate,
        avg(amount) filter (where is_won and not list_contains(flags, 'amount'))
            as average_deal_size,
        median(epoch(closed_at - created_at) / 86400)
            filter (where is_won and not list_has_any(flags, ['created_at', 'closed_at']))
            as sales_cycle_days
    from closed
)
select
    open_opportunities,
    win_rate,
    average_deal_size,
    sales_cycle_days,
    open_opportunities * win_rate * average_deal_size / sales_cycle_days as velocity_per_day
from parts
