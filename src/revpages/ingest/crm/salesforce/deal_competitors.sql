-- Salesforce OpportunityCompetitor -> deal_competitors; notes are the strengths and
-- weaknesses recorded for the competitor.
select
    c.__file,
    c.__rec,
    c.OpportunityId as deal_id,
    c.CompetitorName as competitor,
    nullif(concat_ws(' / ', c.Strengths, c.Weaknesses), '') as notes
from salesforce.OpportunityCompetitor as c
