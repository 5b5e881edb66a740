"""Benchmarks for kzfacts: a synthetic corpus generator, a hand-written floor, a runner.

Run ``python -m benchmarks`` (or ``--quick`` for a smoke run); see docs/performance.md.
"""
