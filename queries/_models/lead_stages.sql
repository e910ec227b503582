/*
description: >-
  One row per lead (every column of leads) with the funnel stages it reached. A lead that
  reached a stage without a date for an earlier one counts as having passed the earlier
  stage; no_mql_date, no_sal_date and no_sql_date flag the dates that are missing. A lead
  converted into a deal reached the opportunity stage.
*/
select
    *,
    mql_at is not null or sal_at is not null or sql_at is not null
        or converted_deal_id is not null as reached_mql,
    sal_at is not null or sql_at is not null or converted_deal_id is not null as reached_sal,
    sql_at is not null or converted_deal_id is not null as reached_sql,
    converted_deal_id is not null as reached_opportunity,
    mql_at is null as no_mql_date,
    sal_at is null as no_sal_date,
    sql_at is null as no_sql_date
from leads
