/*
title: MQL to SQL conversion
question: Do marketing's qualified leads turn into sales opportunities?
description: >-
  Of the leads that became MQLs in the period, the share that became sales qualified
  (SQL) by the as-of date; a lead that reached SQL without an MQL date counts as an MQL of
  the period it reached SQL in (skipped stages count as passed). Compared with the prior
  period and against marketing's target (targets: mql_to_sql). The small line shows the
  last six quarters' cohorts.
window: >-
  A cohort: the period's MQLs, followed to the as-of date. The newest have had little time
  to qualify, so a recent period's rate is low at first.
chart: kpi
y: [mql_to_sql]
reference: {y: mql_to_sql, value: target, label: Target, better: higher}
sparkline: {mql_to_sql: mql_to_sql_by_quarter}
format: {mqls: integer, sqls: integer, mql_to_sql: percent, target: percent}
compare: [prior]
better: {mql_to_sql: higher}
home: 20
order: 7
glossary: [cohort-conversion, target]
*/
with cohort as (
    select sql_at is not null and sql_at < $as_of as qualified
    from leads
    where coalesce(mql_at, sql_at) >= $period_start and coalesce(mql_at, sql_at) < $period_end
        and not list_has_any(flags, ['mql_at', 'sql_at'])
),
by_quarter as (
    select c.quarter_start,
        count(*) filter (where l.sql_at is not null and l.sql_at < $as_of) / count(*) as rate
    from leads l
    join calendar c on c.day = calendar_day(coalesce(l.mql_at, l.sql_at))
    where coalesce(l.mql_at, l.sql_at) < $period_end
        and not list_has_any(l.flags, ['mql_at', 'sql_at'])
    group by all
)
select
    count(*) as mqls,
    count(*) filter (where qualified) as sqls,
    count(*) filter (where qualified) / nullif(count(*), 0) as mql_to_sql,
    -- A rate's target is not summed over days: a period across quarters averages them.
    (select avg(t.value) from targets t
     join calendar c on c.quarter_key = t.period
     where t.metric = 'mql_to_sql' and t.owner is null and t.channel is null
         and c.day_start >= $period_start and c.day_start < $period_end) as target,
    (select list(b.rate order by q.quarter_start)
     from last_quarters($period_end, 6) q left join by_quarter b using (quarter_start))
        as mql_to_sql_by_quarter
from cohort
