"""Benchmarks of quiz: run `python bench/run.py`; see bench/README.md."""
