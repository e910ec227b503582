/*
title: Owner scorecard
question: How is this rep doing against quota, SLA and forecast?
description: >-
  One page per sales owner in the exports, with the same definitions as the team's reports:
  bookings (deals won in the period) against the owner's quota (targets), win rate over the
  deals closed in the period, the share of the owner's MQLs of the period touched within an
  hour, and the forecast bias over the complete quarters (Σ(forecast − actual) / Σ actual:
  positive over-forecasts).
chart: kpi
y: [bookings, win_rate, within_1_hour, forecast_bias]
reference:
  - {y: bookings, value: quota, label: Quota, better: higher}
format: {bookings: currency, quota: currency, attainment: percent, win_rate: percent,
         closed_deals: integer, mqls: integer, within_1_hour: percent,
         forecast_bias: percent}
compare: [prior]
better: {bookings: higher, win_rate: higher, within_1_hour: higher}
per: deals.owner
order: 40
glossary: [quota-attainment, win-rate, sla-compliance, forecast-bias]
*/
with closed as (
    select is_won, amount
    from deals
    where owner = $owner and is_closed
        and closed_at >= $period_start and closed_at < $period_end
        and not list_has_any(flags, ['closed_at', 'amount'])
),
quota as (
    select sum(value) as quota from daily_targets
    where metric = 'bookings' and owner = $owner
        and day_start >= $period_start and day_start < $period_end
),
mqls as (
    select first_touch_at < $as_of
        and epoch(first_touch_at - coalesce(mql_at, created_at)) <= 3600 as in_time
    from leads
    where owner = $owner and mql_at >= $period_start and mql_at < $period_end
        and not list_has_any(flags, ['created_at', 'mql_at', 'first_touch_at'])
),
bias as (
    select sum(f.forecast - coalesce(a.actual, 0)) / nullif(sum(coalesce(a.actual, 0)), 0)
        as forecast_bias
    from forecast_commitments f
    join (select distinct quarter_key from calendar where quarter_is_complete) q
        on q.quarter_key = f.period
    left join (
        select c.quarter_key as period, sum(d.amount) as actual
        from deals d join calendar c on c.day = calendar_day(d.closed_at)
        where d.owner = $owner and d.is_won and d.closed_at < $as_of
        group by all
    ) a using (period)
    where f.owner = $owner and f.metric = 'bookings'
)
select
    coalesce(sum(amount) filter (where is_won), 0)::double as bookings,
    (select quota from quota) as quota,
    coalesce(sum(amount) filter (where is_won), 0) / (select quota from quota) as attainment,
    count(*) as closed_deals,
    count(*) filter (where is_won) / nullif(count(*), 0) as win_rate,
    (select count(*) from mqls) as mqls,
    (select count(*) filter (where in_time) / nullif(count(*), 0) from mqls) as within_1_hour,
    (select forecast_bias::double from bias) as forecast_bias
from closed
