/*
title: Forecast bias by owner
description: >-
  Each owner's forecast submitted at the start of a quarter against the actual: bookings
  (won amount closed in the quarter) for sales owners, leads created for marketing. Only
  complete quarters count. Bias = Σ(F − A) / ΣA: positive over-forecasts (optimist),
  negative under-forecasts (sandbagger). WAPE = Σ|A − F| / Σ|A|. Tracking signal =
  Σ(A − F) / mean |A − F|; |TS| > 4 is flagged.
chart: bar
x: owner
y: bias
format: {quarters: integer, actual: number, forecast: number, bias: percent, wape: percent,
         mape: percent, tracking_signal: number}
sort: bias
order: 10
glossary: [forecast-bias, wape]
*/
with data_end as (
    select max(created_at) as ends from leads where not list_contains(flags, 'created_at')
),
complete as (
    select s.*
    from forecast_commitments s
    cross join data_end e
    where s.metric in ('bookings', 'leads')
        and make_date(left(s.period, 4)::int, right(s.period, 1)::int * 3 - 2, 1)
            + interval 3 months <= e.ends
),
actuals as (
    select 'bookings' as metric, owner,
           strftime(closed_at, '%Y') || '-Q' || quarter(closed_at) as period,
           sum(amount)::decimal(18, 2) as actual
    from deals
    where is_won
    group by all
    union all
    select 'leads', 'Marketing', strftime(created_at, '%Y') || '-Q' || quarter(created_at),
           count(*)::decimal(18, 2)
    from leads
    group by all
),
-- Decimal sums are exact, so the result does not depend on how threads split the work.
errors as (
    select c.owner, c.metric, c.period, c.forecast, coalesce(a.actual, 0) as actual,
           coalesce(a.actual, 0) - c.forecast as error
    from complete c
    left join actuals a using (metric, owner, period)
)
select
    owner,
    metric,
    count(*) as quarters,
    sum(actual)::double as actual,
    sum(forecast)::double as forecast,
    (sum(forecast - actual) / nullif(sum(actual), 0))::double as bias,
    (sum(abs(error)) / nullif(sum(abs(actual)), 0))::double as wape,
    avg((abs(error) / nullif(actual, 0))::decimal(18, 9))::double as mape,
    (sum(error) / nullif(avg(abs(error)), 0))::double as tracking_signal,
    abs(sum(error) / nullif(avg(abs(error)), 0)) > 4 as flagged
from errors
group by owner, metric
order by bias, owner, metric
