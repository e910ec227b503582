-- Salesforce Lead -> leads: one lead per Lead record (converted ones included).
-- Salesforce has no standard segment, region, score, funnel dates or rejection reason:
-- they are read from the custom fields below (map yours with data_columns). The account
-- is the converted account, else the matched account (Account__c). first_touch_at is
-- the first call, email or meeting on the lead or on the contact it was converted to.
-- Leads owned by a queue (OwnerId 00G...) have no owner yet.
with person as (
    select l.ConvertedContactId as contact_id, min(l.Id) as lead_id
    from salesforce.Lead as l
    where l.ConvertedContactId is not null
    group by l.ConvertedContactId
),
worked as (
    select coalesce(p.lead_id, a.WhoId) as lead_id, min(rp_ts(a.at)) as first_at
    from (
        select t.WhoId, t.CreatedDate as at
        from salesforce.Task as t
        where sf_activity_kind(coalesce(t.Type, t.TaskSubtype)) is not null
        union all
        select e.WhoId, coalesce(e.ActivityDateTime, e.StartDateTime, e.CreatedDate)
        from salesforce.Event as e
    ) as a
    left join person as p on p.contact_id = a.WhoId
    where a.WhoId is not null
    group by coalesce(p.lead_id, a.WhoId)
)
select
    l.__file,
    l.__rec,
    l.Id as lead_id,
    l.CreatedDate as created_at,
    sf_channel(l.LeadSource) as source,
    l.Primary_Campaign__c as campaign_id,
    rp_snake(l.Segment__c) as segment,
    l.Region__c as region,
    l.Lead_Score__c as score,
    sf_lead_status(l.Status) as status,
    l.MQL_Date__c as mql_at,
    l.SAL_Date__c as sal_at,
    l.SQL_Date__c as sql_at,
    l.Rejected_Date__c as rejected_at,
    rp_snake(l.Rejection_Reason__c) as reject_reason,
    strftime(w.first_at, '%Y-%m-%d %H:%M:%S') as first_touch_at,
    case when l.OwnerId like '00G%' then null else coalesce(u.Name, l.OwnerId) end as owner,
    l.ConvertedOpportunityId as converted_deal_id,
    coalesce(l.ConvertedAccountId, l.Account__c) as account_id
from salesforce.Lead as l
left join salesforce."User" as u on u.Id = l.OwnerId
left join worked as w on w.lead_id = l.Id
