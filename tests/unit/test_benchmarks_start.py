"""Benchmarks run at a tiny size, so that one that can no longer start fails `make test`
(figures are printed, never asserted)."""

from __future__ import annotations

from pathlib import Path

from tests.bench.bench_signing import measure_signing


def test_the_signing_benchmark_runs(tmp_path: Path) -> None:
    figures = measure_signing(20, tmp_path / "keys")
    print(f"\nsigning, tiny run: {figures}")
    assert figures["events"] == 20
