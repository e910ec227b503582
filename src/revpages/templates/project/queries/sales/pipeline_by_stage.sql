/*
title: Open pipeline by stage
description: Amount of the deals that are still open, by their current stage.
chart: bar
x: stage
y: amount
format: {amount: currency, deals: integer}
order: 2
*/
select stage, count(*) as deals, sum(amount) as amount
from deals
where not is_closed
group by stage
order by min(created_at)
