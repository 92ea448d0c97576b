"""Benchmarks: `python -m bench.run` times every stage on synthetic workspaces and writes BENCHMARKS.md."""
