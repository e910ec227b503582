-- HubSpot form submissions, marketing event participations and web events (page views,
-- ad and email clicks from the events export) -> touchpoints. The touch's channel is its
-- traffic source; the event type -> kind list is hs_touch_kind in _macros.sql.
select
    f.__file,
    f.__rec,
    f.conversion_id as touchpoint_id,
    f.contact_id as lead_id,
    hs_time(f.submitted_at) as touched_at,
    hs_channel(f.hs_analytics_source) as channel,
    f.hs_campaign_id as campaign_id,
    'form' as kind
from hubspot.form_submissions as f
union all
select
    e.__file,
    e.__rec,
    e.participation_id,
    e.contact_id,
    hs_time(e.occurred_at),
    coalesce(hs_channel(e.hs_analytics_source), 'events'),
    e.hs_campaign_id,
    'event'
from hubspot.marketing_events as e
union all
select
    w.__file,
    w.__rec,
    w.id,
    w.objectid,
    hs_time(w.occurredat),
    hs_channel(w.hs_analytics_source),
    w.hs_campaign_id,
    hs_touch_kind(w.eventtype)
from hubspot.web_events as w
