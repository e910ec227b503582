-- Salesforce Campaign -> campaigns; the channel is the campaign Type.
select
    c.__file,
    c.__rec,
    c.Id as campaign_id,
    c.Name as name,
    sf_channel(c.Type) as channel,
    c.StartDate as start_date,
    c.EndDate as end_date
from salesforce.Campaign as c
