/*
title: Win rate by source channel
description: >-
  Deals closed in the period only: won / (won + lost), by the channel that sourced the
  lead, with the bookings (amount won). Open deals are excluded. Read the rate together
  with the number of closed deals behind it.
chart: bar
x: channel
y: win_rate
format: {won: integer, lost: integer, closed_deals: integer, win_rate: percent,
         median_won_amount: currency, bookings: currency}
sort: -win_rate
order: 40
glossary: [win-rate]
*/
select
    source as channel,
    count(*) filter (where is_won) as won,
    count(*) filter (where not is_won) as lost,
    count(*) as closed_deals,
    count(*) filter (where is_won) / count(*) as win_rate,
    median(amount) filter (where is_won and not list_contains(flags, 'amount'))
        as median_won_amount,
    coalesce(sum(amount) filter (where is_won), 0) as bookings
from deals
where is_closed and closed_at >= $period_start and closed_at < $period_end
group by source
order by win_rate desc, channel
