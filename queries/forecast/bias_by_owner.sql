/*
title: Forecast bias by owner
question: 'Who sandbags and who is blowing smoke?'
description: >-
  Each owner's forecast submitted at the start of a fiscal quarter against the actual:
  bookings (won amount closed in the quarter) for sales owners, leads created for
  marketing. Only complete quarters count: the running quarter is left out of every
  measure. Bias = Σ(F − A) / ΣA: positive over-forecasts (optimist), negative
  under-forecasts (sandbagger). WAPE = Σ|A − F| / Σ|A|. Tracking signal = Σ(A − F) /
  mean |A − F|; |TS| > 4 is flagged: a bias that persists quarter after quarter, drawn in
  the emphasis colour. The band marks ±10 %, the tolerance this site holds forecasts to.
chart: horizontal_bar
x: owner
y: bias
highlight: {column: flagged, label: 'Tracking signal beyond ±4: persistent bias'}
reference: {from: -0.1, to: 0.1, label: Within ±10 %}
format: {quarters: integer, actual_bookings: currency, forecast_bookings: currency,
         actual_leads: integer, forecast_leads: integer, bias: percent, wape: percent,
         mape: percent, tracking_signal: number}
attention: {when: flagged, say: '{owner} {verdict}: bias {bias} over {quarters} quarters, tracking signal {tracking_signal}.'}
sort: -bias
headline: bias
order: 10
glossary: [forecast-bias, wape]
*/
with complete as (
    select distinct quarter_key from calendar where quarter_is_complete
),
committed as (
    select s.*
    from forecast_commitments s
    join complete c on c.quarter_key = s.period
    where s.metric in ('bookings', 'leads')
),
actuals as (
    select 'bookings' as metric, d.owner, c.quarter_key as period,
           sum(d.amount)::decimal(18, 2) as actual
    from deals d
    join calendar c on c.day = calendar_day(d.closed_at)
    where d.is_won and d.closed_at < $as_of
    group by all
    union all
    select 'leads', 'Marketing', c.quarter_key, count(*)::decimal(18, 2)
    from leads l
    join calendar c on c.day = calendar_day(l.created_at)
    where l.created_at < $as_of
    group by all
),
-- Decimal sums are exact, so the result does not depend on how threads split the work.
errors as (
    select c.owner, c.metric, c.period, c.forecast, coalesce(a.actual, 0) as actual,
           coalesce(a.actual, 0) - c.forecast as error
    from committed c
    left join actuals a using (metric, owner, period)
)
select
    owner,
    metric,
    (sum(forecast - actual) / nullif(sum(actual), 0))::double as bias,
    (sum(error) / nullif(avg(abs(error)), 0))::double as tracking_signal,
    abs(sum(error) / nullif(avg(abs(error)), 0)) > 4 as flagged,
    case when sum(forecast - actual) < 0 then 'sandbags (forecasts under the actual)'
        else 'over-forecasts (an optimist)' end as verdict,
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
