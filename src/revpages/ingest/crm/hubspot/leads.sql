-- HubSpot contacts -> leads: one lead per contact.
-- HubSpot has no "sales accepted" stage, rejection date or reason by default: they are
-- read from the custom properties sales_accepted_date, rejected_date and
-- rejection_reason when exported (map yours with data_columns). converted_deal_id is
-- the earliest deal associated with the contact.
select
    c.__file,
    c.__rec,
    c.hs_object_id as lead_id,
    hs_time(c.createdate) as created_at,
    hs_channel(c.hs_analytics_source) as source,
    c.hs_analytics_first_touch_converting_campaign as campaign_id,
    rp_snake(c.segment) as segment,
    c.region as region,
    c.hubspotscore as score,
    hs_lead_status(c.hs_lead_status) as status,
    hs_time(c.hs_lifecyclestage_marketingqualifiedlead_date) as mql_at,
    hs_time(c.sales_accepted_date) as sal_at,
    hs_time(c.hs_lifecyclestage_salesqualifiedlead_date) as sql_at,
    hs_time(c.rejected_date) as rejected_at,
    rp_snake(c.rejection_reason) as reject_reason,
    hs_time(c.hs_sa_first_engagement_date) as first_touch_at,
    hs_owner(o.firstname, o.lastname, c.hubspot_owner_id) as owner,
    deal.deal_id as converted_deal_id,
    c.associatedcompanyid as account_id
from hubspot.contacts as c
left join hubspot.owners as o on o.id = c.hubspot_owner_id
left join (
    select
        hs_first_id(d.associated_contact_ids) as contact_id,
        arg_min(d.hs_object_id, (rp_ts(hs_time(d.createdate)), d.hs_object_id)) as deal_id
    from hubspot.deals as d
    where hs_first_id(d.associated_contact_ids) is not null
    group by hs_first_id(d.associated_contact_ids)
) as deal on deal.contact_id = c.hs_object_id
