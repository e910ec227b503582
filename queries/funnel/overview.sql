/*
title: Lead funnel
description: >-
  Cohort funnel of the leads created in the twelve months that end 90 days before the latest
  lead (so most have had time to move): how many reached each stage. A lead that reached a
  stage without a date for an earlier one counts as having passed the earlier stage; the
  table shows how many leads passed each stage that way (without_stage_date).
  Won counts deals closed won so far; open deals may still be won.
chart: funnel
x: stage
y: leads
format: {leads: integer, share_of_inquiries: percent, share_of_previous: percent,
         without_stage_date: integer}
order: 10
glossary: [funnel-stages]
*/
with bounds as (
    select max(created_at) - interval 90 days as cohort_end,
           max(created_at) - interval 455 days as cohort_start
    from leads
    where not list_contains(flags, 'created_at')
),
cohort as (
    select l.*, coalesce(d.is_won, false) as won
    from lead_stages l
    cross join bounds b
    left join deals d on d.deal_id = l.converted_deal_id
    where l.created_at >= b.cohort_start and l.created_at < b.cohort_end
),
stages as (
    select 1 as position, 'Inquiry' as stage, count(*) as leads, 0 as without_stage_date
    from cohort
    union all
    select 2, 'MQL', count(*) filter (where reached_mql),
        count(*) filter (where reached_mql and no_mql_date)
    from cohort
    union all
    select 3, 'SAL', count(*) filter (where reached_sal),
        count(*) filter (where reached_sal and no_sal_date)
    from cohort
    union all
    select 4, 'SQL', count(*) filter (where reached_sql),
        count(*) filter (where reached_sql and no_sql_date)
    from cohort
    union all
    select 5, 'Opportunity', count(*) filter (where reached_opportunity), 0 from cohort
    union all
    select 6, 'Won', count(*) filter (where won), 0 from cohort
)
select
    stage,
    leads,
    leads / first_value(leads) over (order by position) as share_of_inquiries,
    leads / lag(leads) over (order by position) as share_of_previous,
    without_stage_date
from stages
order by position
