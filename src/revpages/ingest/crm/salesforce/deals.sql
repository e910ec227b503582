-- Salesforce Opportunity -> deals. StageName is translated to a contract stage through
-- data_stage_map after this query. CloseDate is a date without time: for closed deals
-- closed_at is when OpportunityHistory shows the deal entering its closing stage. There
-- is no standard loss reason: it is read from Loss_Reason__c (data_columns
-- {deals.loss_reason: Your_Field__c}). The lead is the Lead converted into the deal.
with entered as (
    select h.OpportunityId, h.StageName, min(rp_ts(h.CreatedDate)) as at
    from salesforce.OpportunityHistory as h
    group by h.OpportunityId, h.StageName
),
converted as (
    select l.ConvertedOpportunityId as deal_id, min(l.Id) as lead_id
    from salesforce.Lead as l
    where l.ConvertedOpportunityId is not null
    group by l.ConvertedOpportunityId
)
select
    o.__file,
    o.__rec,
    o.Id as deal_id,
    o.AccountId as account_id,
    c.lead_id as lead_id,
    o.CreatedDate as created_at,
    coalesce(case when rp_bool(o.IsClosed) then strftime(e.at, '%Y-%m-%d %H:%M:%S') end,
             o.CloseDate) as closed_at,
    o.StageName as stage,
    o.Amount as amount,
    o.Margin__c as margin,
    o.IsClosed as is_closed,
    o.IsWon as is_won,
    coalesce(u.Name, o.OwnerId) as owner,
    rp_snake(o.Segment__c) as segment,
    sf_channel(o.LeadSource) as source,
    rp_snake(o.Product__c) as product,
    rp_snake(o.Loss_Reason__c) as loss_reason
from salesforce.Opportunity as o
left join converted as c on c.deal_id = o.Id
left join entered as e on e.OpportunityId = o.Id and e.StageName = o.StageName
left join salesforce."User" as u on u.Id = o.OwnerId
