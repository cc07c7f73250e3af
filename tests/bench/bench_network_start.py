"""Time from `twoins network up` (packages installed, Keycloak fetched) to all seven nodes
healthy, and to the whole network ready (NATS hub and leaves, Keycloak, nodes, monitor,
Prometheus when installed, gateway), without demo data. Two starts: the first on an empty data
directory, the second on the data the first left.

Reference: the NATS hub and leaves alone (`nats-server` processes started and healthy), the
part of a start no Python code is in.

On the second start, with the demo data seeded: the memory of every process of the network
(`make run` in all), and console pages read by 20 signed-in demo users at once, pausing on each
page as people do and without pausing (`console_load.py`). Run with `make bench`."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.bench.console_load import console_load, network_memory
from tests.bench.report import record
from tests.bench.sizes import size
from twoins.cli.broker import is_healthy
from twoins.cli.edge import any_server_answering, leaf_addresses
from twoins.cli.node_client import NodeClient
from twoins.common.network import load_network

START_TIMEOUT = 300.0
CONSOLE_USERS = size(20, 2)
CONSOLE_SECONDS = size(60, 2)
#: The target of `make run` in all: 1.8 GB, in MiB.
TARGET_MIB = 1.8e9 / 2**20
SETTLE_SECONDS = size(10.0, 1.0)


def _all_nodes_healthy(addresses: list[str]) -> bool:
    for address in addresses:
        with NodeClient(address) as client:
            if not client.is_serving(timeout=0.3):
                return False
    return True


def _start(data_dir: Path) -> tuple[float, float, float]:
    """Seconds to the bus healthy, to all nodes healthy, and to `up --detach` returning."""
    network = load_network()
    addresses = [region.endpoints.grpc for region in network.regions]
    monitors = [network.network.bus_monitor_port] + [
        leaf.monitor_port for leaf in leaf_addresses(network).values()
    ]
    began = time.monotonic()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "twoins.cli.main",
            "network",
            "up",
            "--detach",
            "--no-seed",
            "--data-dir",
            str(data_dir),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    bus_at = nodes_at = 0.0
    while process.poll() is None or not nodes_at:
        now = time.monotonic() - began
        if now > START_TIMEOUT:
            process.kill()
            raise AssertionError("the network did not start in time")
        if not bus_at and all(is_healthy(port) for port in monitors):
            bus_at = now
        if bus_at and not nodes_at and _all_nodes_healthy(addresses):
            nodes_at = time.monotonic() - began
        if process.poll() is not None and process.returncode != 0:
            raise AssertionError(
                f"network up failed: {process.stderr.read() if process.stderr else ''}"
            )
        time.sleep(0.1)
    ready_at = time.monotonic() - began
    return bus_at, nodes_at, ready_at


def _stop(data_dir: Path, *, check: bool = True) -> None:
    subprocess.run(
        [sys.executable, "-m", "twoins.cli.main", "network", "down", "--data-dir", str(data_dir)],
        check=check,
        capture_output=True,
        timeout=120,
    )


def _wait_until_no_server_answers(seconds: float = 30.0) -> None:
    """Waits until no bus server of `make run`'s network answers on its fixed ports (another
    run of this benchmark, or a `make run`, still going down)."""
    network = load_network()
    deadline = time.monotonic() + seconds
    while (answering := any_server_answering(network)) is not None:
        if time.monotonic() > deadline:
            raise AssertionError(
                f"{answering} of the local network still answers after {seconds:.0f} s: "
                "stop it (`twoins network down`) before this benchmark"
            )
        time.sleep(0.5)


def _seed() -> None:
    subprocess.run(
        [sys.executable, "-m", "twoins.cli.main", "seed"],
        check=True,
        capture_output=True,
        timeout=600,
    )


def _memory_and_console(data_dir: Path) -> None:
    """On the running network with the demo data: the memory of all its processes, idle,
    then while demo users read console pages at once, and the pages' latencies."""
    network = load_network()
    _seed()
    time.sleep(SETTLE_SECONDS)
    idle = network_memory(network, data_dir)
    load, alone = console_load(network, CONSOLE_USERS, CONSOLE_SECONDS, data_dir)
    loaded = network_memory(network, data_dir)
    record(
        "make_run_memory",
        {
            **{f"idle_{key}": value for key, value in idle.items()},
            **{f"console_load_{key}": value for key, value in loaded.items()},
        },
        "MiB",
        {"target_all_mib": TARGET_MIB},
        idle["all_pss_mib"] / TARGET_MIB,
        "every process of `make run` (each with its children) after seeding the demo data, "
        "idle and after the console load; ratio is all PSS idle over the 1.8 GB target",
    )
    record(
        "console_pages",
        {"users": CONSOLE_USERS, **load, **alone},
        "ms",
        {"target_p99_ms": 100},
        load["people_p99_ms"] / 100,
        f"{CONSOLE_USERS} signed-in demo users reading console pages at once (wrk) on "
        "`make run` with the demo data, as people do (people_*: about a second on each page) "
        "and as fast as the network answers (the capacity); ratio is the people's p99 over "
        "the 100 ms target",
    )


@pytest.mark.timeout(1800)
def test_network_start_time(tmp_path: Path) -> None:
    data_dir = tmp_path / "network"
    figures: dict[str, float] = {}
    for run in ("first", "second"):
        _wait_until_no_server_answers()
        started = False
        try:
            bus, nodes, ready = _start(data_dir)
            started = True
            if run == "second":
                _memory_and_console(data_dir)
        finally:
            # After a start that failed, `down` may find no network to stop: that is not the
            # error to report.
            _stop(data_dir, check=started)
        figures[f"{run}_bus_healthy_s"] = round(bus, 1)
        figures[f"{run}_nodes_healthy_s"] = round(nodes, 1)
        figures[f"{run}_ready_s"] = round(ready, 1)
    record(
        "network_start",
        figures,
        "seconds",
        {"nats_hub_and_leaves_s": figures["second_bus_healthy_s"]},
        figures["second_nodes_healthy_s"] / max(figures["second_bus_healthy_s"], 0.001),
        "make run to seven healthy nodes; the reference is the bus alone in the same start",
    )
