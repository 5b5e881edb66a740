"""Rules against the fact base: compile (resolve, check dimensions), the rule kinds, evaluate."""
