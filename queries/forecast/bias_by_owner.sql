/*
title: Forecast bias by owner
description: >-
  Each owner's forecast submitted at the start of a quarter against the actual: bookings
  (won amount closed in the quarter) for sales owners, leads created for marketing. Only
  complete quarters count. Bias = Σ(F − A) / ΣA: positive over-forecasts (optimist),
  negative under-forecasts (sandbagger). WAPE = Σ|A − F| / Σ|A|. Tracking signal =
  Σ(A − F) / mean |A − F|; |TS| > 4 is flagged: a bias that persists quarter after
  quarter, drawn in the emphasis colour. The band marks ±10 %, the tolerance this site
  holds forecasts to.
chart: horizontal_bar
x: owner
y: bias
highlight: {column: flagged, label: 'Tracking signal beyond ±4: persistent bias'}
reference: {from: -0.1, to: 0.1, label: Within ±10 %}
format: {quarters: integer, actual_bookings: currency, forecast_bookings: currency,
         actual_leads: integer, forecast_leads: integer, bias: percent, wape: percent,
         mape: percent, tracking_signal: number}
sort: -bias
order: 10
glossary: [forecast-bias, wape]
*/
with data_end as (
    select max(created_at) as ends from leads
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
    (sum(forecast - actual) / nullif(sum(actual), 0))::double as bias,
    (sum(error) / nullif(avg(abs(error)), 0))::double as tracking_signal,
    abs(sum(error) / nullif(avg(abs(error)), 0)) > 4 as flagged,
    (sum(abs(error)) / nullif(sum(abs(actual)), 0))::double as wape,
    avg((abs(error) / nullif(actual, 0))::decimal(18, 9))::double as mape,
    count(*) as quarters,
    -- Bookings are money and leads are counts: a column each, so each reads in its unit.
    (sum(actual) filter (where metric = 'bookings'))::double as actual_bookings,
    (sum(forecast) filter (where metric = 'bookings'))::double as forecast_bookings,
    (sum(actual) filter (where metric = 'leads'))::double as actual_leads,
    (sum(forecast) filter (where metric = 'leads'))::double as forecast_leads
from errors
group by owner, metric
order by bias, owner, metric
