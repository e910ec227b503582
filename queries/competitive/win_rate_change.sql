/*
title: Win rate against each competitor, now and before
question: Against whom are we losing ground?
description: >-
  Per competitor: the change in our win rate, from the deals closed in the four quarters
  before the period where it was recorded to those closed in the period (in points). A competitor is flagged
  (emphasis colour, and the home page's attention list) when our win rate against it fell
  by 10 points or more, on at least 15 closed deals in the period and 30 before; smaller
  samples cannot tell a fall from noise.
chart: horizontal_bar
x: competitor
y: change
reference: {value: 0, label: No change}
highlight: {column: fell, label: Fell by 10 points or more}
headline: change
attention: {when: fell, say: 'Our win rate against {competitor} fell from {win_rate_before} to {win_rate} ({change}, {closed_deals} deals).'}
format: {closed_deals: integer, win_rate: percent, closed_deals_before: integer,
         win_rate_before: percent, change: percent}
sort: change
order: 15
glossary: [win-rate-against]
*/
with closed as (
    select c.competitor, d.is_won,
        d.closed_at >= $period_start as in_period
    from deal_competitors c
    join deals d using (deal_id)
    where d.is_closed and d.closed_at < $period_end
        and d.closed_at >= $period_start - interval 12 month
        and not list_contains(d.flags, 'closed_at')
),
tally as (
    select competitor,
        count(*) filter (where in_period) as closed_deals,
        count(*) filter (where in_period and is_won) / nullif(closed_deals, 0) as win_rate,
        count(*) filter (where not in_period) as closed_deals_before,
        count(*) filter (where not in_period and is_won) / nullif(closed_deals_before, 0)
            as win_rate_before
    from closed
    group by competitor
)
select *,
    win_rate - win_rate_before as change,
    coalesce(win_rate - win_rate_before <= -0.10
        and closed_deals >= 15 and closed_deals_before >= 30, false) as fell
from tally
order by change nulls last, competitor
