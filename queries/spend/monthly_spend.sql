/*
title: Marketing spend per month by channel
question: 'Where does the marketing budget go, month by month?'
description: >-
  Money spent each month on campaigns, by channel. Organic and direct traffic have no
  spend of their own. The table has a column per channel. The running month is drawn as
  to date.
chart: stacked_bar
x: month
y: spend
color: channel
pivot: {rows: month, columns: channel, values: spend}
format: {spend: currency}
order: 10
*/
select s.month, s.channel, sum(s.amount) as spend
from spend s
join calendar c on c.day = s.month
where c.day_start < $as_of
group by s.month, s.channel
order by s.month, s.channel
