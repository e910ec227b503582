/*
title: Time in each deal stage
description: >-
  Days from entering a stage to entering the next one, over every completed stay
  (median, p75, p90). Deals still sitting in a stage are not counted here, nor entries
  whose date is flagged on the data-quality page; a re-entry into a stage is a stay of its
  own.
chart: table
format: {stays: integer, median_days: days, p75_days: days, p90_days: days}
order: 50
glossary: [time-in-stage]
*/
with stays as (
    select
        stage,
        epoch(
            lead(entered_at) over (partition by deal_id order by entered_at, stage) - entered_at
        ) / 86400 as days
    from stage_history
    where not list_contains(flags, 'entered_at')
)
select
    stage,
    count(days) as stays,
    median(days) as median_days,
    quantile_cont(days, 0.75) as p75_days,
    quantile_cont(days, 0.9) as p90_days
from stays
where stage in ('qualification', 'discovery', 'proposal', 'negotiation')
group by stage
order by list_position(['qualification', 'discovery', 'proposal', 'negotiation'], stage)
