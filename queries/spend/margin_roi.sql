/*
title: Margin ROI by channel
question: 'Which channels earn back more margin than they cost?'
description: >-
  Margin ROI = (gross margin of the deals won in the period − spend in the period) /
  spend, the headline return; revenue ROI and CAC (spend / new customers) alongside.
  Model: sourced, all credit to the channel that created the lead. Paid channels only. ROI
  reads as a multiple of the spend: 2.0× returned twice the spend on top of it; below 0×
  lost money.
chart: horizontal_bar
x: channel
y: margin_roi
reference: {value: 0, label: Break-even}
format: {spend: currency, customers: integer, revenue: currency, gross_margin: currency,
         margin_roi: multiple, roi: multiple, cac: currency}
sort: -margin_roi
headline: margin_roi
order: 30
glossary: [margin-roi, roi]
*/
with spent as (
    -- spend.month is a day, not a moment: the calendar says when it starts.
    select s.channel, sum(s.amount) as spend
    from spend s
    join calendar c on c.day = s.month
    where c.day_start >= $period_start and c.day_start < $period_end
    group by s.channel
),
won as (
    select source as channel, count(*) as customers, sum(amount) as revenue,
           sum(margin) as gross_margin
    from deals
    where is_won and closed_at >= $period_start and closed_at < $period_end
    group by source
)
select
    s.channel,
    s.spend,
    coalesce(w.customers, 0) as customers,
    coalesce(w.revenue, 0) as revenue,
    coalesce(w.gross_margin, 0) as gross_margin,
    (coalesce(w.gross_margin, 0) - s.spend) / s.spend as margin_roi,
    (coalesce(w.revenue, 0) - s.spend) / s.spend as roi,
    s.spend / nullif(w.customers, 0) as cac
from spent s
left join won w using (channel)
order by margin_roi desc, s.channel
