/*
title: Speed to lead
description: >-
  Time from a lead becoming an MQL (or from its creation when it has no MQL date) to the
  first sales activity, over the MQLs of the period. Shares are of all those MQLs, so
  leads not touched by the as-of date count against every threshold. Each number is
  compared with the prior period and the same period last year.
chart: kpi
y: [median_minutes, within_5_min, within_1_hour, within_24_hours, never_touched]
format: {mqls: integer, median_minutes: number, p90_hours: number, within_5_min: percent,
         within_1_hour: percent, within_24_hours: percent, never_touched: percent}
compare: [prior, last_year]
better: {median_minutes: lower, within_5_min: higher, within_1_hour: higher,
         within_24_hours: higher, never_touched: lower}
order: 10
glossary: [speed-to-lead, period-over-period]
*/
with mqls as (
    select
        case when first_touch_at < $as_of
            then epoch(first_touch_at - coalesce(mql_at, created_at)) / 60 end as minutes
    from leads
    where (mql_at is not null or sal_at is not null or sql_at is not null)
        and not list_has_any(flags, ['created_at', 'mql_at', 'first_touch_at'])
        and coalesce(mql_at, created_at) >= $period_start
        and coalesce(mql_at, created_at) < $period_end
)
select
    count(*) as mqls,
    median(minutes) as median_minutes,
    quantile_cont(minutes, 0.9) / 60 as p90_hours,
    count(*) filter (where minutes <= 5) / count(*) as within_5_min,
    count(*) filter (where minutes <= 60) / count(*) as within_1_hour,
    count(*) filter (where minutes <= 1440) / count(*) as within_24_hours,
    count(*) filter (where minutes is null) / count(*) as never_touched
from mqls
