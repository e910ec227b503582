-- HubSpot deals -> deals. dealstage is a pipeline stage id (or label in screen exports),
-- translated to a contract stage through data_stage_map after this query. The account
-- and lead are the first associated company and contact. margin, segment and product
-- are custom properties.
select
    d.__file,
    d.__rec,
    d.hs_object_id as deal_id,
    hs_first_id(d.associated_company_ids) as account_id,
    hs_first_id(d.associated_contact_ids) as lead_id,
    hs_time(d.createdate) as created_at,
    hs_time(d.closedate) as closed_at,
    d.dealstage as stage,
    d.amount as amount,
    d.margin as margin,
    d.hs_is_closed as is_closed,
    d.hs_is_closed_won as is_won,
    hs_owner(o.firstname, o.lastname, d.hubspot_owner_id) as owner,
    rp_snake(d.segment) as segment,
    hs_channel(d.hs_analytics_source) as source,
    rp_snake(d.product) as product,
    rp_snake(d.closed_lost_reason) as loss_reason
from hubspot.deals as d
left join hubspot.owners as o on o.id = d.hubspot_owner_id
