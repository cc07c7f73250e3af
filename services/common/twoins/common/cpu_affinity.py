"""Keeping a server process on one CPU (`pin_process`).

A Python process runs one thread at a time, and its request threads hand the interpreter to
each other many times per call. When those threads run on different CPUs, each hand-over is a
wake-up across CPUs (on a virtual machine, an interrupt between virtual CPUs) and the call's
data move between the CPUs' caches: on a 2-core machine a node answered a read with 0.95 ms of
CPU spread over both cores, and with 0.5 ms kept on one (`docs/benchmarks.md`). A process that
can only use one core at a time anyway loses nothing by staying on one, as long as each of a
server's processes stays on a different one: the node's serving processes (`--pin-cpus`) are
placed one per CPU, in turn.

Linux only; elsewhere, and where the process may use one CPU only, nothing is changed.
"""

from __future__ import annotations

import os
from pathlib import Path


def allowed_cpus() -> list[int]:
    """The CPUs this process may run on, in order (all of them where that cannot be asked)."""
    if hasattr(os, "sched_getaffinity"):
        return sorted(os.sched_getaffinity(0))
    return list(range(os.cpu_count() or 1))


def cpu_for(index: int, cpus: list[int]) -> int:
    """The CPU of the `index`-th process (from 0) of a server, its processes placed on `cpus`
    in turn."""
    if index < 0:
        raise ValueError(f"a process index is 0 or more, not {index}")
    if not cpus:
        raise ValueError("no CPU to place the process on")
    return cpus[index % len(cpus)]


def pin_process(index: int, cpus: list[int] | None = None) -> int | None:
    """Keeps this process, every thread it has and every thread it will start, on one of
    `cpus` (default: those it may use): the `index`-th (from 0), in turn. Returns that CPU, or
    None where nothing was changed (not Linux, or a single CPU to choose from)."""
    if not hasattr(os, "sched_setaffinity"):
        return None
    cpus = allowed_cpus() if cpus is None else cpus
    if len(cpus) < 2:
        return None
    return keep_on(cpu_for(index, cpus))


def keep_on(cpu: int) -> int:
    """Keeps this process, its threads and the threads it will start on `cpu`; returns it."""
    # On Linux the affinity belongs to each thread: set it on every thread running now (a
    # library may have started some), and on this one, whose threads to come inherit it.
    for thread_id in _thread_ids():
        try:
            os.sched_setaffinity(thread_id, {cpu})
        except (ProcessLookupError, PermissionError):
            continue  # a thread that ended meanwhile
    os.sched_setaffinity(0, {cpu})
    return cpu


def _thread_ids() -> list[int]:
    try:
        return [int(entry.name) for entry in Path("/proc/self/task").iterdir()]
    except OSError:
        return []


class CpuPlaces:
    """Where a pre-forking server's workers are kept (`--pin-cpus` of the gateway): the master
    chooses a worker's CPU before it forks, the one fewest live workers are on (the lowest of
    those), so a worker started again after one stopped takes the CPU that one left."""

    def __init__(self, cpus: list[int]) -> None:
        if not cpus:
            raise ValueError("no CPU to place the workers on")
        self._cpus = cpus
        self._taken: dict[int, int] = {}

    def choose(self, worker: int) -> int:
        """The CPU of `worker` (any key naming it, while it lives), remembered until `release`."""
        counts = dict.fromkeys(self._cpus, 0)
        for cpu in self._taken.values():
            counts[cpu] += 1
        cpu = min(self._cpus, key=lambda candidate: (counts[candidate], candidate))
        self._taken[worker] = cpu
        return cpu

    def release(self, worker: int) -> None:
        self._taken.pop(worker, None)
