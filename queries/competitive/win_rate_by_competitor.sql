/*
title: Win rate against each competitor
question: 'Against whom do we win, and against whom do we lose?'
description: >-
  Deals closed in the period where the competitor was recorded: won / (won + lost), with n
  and a 95 % Wilson interval. Deals with several competitors
  count for each; deals with none recorded are left out (not "uncontested"). Losses to no
  decision are shown apart from the other losses. Fewer than 30 closed deals is flagged
  and drawn faint. Where two whiskers overlap, the data cannot tell those competitors
  apart; the dashed line is the win rate over all of these deals. Pick a segment or another
  period above the chart: the choice follows you to the other reports that take it.
params: site
chart: horizontal_bar
x: competitor
y: win_rate
error: {low: wilson_low, high: wilson_high, label: 95 % Wilson interval}
n: {column: closed_deals, min: 30}
reference: {value: all_competitors_win_rate, label: Win rate over all competitive deals}
format: {closed_deals: integer, won: integer, lost: integer, lost_no_decision: integer,
         win_rate: percent, wilson_low: percent, wilson_high: percent,
         all_competitors_win_rate: percent}
sort: -win_rate
headline: win_rate
order: 10
glossary: [win-rate-against]
*/
with recent as (
    select d.deal_id, d.is_won, d.loss_reason
    from deals d
    where d.is_closed and d.closed_at >= $period_start and d.closed_at < $period_end
      and ($segment is null or d.segment = $segment)
),
tally as (
    select
        c.competitor,
        count(*) as closed_deals,
        count(*) filter (where r.is_won) as won,
        count(*) filter (where not r.is_won) as lost,
        count(*) filter (where r.loss_reason = 'no_decision') as lost_no_decision
    from deal_competitors c
    join recent r using (deal_id)
    group by c.competitor
),
rates as (
    select *, won / closed_deals as p, 1.96 as z from tally
)
select
    competitor,
    closed_deals,
    won,
    lost,
    lost_no_decision,
    p as win_rate,
    (p + z * z / (2 * closed_deals)
        - z * sqrt(p * (1 - p) / closed_deals + z * z / (4 * closed_deals * closed_deals)))
        / (1 + z * z / closed_deals) as wilson_low,
    (p + z * z / (2 * closed_deals)
        + z * sqrt(p * (1 - p) / closed_deals + z * z / (4 * closed_deals * closed_deals)))
        / (1 + z * z / closed_deals) as wilson_high,
    closed_deals < 30 as small_sample,
    sum(won) over () / sum(closed_deals) over () as all_competitors_win_rate
from rates
order by win_rate desc, competitor
