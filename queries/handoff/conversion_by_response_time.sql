/*
title: Conversion by response time
question: 'Does answering faster win more leads?'
description: >-
  The MQLs of the period (the same MQLs as the speed-to-lead page), grouped by how fast
  sales first answered (from MQL, or from creation without an MQL date), and the share of
  each group that became an SQL and an opportunity by the as-of date. MQLs that have not
  yet had the time 90 % of SQLs take (maturing) can still qualify: their count is shown,
  and a period that ends close to the as-of date understates the rates.
chart: bar
x: response_time
y: sql_rate
n: mqls
format: {mqls: integer, maturing: integer, sql_rate: percent, opportunity_rate: percent}
order: 30
glossary: [speed-to-lead]
*/
with lag as (
    select quantile_cont(epoch(sql_reached_at - mql_reached_at), 0.9) as seconds
    from lead_stages
    where sql_reached_at < $as_of
),
mqls as (
    select
        case when l.first_touch_at < $as_of
            then epoch(l.first_touch_at - coalesce(l.mql_at, l.created_at)) / 60 end
            as minutes,
        l.sql_reached_at < $as_of as reached_sql,
        l.opportunity_at < $as_of as reached_opportunity,
        epoch($as_of - coalesce(l.mql_at, l.created_at)) < g.seconds as maturing
    from lead_stages l
    cross join lag g
    where (l.mql_at is not null or l.sal_at is not null or l.sql_at is not null)
        and not list_has_any(l.flags, ['created_at', 'mql_at', 'first_touch_at'])
        and coalesce(l.mql_at, l.created_at) >= $period_start
        and coalesce(l.mql_at, l.created_at) < $period_end
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
        reached_opportunity,
        maturing
    from mqls
)
select
    ['0-5 min', '5-60 min', '1-24 h', 'over 24 h', 'never touched'][bucket] as response_time,
    count(*) as mqls,
    count(*) filter (where maturing) as maturing,
    count(*) filter (where reached_sql) / count(*) as sql_rate,
    count(*) filter (where reached_opportunity) / count(*) as opportunity_rate
from bucketed
group by bucket
order by bucket
