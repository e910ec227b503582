/*
title: Bookings against the start-of-quarter forecast
question: 'Did the quarters land where sales said they would?'
description: >-
  Sum of the sales owners' start-of-quarter bookings forecasts against the amount actually
  won in each fiscal quarter. The running quarter is compared to date: its forecast is
  pro-rated to the share of the quarter that has passed (forecast_to_date), so its error
  is actual to date − forecast to date, never the whole quarter's forecast against a few
  weeks of bookings. Complete quarters compare the whole forecast.
chart: line
x: quarter
y: [forecast_to_date, actual]
format: {forecast: currency, forecast_to_date: currency, actual: currency, error: currency}
order: 20
glossary: [forecast-error, running-period]
*/
with quarters as (
    select distinct quarter_key, quarter_start, quarter_label, quarter_is_complete,
        quarter_elapsed
    from calendar
),
forecast as (
    select period as quarter_key, sum(forecast) as forecast
    from forecast_commitments
    where metric = 'bookings'
    group by period
),
actual as (
    select c.quarter_key, sum(d.amount)::decimal(18, 2) as actual
    from deals d
    join calendar c on c.day = calendar_day(d.closed_at)
    where d.is_won and d.closed_at < $as_of
    group by all
)
select
    q.quarter_label as quarter,
    f.forecast::double as forecast,
    (f.forecast * q.quarter_elapsed)::double as forecast_to_date,
    coalesce(a.actual, 0)::double as actual,
    (coalesce(a.actual, 0) - f.forecast * q.quarter_elapsed)::double as error,
    q.quarter_is_complete as is_complete,
    q.quarter_elapsed as fraction_elapsed
from forecast f
join quarters q using (quarter_key)
left join actual a using (quarter_key)
where q.quarter_elapsed > 0
order by q.quarter_start
