/*
title: Shapley value by channel
question: 'What is each channel''s fair share when channels work together?'
description: >-
  Model: simplified Shapley value. Each distinct set of channels seen in the journey of an
  opportunity shares its opportunities and pipeline equally among its channels, and a
  channel's value is the sum of its shares over the sets it is in. It ignores the order of
  the touches and how often a channel repeats. Conversion event: the opportunity is
  created; journeys are the touches before it within the lookback window (365 days by
  default). Opportunities without a touch are unattributed.
chart: horizontal_bar
x: channel
y: opportunities
format: {opportunities: integer, pipeline: currency, share: percent, channel_sets: integer}
sort: -opportunities
headline: opportunities
order: 50
glossary: [attribution-model, shapley]
*/
select
    channel,
    conversions as opportunities,
    value as pipeline,
    conversions / (select count(*) from deals) as share,
    channel_sets
from shapley_values
order by opportunities desc, channel
