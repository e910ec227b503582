-- Salesforce OpportunityHistory -> stage_history. History rows are written for any change
-- (amount, close date, stage): after the stage translation a row that repeats the stage
-- the deal was already in merges into the row that began that stay; a later re-entry is
-- a row of its own. __as_of, when the opportunity was last modified, bounds its history.
select
    h.__file,
    h.__rec,
    h.OpportunityId as deal_id,
    h.StageName as stage,
    h.CreatedDate as entered_at,
    strftime(greatest(rp_ts(o.LastModifiedDate), rp_ts(o.SystemModstamp)),
             '%Y-%m-%d %H:%M:%S') as __as_of
from salesforce.OpportunityHistory as h
left join salesforce.Opportunity as o on o.Id = h.OpportunityId
