-- HubSpot deals -> stage_history: one row per hs_date_entered_<stage id> column that
-- holds a date (empty ones are skipped). Stage ids are translated through data_stage_map
-- after this query; when two ids map to one stage in a row, the later entry merges into
-- the earlier one. __as_of, when the deal was last modified, bounds its history.
select
    h.__file,
    h.__rec,
    h.hs_object_id as deal_id,
    substr(h.stage_column, 17) as stage,
    hs_time(h.entered_at) as entered_at,
    hs_time(h.hs_lastmodifieddate) as __as_of
from (
    unpivot hubspot.deals
    on columns('^hs_date_entered_')
    into name stage_column value entered_at
) as h
