/*
title: Markov chain transition matrix
question: 'Where do buyers go next after each channel?'
description: >-
  Every observed step of the journeys the Markov model is built from: from (start) or a
  channel to the next channel, (conversion) or (null), with the share of the steps out of
  the state it starts from. Converting journeys are the touches before an opportunity was
  created, within the lookback window (365 days by default); journeys of leads without an
  opportunity end in (null). Each row of the grid is where journeys step from, each
  column where they step to; a row adds up to 100 %.
chart: heatmap
pivot: {rows: from_state, columns: to_state, values: probability}
format: {transitions: integer, probability: percent}
order: 45
glossary: [markov]
*/
select from_state, to_state, transitions, probability
from markov_transitions
order by from_state, to_state like '(%', to_state
