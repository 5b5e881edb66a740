"""Benchmarks for kzfacts: the mix of real fact bases, a generator of corpora with that mix,
a hand-written floor, and a runner that prints every ratio against its target.

Run ``python -m benchmarks`` (``--quick`` for a smoke run, ``--only NAME`` for one
benchmark); see docs/performance.md.
"""
