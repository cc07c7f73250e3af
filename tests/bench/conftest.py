"""After a benchmark run: the table and charts of bench-results/."""

from __future__ import annotations

import pytest

from tests.bench.sizes import TINY
from tests.bench.summary import write_summary


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    # `make test` walks this folder too (collecting no benchmark): only a benchmark run reports.
    if not any(item.nodeid.startswith("tests/bench/") for item in session.items) or TINY:
        return
    for path in write_summary():
        print(f"\nbench report: {path}")
