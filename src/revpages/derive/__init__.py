"""Derived tables: computed once per load from the contract tables (attribution credits,
Markov removal effects, Shapley values), read by reports like any other table."""
