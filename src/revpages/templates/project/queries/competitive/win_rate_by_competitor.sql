/*
title: Win rate against each competitor
description: >-
  Deals closed in the period where the competitor was recorded, won / (won + lost).
chart: bar
x: competitor
y: win_rate
format: {win_rate: percent, deals: integer}
sort: -win_rate
glossary: [win-rate-against]
*/
select competitor, count(*) as deals, avg(is_won::int) as win_rate
from deal_competitors join deals using (deal_id)
where is_closed and closed_at >= $period_start and closed_at < $period_end
group by competitor
order by competitor
