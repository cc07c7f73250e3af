"""Benchmarks run at a tiny size, so that one that can no longer start fails `make test`
(figures are printed, never asserted)."""

from __future__ import annotations

from pathlib import Path

from tests.bench.bench_anonymiser import measure_holds, measure_scrub
from tests.bench.bench_signing import measure_signing


def test_the_signing_benchmark_runs(tmp_path: Path) -> None:
    figures = measure_signing(20, tmp_path / "keys")
    print(f"\nsigning, tiny run: {figures}")
    assert figures["events"] == 20


def test_the_scrub_time_benchmark_runs() -> None:
    figures = measure_scrub(5, warm_up=2)
    print(f"\nscrub time, tiny run: {figures}")
    assert figures["texts"] == 5


def test_the_held_for_review_benchmark_runs(tmp_path: Path) -> None:
    figures = measure_holds(tmp_path, limit=8, smes=6)
    print(f"\nneeds held for review, tiny run: {figures}")
    assert figures["needs"] + sum(figures["refused_as_smes"].values()) == 8
