/*
title: Sales velocity
description: >-
  Open opportunities × win rate × average won deal size / median sales cycle: the revenue
  the pipeline produces per day. Win rate, deal size and cycle use deals closed in the last
  365 days before the latest deal event; the cycle is days from opportunity created to won.
  Deals with a flagged amount or date (see the data-quality page) are left out of the
  average size or the cycle, but still count as won or lost.
chart: kpi
y: [open_opportunities, win_rate, average_deal_size, sales_cycle_days, velocity_per_day]
format: {open_opportunities: integer, win_rate: percent, average_deal_size: currency,
         sales_cycle_days: days, velocity_per_day: currency}
order: 60
glossary: [sales-velocity, win-rate]
*/
with window_end as (
    select greatest(
        max(created_at) filter (where not list_contains(flags, 'created_at')),
        max(closed_at) filter (where is_closed and not list_contains(flags, 'closed_at'))
    ) as ends
    from deals
),
recent as (
    select d.*
    from deals d
    cross join window_end w
    where d.is_closed and d.closed_at > w.ends - interval 365 days
),
parts as (
    select
        (select count(*) from deals where not is_closed) as open_opportunities,
        count(*) filter (where is_won) / count(*) as win_rate,
        avg(amount) filter (where is_won and not list_contains(flags, 'amount'))
            as average_deal_size,
        median(epoch(closed_at - created_at) / 86400)
            filter (where is_won and not list_has_any(flags, ['created_at', 'closed_at']))
            as sales_cycle_days
    from recent
)
select
    open_opportunities,
    win_rate,
    average_deal_size,
    sales_cycle_days,
    open_opportunities * win_rate * average_deal_size / sales_cycle_days as velocity_per_day
from parts
