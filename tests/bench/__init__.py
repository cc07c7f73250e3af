"""Benchmarks run by `make bench`; files are named bench_*.py so `make test` leaves them out."""
