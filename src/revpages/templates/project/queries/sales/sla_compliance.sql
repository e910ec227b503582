/*
title: Speed-to-lead SLA compliance
question: Does sales call marketing's leads back in time?
description: >-
  Of the MQLs of the period, the share that got a first sales activity within the SLA
  (targets: sla_hours; one hour when no target says otherwise), against the compliance
  target (targets: sla_compliance), compared with the prior period. MQLs not touched by the
  as-of date count against it; those untouched and already older than the SLA are counted
  apart, since someone can still call them. The small line shows the last six quarters.
chart: kpi
y: [sla_compliance, untouched_past_sla]
reference: {y: sla_compliance, value: target, label: Target, better: higher}
sparkline: {sla_compliance: compliance_by_quarter}
format: {mqls: integer, sla_hours: hours, sla_compliance: percent,
         untouched_past_sla: integer, target: percent}
compare: [prior]
better: {sla_compliance: higher, untouched_past_sla: lower}
home: 80
order: 5
glossary: [sla-compliance, speed-to-lead]
*/
with sla as (
    select coalesce(
        (select avg(t.value) from targets t
         join calendar c on c.quarter_key = t.period
         where t.metric = 'sla_hours' and t.owner is null
             and c.day_start >= $period_start and c.day_start < $period_end), 1) as hours
),
-- Every MQL up to the period's end, for the small line of the last six quarters.
answered as (
    select
        r.since,
        case when r.first_touch_at < $as_of
            then epoch(r.first_touch_at - r.since) / 3600 end as hours,
        c.quarter_start
    from mql_responses r
    join calendar c on c.day = calendar_day(r.since)
    where r.since < $period_end
),
mqls as (
    select * from answered where since >= $period_start
)
select
    count(*) as mqls,
    any_value(s.hours) as sla_hours,
    count(*) filter (where m.hours <= s.hours) / count(*) as sla_compliance,
    count(*) filter (where m.hours is null
        and epoch($as_of - m.since) / 3600 > s.hours) as untouched_past_sla,
    (select avg(t.value) from targets t
     join calendar c on c.quarter_key = t.period
     where t.metric = 'sla_compliance' and t.owner is null
         and c.day_start >= $period_start and c.day_start < $period_end) as target,
    (select list(b.share order by q.quarter_start)
     from last_quarters($period_end, 6) q
     left join (
        select quarter_start,
            count(*) filter (where hours <= (select hours from sla)) / count(*) as share
        from answered group by quarter_start
     ) b using (quarter_start)) as compliance_by_quarter
from mqls m, sla s
