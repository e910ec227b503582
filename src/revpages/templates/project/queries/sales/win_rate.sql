/*
title: Win rate
question: Of the deals we finish, how many do we win?
description: >-
  Deals closed in the period: won / (won + lost); open deals are left out. Compared with the
  prior period and against the sales target (targets: win_rate). The small line shows the
  last six quarters.
chart: kpi
y: [win_rate]
reference: {y: win_rate, value: target, label: Target, better: higher}
sparkline: {win_rate: win_rate_by_quarter}
format: {won: integer, lost: integer, win_rate: percent, target: percent}
compare: [prior]
better: {win_rate: higher}
home: 50
order: 9
glossary: [win-rate]
*/
with by_quarter as (
    select c.quarter_start, count(*) filter (where d.is_won) / count(*) as win_rate
    from deals d join calendar c on c.day = calendar_day(d.closed_at)
    where d.is_closed and d.closed_at < $period_end and not list_contains(d.flags, 'closed_at')
    group by all
),
closed as (
    select count(*) filter (where is_won) as won, count(*) filter (where not is_won) as lost
    from deals
    where is_closed and closed_at >= $period_start and closed_at < $period_end
        and not list_contains(flags, 'closed_at')
)
select
    won,
    lost,
    won / nullif(won + lost, 0) as win_rate,
    (select avg(t.value) from targets t
     join calendar c on c.quarter_key = t.period
     where t.metric = 'win_rate' and t.owner is null and t.segment is null
         and c.day_start >= $period_start and c.day_start < $period_end) as target,
    (select list(b.win_rate order by q.quarter_start)
     from last_quarters($period_end, 6) q left join by_quarter b using (quarter_start)) as win_rate_by_quarter
from closed
