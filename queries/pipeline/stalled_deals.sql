/*
title: Stalled deals by owner
question: How much of the open pipeline has stopped moving?
description: >-
  Per sales owner, the deals open at the as-of date and those of them that are stalled: in
  their current stage for more than twice the median time won deals spent in that stage,
  or past their expected close date. The chart shows the amount stalled; an owner with
  more than a third of their open pipeline stalled is drawn in the emphasis colour.
window: The pipeline open at the as-of date, whatever the site's period.
chart: horizontal_bar
x: owner
y: stalled_amount
highlight: {column: mostly_stalled, label: More than a third of the open amount stalled}
headline: stalled_amount
format: {open_deals: integer, stalled_deals: integer, open_amount: currency,
         stalled_amount: currency, stalled_share: percent}
sort: -stalled_amount
order: 20
glossary: [stalled-deal]
*/
with entries as (
    select deal_id, stage, entered_at,
        lead(entered_at) over (partition by deal_id order by entered_at, stage) as left_at
    from stage_history
    where entered_at < $as_of
),
typical as (
    select e.stage, median(epoch(e.left_at - e.entered_at) / 86400) as median_days
    from entries e join deals d using (deal_id)
    where d.is_won and e.left_at is not null
    group by e.stage
),
current_stage as (  -- the last entry before the as-of moment: nothing followed it
    select deal_id, stage, entered_at as since
    from entries
    where left_at is null
),
open_deals as (
    select coalesce(d.owner, '(no owner)') as owner, d.amount,
        epoch($as_of - s.since) / 86400 > 2 * t.median_days or d.closed_at < $as_of as stalled
    from deals d
    join current_stage s using (deal_id)
    left join typical t on t.stage = s.stage
    where not d.is_closed and d.created_at < $as_of
        and not list_has_any(d.flags, ['stage', 'amount', 'closed_at'])
)
select
    owner,
    count(*) as open_deals,
    count(*) filter (where stalled) as stalled_deals,
    sum(amount)::double as open_amount,
    coalesce(sum(amount) filter (where stalled), 0)::double as stalled_amount,
    stalled_amount / nullif(open_amount, 0) as stalled_share,
    coalesce(stalled_share > 1 / 3, false) as mostly_stalled
from open_deals
group by owner
order by stalled_amount desc, owner
