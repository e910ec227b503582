/*
description: >-
  One row per period, owner and metric: the first forecast submitted for it, which is the
  start-of-quarter commitment the actuals are compared with.
*/
select period, owner, metric, arg_min(forecast_value, submitted_at)::decimal(18, 2) as forecast
from forecasts
group by period, owner, metric
