/*
title: Win rate against each competitor by segment
question: 'Where does each competitor beat us: small, mid-market or large deals?'
description: >-
  Deals closed in the period where the competitor was recorded, won / (won + lost), split
  by market segment: where each competitor is strong. The same deals as the win rate
  against each competitor. One small chart per segment; the whiskers are the 95 % Wilson
  interval, and rates resting on fewer than 30 closed deals are faint.
chart: horizontal_bar
x: competitor
y: win_rate
facet: segment
error: {low: wilson_low, high: wilson_high, label: 95 % Wilson interval}
n: {column: closed_deals, min: 30}
format: {closed_deals: integer, win_rate: percent, wilson_low: percent, wilson_high: percent}
order: 20
glossary: [win-rate-against]
*/
select
    c.competitor,
    d.segment,
    count(*) as closed_deals,
    count(*) filter (where d.is_won) / count(*) as win_rate,
    (win_rate + 1.9208 / closed_deals
        - 1.96 * sqrt(win_rate * (1 - win_rate) / closed_deals
            + 0.9604 / (closed_deals * closed_deals)))
        / (1 + 3.8416 / closed_deals) as wilson_low,
    (win_rate + 1.9208 / closed_deals
        + 1.96 * sqrt(win_rate * (1 - win_rate) / closed_deals
            + 0.9604 / (closed_deals * closed_deals)))
        / (1 + 3.8416 / closed_deals) as wilson_high
from deal_competitors c
join deals d using (deal_id)
where d.is_closed and d.closed_at >= $period_start and d.closed_at < $period_end
group by c.competitor, d.segment
order by
    c.competitor,
    list_position(['smb', 'mid_market', 'enterprise'], d.segment),
    d.segment
