"""Benchmark figures: percentiles, a printed table, and bench-results/latest.json."""

from __future__ import annotations

import json
import os
import platform
import statistics
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

RESULTS = Path(
    os.environ.get("TWOINS_BENCH_RESULTS")
    or Path(__file__).resolve().parents[2] / "bench-results" / "latest.json"
)
SAMPLES = RESULTS.parent / "samples"


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def latency_summary(samples_seconds: list[float]) -> dict[str, float]:
    milliseconds = [sample * 1000 for sample in samples_seconds]
    return {
        "p50_ms": round(percentile(milliseconds, 0.50), 3),
        "p99_ms": round(percentile(milliseconds, 0.99), 3),
        "mean_ms": round(statistics.fmean(milliseconds), 3),
    }


def machine() -> dict[str, Any]:
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
    }


def record(
    name: str,
    figures: dict[str, Any],
    unit: str,
    reference: dict[str, Any],
    ratio: float,
    note: str = "",
    *,
    samples_ms: list[float] | None = None,
    curve: dict[str, dict[str, Any]] | None = None,
) -> None:
    """Prints one benchmark and merges it into bench-results/latest.json; `samples_ms` (a
    latency distribution) and `curve` (figures by scale) feed the report's charts."""
    print(f"\n== {name}")
    for label, values in (("measured", figures), ("reference", reference)):
        print(f"   {label:<10} " + "  ".join(f"{key}={value}" for key, value in values.items()))
    print(f"   ratio      {ratio:.3f}  ({unit}; {note})")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    try:
        report = json.loads(RESULTS.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        report = {"benchmarks": {}}
    report["machine"] = machine()
    report["benchmarks"][name] = {
        "figures": figures,
        "unit": unit,
        "reference": reference,
        "ratio": round(ratio, 3),
        "note": note,
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    if curve:
        report["benchmarks"][name]["curve"] = curve
    if samples_ms:
        SAMPLES.mkdir(parents=True, exist_ok=True)
        (SAMPLES / f"{name}.json").write_text(
            json.dumps([round(value, 4) for value in samples_ms]), encoding="utf-8"
        )
    RESULTS.write_text(json.dumps(report, indent=2), encoding="utf-8")
