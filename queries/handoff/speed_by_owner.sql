/*
title: Speed to lead by owner
question: 'Who answers marketing''s leads fast, and who lets them wait?'
description: >-
  Per sales owner, over the MQLs of the period (the same MQLs as the speed-to-lead page):
  median and p90 hours from MQL (or lead creation) to the first sales activity, the share
  answered within an hour, the share not touched by the as-of date, and the acceptance
  rate (SAL / MQL, skipped SAL dates counting as accepted). MQLs routed to no one are
  shown as (no owner). An owner whose median answer takes longer than a working day (8
  hours) goes on the home page's attention list. The chart sets each owner's median response time against the share
  of their MQLs sales accepted; the dashed line is the one-hour SLA.
chart: scatter
x: median_hours
y: acceptance_rate
label: owner
n: mqls
reference: {value: 1, axis: x, label: One-hour SLA}
format: {mqls: integer, median_hours: hours, p90_hours: hours, within_1_hour: percent,
         never_touched: percent, acceptance_rate: percent}
attention: {when: slow, say: '{owner} takes {median_hours} (median) to answer an MQL; {never_touched} of their MQLs were never touched.'}
sort: median_hours
order: 20
glossary: [speed-to-lead]
*/
with mqls as (
    select
        owner,
        case when first_touch_at < $as_of
            then epoch(first_touch_at - since) / 3600 end as hours,
        accepted_at < $as_of or converted_deal_id is not null as accepted
    from mql_responses
    where since >= $period_start and since < $period_end
)
select
    owner,
    count(*) as mqls,
    median(hours) as median_hours,
    quantile_cont(hours, 0.9) as p90_hours,
    count(*) filter (where hours <= 1) / count(*) as within_1_hour,
    count(*) filter (where hours is null) / count(*) as never_touched,
    count(*) filter (where accepted) / count(*) as acceptance_rate,
    coalesce(median(hours) > 8, false) as slow
from mqls
group by owner
order by median_hours, owner
