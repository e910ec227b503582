/*
title: Rejection rate by channel
question: Which channels send leads that sales turns away?
description: >-
  Per channel: of the leads that became MQLs in the period, the share sales rejected by the
  as-of date, with the most common reason. A rate, not a count, so a channel that sends many
  leads is not blamed for its volume. A channel is flagged (emphasis colour, and the home
  page's attention list) when its rate is the highest or at least 1.5 times the rate of all
  channels together, on 30 MQLs or more; rates on fewer MQLs are faint.
chart: horizontal_bar
x: channel
y: rejection_rate
n: {column: mqls, min: 30}
highlight: {column: flagged, label: Rejected most (highest or 1.5× the average)}
reference: {value: all_channels_rate, label: All channels}
headline: rejection_rate
attention: {when: flagged, say: 'Sales rejects {rejection_rate} of the MQLs from {channel} (all channels {all_channels_rate}), mostly as {top_reason}.'}
format: {mqls: integer, rejected: integer, rejection_rate: percent, all_channels_rate: percent}
sort: -rejection_rate
order: 35
glossary: [acceptance-rate]
*/
with mqls as (
    select coalesce(source, '(unknown)') as channel, reject_reason,
        rejected_at is not null and rejected_at < $as_of as rejected
    from leads
    where mql_at >= $period_start and mql_at < $period_end
        and not list_has_any(flags, ['mql_at', 'rejected_at'])
),
by_channel as (
    select channel, count(*) as mqls, count(*) filter (where rejected) as rejected,
        count(*) filter (where rejected) / count(*) as rejection_rate,
        mode(reject_reason) filter (where rejected) as top_reason
    from mqls
    group by channel
),
overall as (
    select count(*) filter (where rejected) / count(*) as all_channels_rate from mqls
)
select
    b.channel, b.mqls, b.rejected, b.rejection_rate, o.all_channels_rate,
    coalesce(b.top_reason, '–') as top_reason,
    b.mqls >= 30 and (
        b.rejection_rate = max(b.rejection_rate) filter (where b.mqls >= 30) over ()
        or b.rejection_rate >= 1.5 * o.all_channels_rate
    ) as flagged
from by_channel b, overall o
order by b.rejection_rate desc, b.channel
