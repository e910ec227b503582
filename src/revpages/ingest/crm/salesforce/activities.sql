-- Salesforce Task and Event -> activities (calls, emails, meetings). Tasks that are
-- marketing touches go to touchpoints instead; other task types are refused with their
-- type. Contacts are traced back to the Lead they were converted from; the deal is the
-- Opportunity in WhatId (ids starting 006).
with person as (
    select l.ConvertedContactId as contact_id, min(l.Id) as lead_id
    from salesforce.Lead as l
    where l.ConvertedContactId is not null
    group by l.ConvertedContactId
)
select
    t.__file,
    t.__rec,
    t.Id as activity_id,
    coalesce(p.lead_id, t.WhoId) as lead_id,
    case when t.WhatId like '006%' then t.WhatId end as deal_id,
    t.CreatedDate as at,
    sf_activity_kind(coalesce(t.Type, t.TaskSubtype)) as kind,
    coalesce(u.Name, t.OwnerId) as owner,
    case when sf_activity_kind(coalesce(t.Type, t.TaskSubtype)) is null
        then 'task type is not a call, email or meeting' end as __reason,
    coalesce(t.Type, t.TaskSubtype) as __value
from salesforce.Task as t
left join person as p on p.contact_id = t.WhoId
left join salesforce."User" as u on u.Id = t.OwnerId
where sf_touch_kind(t.Type) is null
union all
select
    e.__file,
    e.__rec,
    e.Id,
    coalesce(p.lead_id, e.WhoId),
    case when e.WhatId like '006%' then e.WhatId end,
    coalesce(e.ActivityDateTime, e.StartDateTime, e.CreatedDate),
    coalesce(sf_activity_kind(e.Type), 'meeting'),
    coalesce(u.Name, e.OwnerId),
    null,
    null
from salesforce.Event as e
left join person as p on p.contact_id = e.WhoId
left join salesforce."User" as u on u.Id = e.OwnerId
