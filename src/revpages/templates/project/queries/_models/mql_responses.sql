/*
description: >-
  One row per MQL (a lead with an MQL, SAL or SQL date) whose dates can be trusted: since
  (its MQL date, or its creation when it has none), its owner ('(no owner)' when routed to
  no one), its first sales touch and when sales accepted it. Speed to lead, its split by
  owner and SLA compliance all count these MQLs; each report measures the time to the
  first touch up to its own as-of moment.
*/
select
    lead_id,
    coalesce(owner, '(no owner)') as owner,
    coalesce(mql_at, created_at) as since,
    first_touch_at,
    coalesce(sal_at, sql_at) as accepted_at,
    converted_deal_id
from leads
where (mql_at is not null or sal_at is not null or sql_at is not null)
    and not list_has_any(flags, ['created_at', 'mql_at', 'first_touch_at'])
