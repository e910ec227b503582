-- HubSpot deals -> deal_competitors: one row per value of the multi-select deal property
-- "competitors" (values separated by ';'). Another property: data_columns
-- {deal_competitors.competitor: your_property}. HubSpot has no per-competitor notes.
select
    d.__file,
    d.__rec,
    d.hs_object_id as deal_id,
    unnest(list_filter(list_transform(string_split(d.competitors, ';'), x -> trim(x)),
                       x -> x <> '')) as competitor,
    null as notes
from hubspot.deals as d
