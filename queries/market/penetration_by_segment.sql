/*
title: Market penetration and coverage by segment
question: 'How much of our market have we won, and how much have we not even touched?'
description: >-
  Addressable accounts are those in the total addressable market. Penetration = accounts
  with a deal won by the as-of date / addressable accounts. Coverage = addressable accounts
  with any lead or opportunity created by then / addressable accounts. Never touched =
  addressable accounts with neither: the remaining potential.
chart: bar
x: segment
y: [penetration, coverage]
format: {addressable_accounts: integer, customers: integer, never_touched: integer,
         penetration: percent, coverage: percent}
headline: penetration
order: 10
glossary: [penetration, coverage]
*/
with touched as (
    select account_id from leads where account_id is not null and created_at < $as_of
    union
    select account_id from deals where account_id is not null and created_at < $as_of
),
customers as (
    select distinct account_id from deals where is_won and closed_at < $as_of
)
select
    a.segment,
    count(*) as addressable_accounts,
    count(c.account_id) as customers,
    count(*) - count(t.account_id) as never_touched,
    count(c.account_id) / count(*) as penetration,
    count(t.account_id) / count(*) as coverage
from accounts a
left join touched t using (account_id)
left join customers c using (account_id)
where a.in_tam
group by a.segment
order by list_position(['smb', 'mid_market', 'enterprise'], a.segment), a.segment
