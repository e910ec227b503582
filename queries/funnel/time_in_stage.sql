/*
title: Time in each deal stage
question: 'Where do deals wait longest?'
description: >-
  Days from entering a stage to entering the next one, over the stays that ended in the
  period (median, p75, p90). Deals still sitting in a stage are not counted here. The
  chart joins each stage's median to its p90: the longer the line, the more deals linger
  far beyond a typical stay.
chart: dumbbell
x: stage
y: [median_days, p90_days]
n: stays
format: {stays: integer, median_days: days, p75_days: days, p90_days: days}
order: 50
glossary: [time-in-stage]
*/
with stays as (
    select
        stage,
        entered_at,
        lead(entered_at) over (partition by deal_id order by entered_at, stage) as left_at
    from stage_history
    where not list_contains(flags, 'entered_at')
)
select
    stage,
    count(*) as stays,
    median(epoch(left_at - entered_at) / 86400) as median_days,
    quantile_cont(epoch(left_at - entered_at) / 86400, 0.75) as p75_days,
    quantile_cont(epoch(left_at - entered_at) / 86400, 0.9) as p90_days
from stays
where stage in ('qualification', 'discovery', 'proposal', 'negotiation')
    and left_at >= $period_start and left_at < $period_end
group by stage
order by list_position(['qualification', 'discovery', 'proposal', 'negotiation'], stage)
