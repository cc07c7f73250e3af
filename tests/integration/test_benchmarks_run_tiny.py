"""Every benchmark of tests/bench runs at a tiny size (TWOINS_BENCH_TINY=1), in a pytest run of
its own, so that one that can no longer start fails `make test`. Figures are printed and kept
in a scratch file, never in bench-results/; nothing is asserted on them."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


# About 4.5 minutes here (the network-start benchmark starts the whole network once).
@pytest.mark.timeout(1500)
def test_every_benchmark_starts_and_reports(tmp_path: Path) -> None:
    results = tmp_path / "latest.json"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "tests/bench",
            "-o",
            "python_files=bench_*.py",
            "-p",
            "no:cacheprovider",
            "-q",
            "-s",
            "--timeout=600",
        ],
        cwd=ROOT,
        env={**os.environ, "TWOINS_BENCH_TINY": "1", "TWOINS_BENCH_RESULTS": str(results)},
        capture_output=True,
        text=True,
        timeout=1500,
        check=False,
    )
    print(done.stdout[-6000:])
    assert done.returncode != 5, "no benchmark was collected"
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    benches = sorted(path.stem for path in (ROOT / "tests" / "bench").glob("bench_*.py"))
    summary = re.search(r"(\d+) passed", done.stdout)
    assert summary is not None, done.stdout[-2000:]
    assert int(summary.group(1)) >= len(benches)
    recorded = json.loads(results.read_text(encoding="utf-8"))["benchmarks"]
    assert len(recorded) >= len(benches), sorted(recorded)
