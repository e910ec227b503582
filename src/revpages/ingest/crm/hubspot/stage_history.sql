-- HubSpot deals -> stage_history: one row per hs_date_entered_<stage id> column that
-- holds a date (empty ones are skipped). Stage ids are translated through data_stage_map
-- after this query; when two ids map to one stage, the earliest entry is kept.
select
    h.__file,
    h.__rec,
    h.hs_object_id as deal_id,
    substr(h.stage_column, 17) as stage,
    hs_time(h.entered_at) as entered_at
from (
    unpivot hubspot.deals
    on columns('^hs_date_entered_')
    into name stage_column value entered_at
) as h
