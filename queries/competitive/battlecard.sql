/*
title: Battlecard
question: How do we do against this competitor?
description: >-
  One page per competitor in the exports (a new competitor gets its page at the next
  build): over the deals closed in the four quarters up to the end of the period where it
  was recorded, our win rate, the deals closed, the losses to no decision (apart from the
  other losses), the median amount of the deals we won against it, and the most common
  reason for the other losses.
window: The four quarters up to the end of the period, so that every competitor has deals.
chart: kpi
y: [win_rate, closed_deals, lost_no_decision, median_won_amount]
format: {win_rate: percent, closed_deals: integer, won: integer, lost: integer,
         lost_no_decision: integer, median_won_amount: currency}
better: {win_rate: higher}
per: deal_competitors.competitor
order: 50
glossary: [win-rate-against]
*/
with against as (
    select d.is_won, d.amount, d.loss_reason
    from deal_competitors c
    join deals d using (deal_id)
    where c.competitor = $competitor
        and d.is_closed and d.closed_at < $period_end
        and d.closed_at >= $period_end - interval 12 month
        and not list_contains(d.flags, 'closed_at')
)
select
    count(*) as closed_deals,
    count(*) filter (where is_won) as won,
    count(*) filter (where not is_won and coalesce(loss_reason, '') <> 'no_decision') as lost,
    count(*) filter (where loss_reason = 'no_decision') as lost_no_decision,
    count(*) filter (where is_won)
        / nullif(count(*) filter (where coalesce(loss_reason, '') <> 'no_decision'), 0)
        as win_rate,
    median(amount) filter (where is_won) as median_won_amount,
    coalesce(mode(loss_reason) filter (where not is_won
        and coalesce(loss_reason, '') <> 'no_decision'), '–') as top_loss_reason
from against
