"""Benchmarks of the bot at city scale; run with `make bench` (see bench/__main__.py)."""
