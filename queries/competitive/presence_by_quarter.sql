/*
title: Competitor presence by quarter
question: 'Whom do we meet in deals more often than before?'
description: >-
  Share of the opportunities created in each fiscal quarter on which the competitor was
  recorded. A deal can have several competitors, so the shares can add up to more than
  100 %. The running quarter is drawn as to date: its share rests on the deals created so
  far, and deals created lately get their competitors recorded later. One small chart per
  competitor, on the same scale; the table has a column per competitor.
chart: line
x: quarter
y: presence_rate
facet: competitor
pivot: {rows: quarter, columns: competitor, values: presence_rate}
format: {deals: integer, deals_with_competitor: integer, presence_rate: percent}
order: 30
glossary: [competitor-presence, running-period]
*/
with created as (
    select d.deal_id, c.quarter_start, c.quarter_label, c.quarter_is_complete,
        c.quarter_elapsed
    from deals d
    join calendar c on c.day = calendar_day(d.created_at)
    where d.created_at < $as_of
),
quarters as (
    select quarter_start, quarter_label, quarter_is_complete, quarter_elapsed,
        count(*) as deals
    from created
    group by all
),
present as (
    select d.quarter_start, c.competitor, count(distinct d.deal_id) as deals_with_competitor
    from deal_competitors c
    join created d using (deal_id)
    group by all
)
select
    q.quarter_label as quarter,
    p.competitor,
    q.deals,
    p.deals_with_competitor,
    p.deals_with_competitor / q.deals as presence_rate,
    q.quarter_is_complete as is_complete,
    q.quarter_elapsed as fraction_elapsed
from quarters q
join present p using (quarter_start)
order by p.competitor, q.quarter_start
