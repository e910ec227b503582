/*
title: Markov chain removal effect by channel
question: 'Which channels would we miss most if we turned them off?'
description: >-
  Model: first-order Markov chain over every journey, start -> channels -> conversion or
  null; journeys of leads without an opportunity end in null. Removing a channel sends
  every step into it to null; its removal effect is the share of the conversion
  probability lost, 1 - P(conversion without it) / P(conversion). Attributed
  opportunities = opportunities with touches x removal effect / sum of all removal effects.
  Conversion event: the opportunity is created; journeys are the touches before it within
  the lookback window (365 days by default). Probabilities are solved exactly, not
  simulated. Opportunities without a touch stay unattributed. The chart shows each
  channel's attributed share (its removal effect over the sum of all of them, so the bars
  add up to 100 %); the raw removal effects, which overlap, are in the table.
chart: horizontal_bar
x: channel
y: effect_share
format: {removal_effect: percent, conversion_probability: percent,
  conversion_probability_without: percent, effect_share: percent, opportunities: integer,
  pipeline: currency}
sort: -effect_share
headline: effect_share
order: 40
glossary: [attribution-model, markov]
*/
select
    channel,
    effect_share,
    conversions as opportunities,
    removal_effect,
    conversion_probability,
    conversion_probability_without,
    value as pipeline
from markov_removal_effects
where channel <> '(unattributed)'
order by removal_effect desc, channel
