/*
title: Customer acquisition cost
question: What does marketing spend to win one new customer?
description: >-
  Marketing CAC: the period's marketing spend (the spend table) divided by the new customers
  of the period, accounts whose first won deal closed in it. Sales salaries are not in the
  exports, so this is the marketing part of a blended CAC. Compared with the prior period
  and against the ceiling marketing set itself (targets: cac; lower is better). The small
  line shows the last six quarters.
chart: kpi
y: [cac]
reference: {y: cac, value: target, label: Ceiling, better: lower}
sparkline: {cac: cac_by_quarter}
format: {spend: currency, new_customers: integer, cac: currency, target: currency}
compare: [prior]
better: {cac: lower}
home: 60
order: 5
glossary: [cac]
*/
with first_wins as (
    select account_id, min(closed_at) as first_won_at
    from deals
    where is_won and account_id is not null and not list_contains(flags, 'closed_at')
    group by account_id
),
spent as (
    select sum(s.amount) as spend
    from spend s
    join calendar c on c.day = s.month
    where c.day_start >= $period_start and c.day_start < $period_end
        and not list_contains(s.flags, 'amount')
),
new_customers as (
    select count(*) as new_customers from first_wins
    where first_won_at >= $period_start and first_won_at < $period_end
),
spend_by_quarter as (
    select c.quarter_start, sum(s.amount) as spend
    from spend s join calendar c on c.day = s.month
    where c.day_start < $period_end and not list_contains(s.flags, 'amount')
    group by all
),
customers_by_quarter as (
    select c.quarter_start, count(*) as customers
    from first_wins f join calendar c on c.day = calendar_day(f.first_won_at)
    where f.first_won_at < $period_end
    group by all
)
select
    s.spend::double as spend,
    n.new_customers,
    (s.spend / nullif(n.new_customers, 0))::double as cac,
    (select avg(t.value) from targets t
     join calendar c on c.quarter_key = t.period
     where t.metric = 'cac' and t.channel is null
         and c.day_start >= $period_start and c.day_start < $period_end) as target,
    (select list((b.spend / nullif(w.customers, 0))::double order by q.quarter_start)
     from last_quarters($period_end, 6) q
     left join spend_by_quarter b using (quarter_start)
     left join customers_by_quarter w using (quarter_start)) as cac_by_quarter
from spent s, new_customers n
