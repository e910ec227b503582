/*
title: Win rate by source channel
question: 'Which channels bring deals we win?'
description: >-
  Deals closed in the period only: won / (won + lost), by the channel that sourced the
  lead, with the bookings (amount won). Open deals are excluded. The whiskers are the
  95 % Wilson interval; rates resting on fewer than 30 closed deals are faint.
chart: horizontal_bar
x: channel
y: win_rate
error: {low: wilson_low, high: wilson_high, label: 95 % Wilson interval}
n: {column: closed_deals, min: 30}
format: {won: integer, lost: integer, closed_deals: integer, win_rate: percent,
         median_won_amount: currency, bookings: currency, wilson_low: percent,
         wilson_high: percent}
sort: -win_rate
headline: win_rate
order: 40
glossary: [win-rate]
params: site
*/
select
    source as channel,
    count(*) filter (where is_won) as won,
    count(*) filter (where not is_won) as lost,
    count(*) as closed_deals,
    count(*) filter (where is_won) / count(*) as win_rate,
    median(amount) filter (where is_won and not list_contains(flags, 'amount'))
        as median_won_amount,
    coalesce(sum(amount) filter (where is_won), 0) as bookings,
    (win_rate + 1.9208 / closed_deals
        - 1.96 * sqrt(win_rate * (1 - win_rate) / closed_deals
            + 0.9604 / (closed_deals * closed_deals)))
        / (1 + 3.8416 / closed_deals) as wilson_low,
    (win_rate + 1.9208 / closed_deals
        + 1.96 * sqrt(win_rate * (1 - win_rate) / closed_deals
            + 0.9604 / (closed_deals * closed_deals)))
        / (1 + 3.8416 / closed_deals) as wilson_high
from deals
where is_closed and closed_at >= $period_start and closed_at < $period_end
    and ($segment is null or segment = $segment)
group by source
order by win_rate desc, channel
