-- HubSpot engagements (calls, emails, meetings) -> activities, with the first associated
-- contact and deal. Other engagement types (notes, tasks) are refused with their type.
select
    e.__file,
    e.__rec,
    e.hs_object_id as activity_id,
    hs_first_id(e.contact_ids) as lead_id,
    hs_first_id(e.deal_ids) as deal_id,
    hs_time(e.hs_timestamp) as at,
    hs_activity_kind(e.hs_engagement_type) as kind,
    hs_owner(o.firstname, o.lastname, e.hubspot_owner_id) as owner,
    case when hs_activity_kind(e.hs_engagement_type) is null
        then 'engagement type is not a call, email or meeting' end as __reason,
    e.hs_engagement_type as __value
from hubspot.engagements as e
left join hubspot.owners as o on o.id = e.hubspot_owner_id
