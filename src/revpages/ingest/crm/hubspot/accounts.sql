-- HubSpot companies -> accounts. segment and region are custom properties; the target
-- account flag (hs_is_target_account) says whether the company is in the TAM.
select
    c.__file,
    c.__rec,
    c.hs_object_id as account_id,
    c.name as name,
    rp_snake(c.segment) as segment,
    hs_industry(c.industry) as industry,
    c.region as region,
    c.numberofemployees as employees,
    c.hs_is_target_account as in_tam
from hubspot.companies as c
