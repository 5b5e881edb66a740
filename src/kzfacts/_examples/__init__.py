"""Consistent example fact sets for the rule kinds and the ways to break them (for kzfacts.strategies)."""
