-- Salesforce CampaignMember and marketing-touch Tasks -> touchpoints.
-- A campaign member is one touch (when it was added, its kind from Status, its channel
-- from the campaign Type). Marketing automation syncs other touches (page visits, ad and
-- email clicks, forms) as Tasks whose Type is listed in sf_touch_kind (_macros.sql); their
-- channel is the custom field Channel__c, else the type of the campaign in WhatId.
-- Contacts are traced back to the Lead they were converted from.
with person as (
    select l.ConvertedContactId as contact_id, min(l.Id) as lead_id
    from salesforce.Lead as l
    where l.ConvertedContactId is not null
    group by l.ConvertedContactId
)
select
    m.__file,
    m.__rec,
    m.Id as touchpoint_id,
    coalesce(m.LeadId, p.lead_id, m.ContactId) as lead_id,
    m.CreatedDate as touched_at,
    sf_channel(c.Type) as channel,
    m.CampaignId as campaign_id,
    sf_member_kind(m.Status) as kind
from salesforce.CampaignMember as m
left join salesforce.Campaign as c on c.Id = m.CampaignId
left join person as p on p.contact_id = m.ContactId
union all
select
    t.__file,
    t.__rec,
    t.Id,
    coalesce(p.lead_id, t.WhoId),
    t.CreatedDate,
    coalesce(sf_channel(t.Channel__c), sf_channel(c.Type)),
    case when t.WhatId like '701%' then t.WhatId end,
    sf_touch_kind(t.Type)
from salesforce.Task as t
left join salesforce.Campaign as c on c.Id = t.WhatId
left join person as p on p.contact_id = t.WhoId
where sf_touch_kind(t.Type) is not null
