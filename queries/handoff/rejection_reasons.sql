/*
title: Why sales rejects leads
question: 'Why does sales turn marketing''s leads away?'
description: >-
  Leads rejected by sales in the period, by the reason given, with the share of all
  rejections and the channel that sent most of them. Acceptance and rejection are decided
  after the first sales touch.
chart: horizontal_bar
x: reject_reason
y: rejected_leads
format: {rejected_leads: integer, share: percent}
sort: -rejected_leads
headline: rejected_leads
order: 40
glossary: [acceptance-rate]
*/
with by_channel as (
    select reject_reason, source, count(*) as leads
    from leads
    where rejected_at >= $period_start and rejected_at < $period_end
    group by all
)
select
    reject_reason,
    sum(leads)::bigint as rejected_leads,
    sum(leads) / sum(sum(leads)) over () as share,
    arg_max(source, (leads, source)) as top_channel
from by_channel
group by reject_reason
order by rejected_leads desc, reject_reason
