/*
description: >-
  One row per target and day of its fiscal quarter: the quarter's target spread evenly over
  its days, so a period of any length sums its share of it, and a running quarter (whose
  period ends at the as-of moment) is held to the part of the target that has elapsed.
*/
with quarters as (
    select distinct quarter_key, quarter_start,
        date_diff('day', quarter_start, quarter_start + interval 3 month) as days
    from calendar
)
select t.metric, t.period, t.owner, t.team, t.segment, t.channel, c.day, c.day_start,
    t.value / q.days as value
from targets t
join quarters q on q.quarter_key = t.period
join calendar c on c.quarter_key = t.period
where t.value is not null and not list_contains(t.flags, 'value')
