/*
title: Open pipeline by stage
description: Amount of the deals open at the as-of moment, by their current stage.
chart: bar
x: stage
y: amount
format: {amount: currency, deals: integer}
order: 2
*/
select stage, count(*) as deals, sum(amount) as amount
from deals
where not is_closed and created_at < $as_of
group by stage
order by min(created_at)
