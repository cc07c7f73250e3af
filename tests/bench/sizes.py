"""How big a benchmark run is: full under `make bench`; tiny under `make test`, where the test
that runs every benchmark sets TWOINS_BENCH_TINY=1 (seconds each, figures printed, kept in a
scratch file, never in bench-results/), so that a benchmark that can no longer start fails
CI instead of rotting."""

from __future__ import annotations

import os
from typing import TypeVar

T = TypeVar("T")

TINY = os.environ.get("TWOINS_BENCH_TINY", "") == "1"


def size(full: T, tiny: T) -> T:
    """`full` in a benchmark run, `tiny` in the test run."""
    return tiny if TINY else full
