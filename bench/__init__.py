"""Benchmarks of clustergraph at the scale of a continent (run `bench/run`; see bench/README.md).

Not part of the test suite: benchmarks report figures, they assert nothing about time.
"""
