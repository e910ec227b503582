/*
title: Pipeline created
question: Are we creating enough new pipeline?
description: >-
  The amount of the opportunities created in the period, against the pipeline target
  (targets: pipeline; a running period is held to the elapsed part of it), and compared with
  the prior period. The small line shows the last six quarters.
chart: kpi
y: [pipeline_created]
reference: {y: pipeline_created, value: target, label: Target, better: higher}
sparkline: {pipeline_created: pipeline_by_quarter}
format: {opportunities: integer, pipeline_created: currency, target: currency,
         attainment: percent}
compare: [prior]
better: {pipeline_created: higher}
home: 30
order: 8
glossary: [pipeline-created]
*/
with by_quarter as (
    select c.quarter_start, sum(d.amount) as amount
    from deals d join calendar c on c.day = calendar_day(d.created_at)
    where d.created_at < $period_end and not list_has_any(d.flags, ['created_at', 'amount'])
    group by all
),
created as (
    select count(*) as opportunities, coalesce(sum(amount), 0) as pipeline_created
    from deals
    where created_at >= $period_start and created_at < $period_end
        and not list_has_any(flags, ['created_at', 'amount'])
),
target as (
    select sum(value) as target from daily_targets
    where metric = 'pipeline' and day_start >= $period_start and day_start < $period_end
)
select
    c.opportunities,
    c.pipeline_created::double as pipeline_created,
    t.target,
    c.pipeline_created / t.target as attainment,
    (select list(coalesce(b.amount, 0)::double order by q.quarter_start)
     from last_quarters($period_end, 6) q left join by_quarter b using (quarter_start)) as pipeline_by_quarter
from created c, target t
