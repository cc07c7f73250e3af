"""Where a process's threads may run, seen from outside (`--pin-cpus` of the node and the
gateway)."""

from __future__ import annotations

import os
from pathlib import Path


def cpus_of_every_thread(pid: int) -> set[int]:
    """The CPUs any thread of process `pid` may run on (none once it is gone)."""
    try:
        tasks = list(Path(f"/proc/{pid}/task").iterdir())
    except FileNotFoundError:
        return set()
    found: set[int] = set()
    for task in tasks:
        try:
            found |= os.sched_getaffinity(int(task.name))
        except ProcessLookupError:
            continue  # a thread that ended meanwhile
    return found
