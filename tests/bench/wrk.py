"""wrk, the HTTP load generator the gateway's benchmarks drive: run it, read its figures."""

from __future__ import annotations

import re
import subprocess


def run_wrk(arguments: list[str], seconds: int) -> dict[str, float]:
    """Runs `wrk <arguments>` (which must ask for `--latency`) and returns its rate, p50,
    p90 and p99 (ms) and the count of responses other than 2xx or 3xx."""
    output = subprocess.run(
        ["wrk", *arguments],
        capture_output=True,
        text=True,
        check=True,
        timeout=seconds + 60,
    ).stdout

    def milliseconds(label: str) -> float:
        match = re.search(rf"^\s*{label}%\s+([\d.]+)(us|ms|s)\s*$", output, re.MULTILINE)
        assert match, output
        value, unit = float(match.group(1)), match.group(2)
        return round(value / 1000 if unit == "us" else value * 1000 if unit == "s" else value, 3)

    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    assert rate, output
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "requests_per_second": round(float(rate.group(1)), 1),
        "p50_ms": milliseconds("50"),
        "p90_ms": milliseconds("90"),
        "p99_ms": milliseconds("99"),
        "non_2xx": int(errors.group(1)) if errors else 0,
    }
