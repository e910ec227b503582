/*
title: Marketing spend per month by channel
description: >-
  Money spent each month on campaigns, by channel. Organic and direct traffic have no
  spend of their own. The table has a column per channel.
chart: stacked_bar
x: month
y: spend
color: channel
pivot: {rows: month, columns: channel, values: spend}
format: {spend: currency}
order: 10
*/
select month, channel, sum(amount) as spend
from spend
group by month, channel
order by month, channel
