"""Benchmarks: `make bench` (python -m benchmarks). Figures are printed, never asserted."""
