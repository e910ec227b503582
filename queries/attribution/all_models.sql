/*
title: Every attribution model side by side
question: 'How much credit does each channel get under each attribution model?'
description: >-
  The same opportunities credited to channels by every model. First touch, last touch and
  last non-direct touch: 100 % to that one touch. Linear: 1/n to each of n touches.
  U-shaped: 40 % first, 40 % last, 20 % shared by the middle (the hubspot and marketo
  presets use the lead-creation touch instead of the last, marketo 50/50). W-shaped: 30 %
  each to the first, lead-creation and opportunity-creation touches, 10 % to the rest. Full
  path (Z): 22.5 % each to those three and the closed-won touch, 10 % to the rest. Time
  decay: 2^(-days before the conversion / half-life), normalised. J and inverse J: 20 %
  first, 60 % last, 20 % middle, and the reverse. Markov chain: by removal effect. Shapley:
  each channel set's opportunities shared equally. Conversion event: the opportunity is
  created; value: its amount. Journeys are the lead's touches before it, within the lookback
  window (365 days by default); equal timestamps are ordered by touch kind, channel, id.
  Opportunities without a touch are unattributed, so each model's row adds up to 100 %.
chart: heatmap
pivot: {rows: model, columns: channel, values: share}
format: {opportunities: integer, pipeline: currency, share: percent}
order: 5
glossary: [attribution-model, first-touch, last-touch, last-non-direct, linear, u-shaped, w-shaped, full-path, time-decay, j-shaped]
*/
with credits as (
    select m.model_order, m.label as model, c.channel,
        sum(c.conversions)::double as opportunities, sum(c.value)::double as pipeline
    from attribution_credits c
    join attribution_models m using (model)
    group by all
    union all
    select 100, 'Markov chain (removal effect)', channel, conversions, value
    from markov_removal_effects
    union all
    select 101, 'Shapley value (simplified)', channel, conversions, value
    from shapley_values
)
select
    model,
    channel,
    opportunities,
    pipeline,
    -- Every model credits every opportunity once in all (unattributed included).
    opportunities / (select count(*) from deals) as share
from credits
order by model_order, channel
