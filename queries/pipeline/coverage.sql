/*
title: Pipeline coverage this quarter
question: Is there enough open pipeline to make the rest of the quarter's quota?
description: >-
  Per sales owner, for the running quarter: open pipeline (open deals whose expected close
  date falls in the quarter) divided by the quota still to make (the quarter's quota minus
  what the owner has won so far). The coverage a rep needs is about 1 / their win rate
  over the last four quarters: with a 25 % win rate, 4×. An owner below what they need is
  drawn in the emphasis colour.
window: The running quarter, to the as-of date, whatever the site's period.
chart: horizontal_bar
x: owner
y: coverage
highlight: {column: short, label: Below the coverage their win rate needs}
headline: coverage
format: {open_pipeline: currency, quota: currency, won_to_date: currency,
         remaining_quota: currency, coverage: multiple, win_rate: percent,
         needed_coverage: multiple}
sort: coverage
order: 10
glossary: [pipeline-coverage]
*/
with running as (
    select distinct quarter_key, quarter_start,
        quarter_start + interval 3 month as quarter_end
    from calendar
    where day_start <= $as_of and not quarter_is_complete
    order by quarter_start
    limit 1
),
quota as (
    select t.owner, sum(t.value) as quota
    from targets t join running r on t.period = r.quarter_key
    where t.metric = 'bookings' and t.owner is not null and not list_contains(t.flags, 'value')
    group by t.owner
),
deals_now as (
    select d.*, r.quarter_start, r.quarter_end
    from deals d, running r
    where not list_has_any(d.flags, ['closed_at', 'amount', 'stage'])
),
open_pipeline as (
    select owner, sum(amount) as open_pipeline
    from deals_now
    where not is_closed and closed_at >= quarter_start and closed_at < quarter_end
        and created_at < $as_of
    group by owner
),
won as (
    select owner, sum(amount) as won_to_date
    from deals_now
    where is_won and closed_at >= quarter_start and closed_at < $as_of
    group by owner
),
rates as (
    select owner, count(*) filter (where is_won) / count(*) as win_rate
    from deals_now
    where is_closed and closed_at < quarter_start
        and closed_at >= quarter_start - interval 12 month
    group by owner
)
select
    q.owner,
    coalesce(o.open_pipeline, 0)::double as open_pipeline,
    q.quota,
    coalesce(w.won_to_date, 0)::double as won_to_date,
    greatest(q.quota - coalesce(w.won_to_date, 0), 0) as remaining_quota,
    coalesce(o.open_pipeline, 0) / nullif(remaining_quota, 0) as coverage,
    r.win_rate,
    1 / nullif(r.win_rate, 0) as needed_coverage,
    coalesce(coverage < needed_coverage, false) as short
from quota q
left join open_pipeline o using (owner)
left join won w using (owner)
left join rates r using (owner)
order by coverage nulls last, owner
