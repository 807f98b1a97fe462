"""Performance benchmarks of Anlan (run `bench/run.py`; see bench/README.md)."""
