"""Flame graphs of a benchmark's server processes, sampled with py-spy while the load runs.

`make bench` writes them next to the results (`bench-results/flames/<name>.svg`, and the same
samples as `<name>.txt`, one collapsed stack per line with its count, for reading without a
browser); a tiny run writes none. Sampling costs the sampled process a little: a benchmark
measures its figures without it and samples in a separate, shorter pass.

The samples show every thread, waiting or not (a gateway's workers waiting on a node show as
such). `BENCH_FLAMES_ON_CPU=1` keeps only the thread running Python at each sample (py-spy's
`--gil`): where the processes' CPU time goes.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.bench.report import RESULTS
from tests.bench.sizes import TINY

FLAMES = RESULTS.parent / "flames"
SAMPLES_PER_SECOND = 250
ON_CPU = os.environ.get("BENCH_FLAMES_ON_CPU") == "1"


def _py_spy() -> str | None:
    beside = Path(sys.executable).with_name("py-spy")
    return str(beside) if beside.exists() else shutil.which("py-spy")


@contextmanager
def flame_graph(name: str, pid: int, *, subprocesses: bool = False) -> Iterator[Path | None]:
    """Samples process `pid` (and its children with `subprocesses`) until the block ends, then
    writes `<name>.svg` and `<name>.txt`; yields the SVG's path, or None when nothing is
    sampled (a tiny run, or py-spy missing, said on the output)."""
    binary = _py_spy()
    if TINY or binary is None:
        if binary is None:
            print(f"   (no flame graph for {name}: py-spy is not installed)")
        yield None
        return
    FLAMES.mkdir(parents=True, exist_ok=True)
    svg, collapsed = FLAMES / f"{name}.svg", FLAMES / f"{name}.txt"
    recorders = [
        _record(binary, pid, svg, "flamegraph", subprocesses),
        _record(binary, pid, collapsed, "raw", subprocesses),
    ]
    try:
        yield svg
    finally:
        for recorder in recorders:
            recorder.send_signal(signal.SIGINT)
        for recorder in recorders:
            try:
                recorder.wait(30)
            except subprocess.TimeoutExpired:
                recorder.kill()
    print(f"   flame graph: {svg}")


def _record(
    binary: str, pid: int, output: Path, form: str, subprocesses: bool
) -> subprocess.Popen[bytes]:
    command = [
        binary,
        "record",
        "--pid",
        str(pid),
        "--rate",
        str(SAMPLES_PER_SECOND),
        "--format",
        form,
        "--output",
        str(output),
        "--nonblocking",
    ]
    if subprocesses:
        command.append("--subprocesses")
    if ON_CPU:
        command.append("--gil")
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def hottest(collapsed: Path, count: int = 12) -> list[tuple[str, float]]:
    """The functions with the largest share of samples (self time) in a collapsed-stack file."""
    totals: dict[str, int] = {}
    overall = 0
    for line in collapsed.read_text(encoding="utf-8").splitlines():
        stack, _, number = line.rpartition(" ")
        if not stack or not number.isdigit():
            continue
        leaf = stack.rsplit(";", 1)[-1]
        totals[leaf] = totals.get(leaf, 0) + int(number)
        overall += int(number)
    ranked = sorted(totals.items(), key=lambda item: item[1], reverse=True)[:count]
    return [(leaf, value / overall) for leaf, value in ranked] if overall else []
