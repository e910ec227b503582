/*
title: Win rate against each competitor by segment
description: >-
  Deals closed in the period where the competitor was recorded, won / (won + lost), split
  by market segment: where each competitor is strong. The same deals as the win rate
  against each competitor; read each rate with its number of closed deals.
chart: bar
x: competitor
y: win_rate
color: segment
format: {closed_deals: integer, win_rate: percent}
order: 20
glossary: [win-rate-against]
*/
select
    c.competitor,
    d.segment,
    count(*) as closed_deals,
    count(*) filter (where d.is_won) / count(*) as win_rate
from deal_competitors c
join deals d using (deal_id)
where d.is_closed and d.closed_at >= $period_start and d.closed_at < $period_end
group by c.competitor, d.segment
order by
    c.competitor,
    list_position(['smb', 'mid_market', 'enterprise'], d.segment),
    d.segment
