/*
title: Marketing spend per month by channel
description: >-
  Money spent each month on campaigns, by channel. Organic and direct traffic have no
  spend of their own.
chart: stacked_bar
x: month
y: spend
color: channel
format: {spend: currency}
order: 10
*/
select month, channel, sum(amount) as spend
from spend
group by month, channel
order by month, channel
