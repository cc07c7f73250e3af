"""Keeping a server's processes on one CPU each (`twoins.common.cpu_affinity`)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from twoins.common.cpu_affinity import CpuPlaces, allowed_cpus, cpu_for, pin_process

needs_two_cpus = pytest.mark.skipif(
    len(allowed_cpus()) < 2, reason="pinning needs a machine that lets the tests use two CPUs"
)


def test_processes_are_placed_on_the_cpus_in_turn() -> None:
    assert [cpu_for(index, [2, 5, 7]) for index in range(7)] == [2, 5, 7, 2, 5, 7, 2]
    with pytest.raises(ValueError, match="0 or more"):
        cpu_for(-1, [0, 1])
    with pytest.raises(ValueError, match="no CPU"):
        cpu_for(0, [])


def test_a_worker_started_again_takes_the_cpu_the_stopped_one_left() -> None:
    places = CpuPlaces([0, 1, 2])
    assert [places.choose(worker) for worker in (1, 2, 3, 4)] == [0, 1, 2, 0]
    places.release(2)  # the worker on CPU 1 stopped
    assert places.choose(5) == 1
    places.release(1)
    places.release(4)  # CPU 0 is free again
    assert places.choose(6) == 0
    places.release(99)  # a worker never placed: nothing to forget
    with pytest.raises(ValueError, match="no CPU"):
        CpuPlaces([])


def test_one_cpu_to_choose_from_changes_nothing() -> None:
    assert pin_process(3, [0]) is None


_CHILD = """
import json, os, threading
from twoins.common.cpu_affinity import pin_process
started = threading.Event()
before = threading.Thread(target=started.wait)  # a thread running before the pinning
before.start()
cpu = pin_process(int(os.environ["INDEX"]))
after = threading.Thread(target=started.wait)  # one started after it
after.start()
threads = {
    task: sorted(os.sched_getaffinity(int(task))) for task in os.listdir("/proc/self/task")
}
started.set()
print(json.dumps({"cpu": cpu, "threads": threads}))
"""


@needs_two_cpus
@pytest.mark.parametrize("index", [0, 1, 2])
def test_every_thread_of_a_pinned_process_stays_on_its_cpu(index: int) -> None:
    ran = subprocess.run(
        [sys.executable, "-c", _CHILD],
        capture_output=True,
        text=True,
        check=True,
        env={"INDEX": str(index), "PATH": ""},
    )
    report = json.loads(ran.stdout)
    cpus = allowed_cpus()
    assert report["cpu"] == cpus[index % len(cpus)]
    assert len(report["threads"]) >= 3
    assert all(placed == [report["cpu"]] for placed in report["threads"].values())
