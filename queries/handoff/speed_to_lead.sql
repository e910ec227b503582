/*
title: Speed to lead
question: 'How fast does sales answer a new MQL?'
description: >-
  Time from a lead becoming an MQL (or from its creation when it has no MQL date) to the
  first sales activity, over the MQLs of the period. Shares are of all those MQLs, so
  leads not touched by the as-of date count against every threshold. Each number is
  compared with the prior period and the same period last year. The SLA asks sales to
  touch 80 % of MQLs within an hour; the small lines run month by month through the
  period.
chart: kpi
y: [median_minutes, within_5_min, within_1_hour, within_24_hours, never_touched]
reference:
  - {y: within_1_hour, value: 0.8, label: SLA target, better: higher}
sparkline: {median_minutes: median_minutes_by_month, within_1_hour: within_1_hour_by_month}
format: {mqls: integer, median_minutes: minutes, p90_hours: hours, within_5_min: percent,
         within_1_hour: percent, within_24_hours: percent, never_touched: percent}
compare: [prior, last_year]
better: {median_minutes: lower, within_5_min: higher, within_1_hour: higher,
         within_24_hours: higher, never_touched: lower}
order: 10
glossary: [speed-to-lead, period-over-period]
*/
with mqls as (
    select
        case when r.first_touch_at < $as_of
            then epoch(r.first_touch_at - r.since) / 60 end as minutes,
        c.month_start as month
    from mql_responses r
    join calendar c on c.day = calendar_day(r.since)
    where r.since >= $period_start and r.since < $period_end
)
select
    count(*) as mqls,
    median(minutes) as median_minutes,
    quantile_cont(minutes, 0.9) / 60 as p90_hours,
    count(*) filter (where minutes <= 5) / count(*) as within_5_min,
    count(*) filter (where minutes <= 60) / count(*) as within_1_hour,
    count(*) filter (where minutes <= 1440) / count(*) as within_24_hours,
    count(*) filter (where minutes is null) / count(*) as never_touched,
    (select list(median_minutes order by month) from (
        select month, median(minutes) as median_minutes from mqls group by month
    )) as median_minutes_by_month,
    (select list(share order by month) from (
        select month, count(*) filter (where minutes <= 60) / count(*) as share
        from mqls group by month
    )) as within_1_hour_by_month
from mqls
