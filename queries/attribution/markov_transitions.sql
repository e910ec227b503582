/*
title: Markov chain transition matrix
description: >-
  Every observed step of the journeys the Markov model is built from: from (start) or a
  channel to the next channel, (conversion) or (null), with the share of the steps out of
  the state it starts from. Converting journeys are the touches before an opportunity was
  created, within the lookback window (365 days by default); journeys of leads without an
  opportunity end in (null).
chart: table
format: {transitions: integer, probability: percent}
order: 45
glossary: [markov]
*/
select from_state, to_state, transitions, probability
from markov_transitions
order by from_state, probability desc, to_state
