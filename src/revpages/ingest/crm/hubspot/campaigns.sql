-- HubSpot campaigns -> campaigns. HubSpot campaigns have no channel: it is read from a
-- custom property "channel" (map yours with data_columns).
select
    c.__file,
    c.__rec,
    c.hs_object_id as campaign_id,
    c.hs_name as name,
    hs_channel(c.channel) as channel,
    hs_time(c.hs_start_date) as start_date,
    hs_time(c.hs_end_date) as end_date
from hubspot.campaigns as c
