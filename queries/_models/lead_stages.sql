/*
description: >-
  One row per lead (every column of leads) with the funnel stages it reached and when. A
  lead that reached a stage without a date for an earlier one counts as having passed the
  earlier stage when it entered the later one (no_mql_date, no_sal_date and no_sql_date
  flag the dates that are missing; with no later date either, the lead's creation). A lead
  converted into a deal reached the opportunity stage when the deal was created, and won
  when it closed won. Reports count a stage as reached when its *_reached_at is before the
  as-of moment.
*/
select
    l.*,
    l.mql_at is not null or l.sal_at is not null or l.sql_at is not null
        or l.converted_deal_id is not null as reached_mql,
    l.sal_at is not null or l.sql_at is not null or l.converted_deal_id is not null
        as reached_sal,
    l.sql_at is not null or l.converted_deal_id is not null as reached_sql,
    l.converted_deal_id is not null as reached_opportunity,
    l.mql_at is null as no_mql_date,
    l.sal_at is null as no_sal_date,
    l.sql_at is null as no_sql_date,
    case when reached_mql
        then coalesce(l.mql_at, l.sal_at, l.sql_at, d.created_at, l.created_at) end
        as mql_reached_at,
    case when reached_sal then coalesce(l.sal_at, l.sql_at, d.created_at, l.created_at) end
        as sal_reached_at,
    case when reached_sql then coalesce(l.sql_at, d.created_at, l.created_at) end
        as sql_reached_at,
    case when reached_opportunity then coalesce(d.created_at, l.created_at) end
        as opportunity_at,
    case when d.is_won then d.closed_at end as won_at
from leads l
left join deals d on d.deal_id = l.converted_deal_id
