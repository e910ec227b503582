/*
title: Forecast accuracy
question: Can we trust what sales calls at the start of the quarter?
description: >-
  For the quarters of the period: 1 − WAPE of the sales owners' start-of-quarter bookings
  forecasts, where WAPE = Σ|actual − forecast| / Σ actual over owners and quarters, so one
  owner's miss is not cancelled by another's. Bias = Σ(forecast − actual) / Σ actual:
  positive over-forecasts. A running quarter's forecast is pro-rated to the part of the
  quarter that has passed. Compared with the prior period and against the target (targets:
  forecast_accuracy). The small line shows the last six quarters that had ended by the
  end of the period.
chart: kpi
y: [forecast_accuracy]
reference: {y: forecast_accuracy, value: target, label: Target, better: higher}
sparkline: {forecast_accuracy: accuracy_by_quarter}
format: {owners: integer, forecast: currency, actual: currency, forecast_accuracy: percent,
         bias: percent, target: percent}
compare: [prior]
better: {forecast_accuracy: higher}
home: 70
order: 5
glossary: [wape, forecast-bias]
*/
with quarters as (
    select quarter_key,
        least(1, greatest(0, epoch($as_of - min(quarter_start)::timestamp)
            / epoch(min(quarter_start) + interval 3 month - min(quarter_start)))) as elapsed
    from calendar
    where day_start >= $period_start and day_start < $period_end
    group by quarter_key
),
committed as (
    select f.owner, f.period, f.forecast * q.elapsed as forecast
    from forecast_commitments f
    join quarters q on q.quarter_key = f.period
    where f.metric = 'bookings'
),
actual as (
    select d.owner, c.quarter_key as period, sum(d.amount) as actual
    from deals d
    join calendar c on c.day = calendar_day(d.closed_at)
    where d.is_won and d.closed_at < $as_of and not list_has_any(d.flags, ['closed_at', 'amount'])
    group by all
),
errors as (
    select c.owner, c.forecast, coalesce(a.actual, 0) as actual
    from committed c
    left join actual a using (owner, period)
),
-- Each whole quarter's accuracy; a quarter still running at the period's end has none.
by_quarter as (
    select k.quarter_start,
        1 - sum(abs(coalesce(a.actual, 0) - f.forecast)) / nullif(sum(coalesce(a.actual, 0)), 0)
            as accuracy
    from forecast_commitments f
    join (select distinct quarter_key, quarter_start from calendar) k
        on k.quarter_key = f.period
    left join actual a on a.owner = f.owner and a.period = f.period
    where f.metric = 'bookings' and k.quarter_start + interval 3 month <= $period_end
    group by k.quarter_start
)
select
    count(distinct owner) as owners,
    sum(forecast)::double as forecast,
    sum(actual)::double as actual,
    (1 - sum(abs(actual - forecast)) / nullif(sum(actual), 0))::double as forecast_accuracy,
    (sum(forecast - actual) / nullif(sum(actual), 0))::double as bias,
    (select avg(t.value) from targets t
     join calendar c on c.quarter_key = t.period
     where t.metric = 'forecast_accuracy' and t.owner is null
         and c.day_start >= $period_start and c.day_start < $period_end) as target,
    (select list(b.accuracy::double order by q.quarter_start)
     from last_quarters($period_end, 6) q left join by_quarter b using (quarter_start))
        as accuracy_by_quarter
from errors
