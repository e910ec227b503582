/*
title: Win rate against each competitor
description: Closed deals where the competitor was recorded, won / (won + lost).
chart: bar
x: competitor
y: win_rate
format: {win_rate: percent, deals: integer}
sort: -win_rate
glossary: [win-rate-against]
*/
select competitor, count(*) as deals, avg(is_won::int) as win_rate
from deal_competitors join deals using (deal_id)
where is_closed
group by competitor
order by competitor
