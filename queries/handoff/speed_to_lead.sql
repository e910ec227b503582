/*
title: Speed to lead
description: >-
  Time from a lead becoming an MQL (or from its creation when it has no MQL date) to the
  first sales activity, over the MQLs of the last 365 days up to a week before the latest
  lead (younger ones have not had a fair chance). Shares are of all those MQLs, so leads
  never touched count against every threshold.
chart: kpi
y: [median_minutes, within_5_min, within_1_hour, within_24_hours, never_touched]
format: {mqls: integer, median_minutes: number, p90_hours: number, within_5_min: percent,
         within_1_hour: percent, within_24_hours: percent, never_touched: percent}
order: 10
glossary: [speed-to-lead]
*/
with bounds as (
    select max(created_at) - interval 7 days as window_end,
           max(created_at) - interval 372 days as window_start
    from leads
    where not list_contains(flags, 'created_at')
),
mqls as (
    select epoch(l.first_touch_at - coalesce(l.mql_at, l.created_at)) / 60 as minutes
    from leads l
    cross join bounds b
    where (l.mql_at is not null or l.sal_at is not null or l.sql_at is not null)
        and not list_has_any(l.flags, ['created_at', 'mql_at', 'first_touch_at'])
        and coalesce(l.mql_at, l.created_at) >= b.window_start
        and coalesce(l.mql_at, l.created_at) < b.window_end
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
