/*
description: >-
  One row per opportunity and marketing touch of its lead before the opportunity was
  created, within the attribution lookback (365 days by default; touches after the
  conversion are excluded). position 1 is the first touch and position = touches the last,
  in the order every attribution model uses: timestamp, touch kind, channel, touch id. It
  is the linear model's rows of attribution_credits, so these journeys are exactly the ones
  the other models credit. Opportunities without touches have no rows here: reports show
  them as unattributed.
*/
select deal_id, touchpoint_id, channel, position, touches
from attribution_credits
where model = 'linear' and touchpoint_id is not null
