/*
title: Competitor presence by quarter
description: >-
  Share of the opportunities created in each quarter on which the competitor was recorded.
  A deal can have several competitors, so the shares can add up to more than 100 %. One
  small chart per competitor, on the same scale; the table has a column per competitor.
chart: line
x: quarter
y: presence_rate
facet: competitor
pivot: {rows: quarter, columns: competitor, values: presence_rate}
format: {deals: integer, deals_with_competitor: integer, presence_rate: percent}
order: 30
glossary: [competitor-presence]
*/
with quarters as (
    select strftime(created_at, '%Y') || '-Q' || quarter(created_at) as quarter,
           count(*) as deals
    from deals
    group by all
),
present as (
    select strftime(d.created_at, '%Y') || '-Q' || quarter(d.created_at) as quarter,
           c.competitor,
           count(distinct d.deal_id) as deals_with_competitor
    from deal_competitors c
    join deals d using (deal_id)
    group by all
)
select
    q.quarter,
    p.competitor,
    q.deals,
    p.deals_with_competitor,
    p.deals_with_competitor / q.deals as presence_rate
from quarters q
join present p using (quarter)
order by p.competitor, q.quarter
