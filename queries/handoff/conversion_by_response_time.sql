/*
title: Conversion by response time
description: >-
  MQLs grouped by how fast sales first answered (from MQL, or from creation without an MQL
  date), and the share of each group that became an SQL and an opportunity. MQLs of the
  last 30 days before the latest lead are left out: they have not had time to qualify.
chart: bar
x: response_time
y: sql_rate
format: {mqls: integer, sql_rate: percent, opportunity_rate: percent}
order: 30
glossary: [speed-to-lead]
*/
with mqls as (
    select
        epoch(l.first_touch_at - coalesce(l.mql_at, l.created_at)) / 60 as minutes,
        l.sql_at is not null or l.converted_deal_id is not null as reached_sql,
        l.converted_deal_id is not null as reached_opportunity
    from leads l
    where (l.mql_at is not null or l.sal_at is not null or l.sql_at is not null)
        and not list_has_any(l.flags, ['created_at', 'mql_at', 'first_touch_at'])
        and coalesce(l.mql_at, l.created_at)
            < (select max(created_at) - interval 30 days from leads where not list_contains(flags, 'created_at'))
),
bucketed as (
    select
        case
            when minutes is null then 5
            when minutes <= 5 then 1
            when minutes <= 60 then 2
            when minutes <= 1440 then 3
            else 4
        end as bucket,
        reached_sql,
        reached_opportunity
    from mqls
)
select
    ['0-5 min', '5-60 min', '1-24 h', 'over 24 h', 'never touched'][bucket] as response_time,
    count(*) as mqls,
    count(*) filter (where reached_sql) / count(*) as sql_rate,
    count(*) filter (where reached_opportunity) / count(*) as opportunity_rate
from bucketed
group by bucket
order by bucket
