-- Salesforce OpportunityHistory -> stage_history. History rows are written for any change
-- (amount, close date, stage): after the stage translation only the first entry of each
-- deal into each stage is kept.
select
    h.__file,
    h.__rec,
    h.OpportunityId as deal_id,
    h.StageName as stage,
    h.CreatedDate as entered_at
from salesforce.OpportunityHistory as h
