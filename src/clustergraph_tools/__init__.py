"""Tools the service never runs: the synthetic network (`clustergraph synth`) and the load test.

A package apart from `clustergraph` so that nothing served imports them; the command line
imports them only inside the commands that use them (tests/unit/test_layers.py checks both).
"""
