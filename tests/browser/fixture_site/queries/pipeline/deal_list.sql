/*
title: Largest deals
description: The biggest deals with their owner and stage.
chart: table
format: {amount: currency}
sort: -amount
order: 4
*/
select deal_id, owner, stage, source, amount, created_at
from deals
