/*
title: Win rate by source
description: Won deals out of closed deals, per source channel.
chart: bar
x: source
y: win_rate
format: {win_rate: percent, closed: integer}
sort: -win_rate
*/
select source, count(*) as closed, avg(is_won::int) as win_rate
from deals
where is_closed
group by source
