/*
description: >-
  One row per opportunity and marketing touch of its lead before the opportunity was
  created, at most 365 days before it (touches after the conversion are excluded). position
  1 is the first touch and position = touches the last; equal timestamps are ordered by
  touch kind, then touch id. Opportunities without touches have no rows here: reports show
  them as unattributed.
*/
select
    d.deal_id,
    t.touchpoint_id,
    t.channel,
    row_number() over w as position,
    count(*) over (partition by d.deal_id) as touches
from deals d
join touchpoints t
    on t.lead_id = d.lead_id
    and t.touched_at <= d.created_at
    and t.touched_at > d.created_at - interval 365 days
window w as (partition by d.deal_id order by t.touched_at, t.kind, t.touchpoint_id)
