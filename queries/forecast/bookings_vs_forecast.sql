/*
title: Bookings against the start-of-quarter forecast
description: >-
  Sum of the sales owners' start-of-quarter bookings forecasts against the amount actually
  won in each quarter. The current quarter is still running: its actual is to date.
chart: line
x: period
y: [forecast, actual]
format: {forecast: currency, actual: currency, error: currency}
order: 20
glossary: [forecast-error]
*/
with data_end as (
    select max(created_at) as ends from leads where not list_contains(flags, 'created_at')
),
forecast as (
    select period, sum(forecast) as forecast
    from forecast_commitments
    where metric = 'bookings'
    group by period
),
actual as (
    select strftime(closed_at, '%Y') || '-Q' || quarter(closed_at) as period,
           sum(amount)::decimal(18, 2) as actual
    from deals
    where is_won
    group by all
)
select
    f.period,
    f.forecast::double as forecast,
    coalesce(a.actual, 0)::double as actual,
    (coalesce(a.actual, 0) - f.forecast)::double as error,
    make_date(left(f.period, 4)::int, right(f.period, 1)::int * 3 - 2, 1)
        + interval 3 months <= e.ends as complete
from forecast f
cross join data_end e
left join actual a using (period)
order by f.period
