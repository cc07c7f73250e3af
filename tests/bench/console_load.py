"""What `make run` costs a machine and how its console answers people: the memory of every
process of a running network (each service with its children), and console pages read by
signed-in demo users at once. Used by `bench_network_start.py` on the network it started."""

from __future__ import annotations

import json
import threading
import time
from collections import defaultdict
from pathlib import Path
from types import SimpleNamespace
from typing import cast

from tests.bench.bench_footprint import memory_mib
from tests.support.identity import RunningGateway
from tests.support.web_session import Browser, sign_in
from twoins.common.network import Network
from twoins.common.realm_config import (
    CLUSTER_MANAGER,
    EXPERT,
    FACILITATOR,
    NETWORK_COORDINATOR,
    demo_username,
)

#: The pages people open most, each tried by every user; those a role may not open are left out.
PAGES = (
    "/",
    "/console/smes",
    "/console/needs",
    "/console/offers",
    "/console/referrals",
    "/console/network",
    "/console/knowledge",
    "/console/kpis",
)


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text(encoding="utf-8").rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(entry.name))
    return found


def _tree(pid: int) -> list[int]:
    pids, waiting = [], [pid]
    while waiting:
        current = waiting.pop()
        pids.append(current)
        waiting.extend(_children(current))
    return pids


def network_memory(network: Network, data_dir: Path) -> dict[str, float]:
    """RSS and PSS (MiB) of each kind of service `network up --detach` started (with their
    child processes: gunicorn's workers, Keycloak's JVM): the seven nodes together, the NATS
    leaves together, each other service, and all."""
    started = json.loads((data_dir / "network.json").read_text(encoding="utf-8"))
    kinds: dict[str, dict[str, float]] = defaultdict(lambda: {"rss_mib": 0.0, "pss_mib": 0.0})
    for name, pid in started.items():
        kind = name
        if name in network.region_ids:
            kind = "nodes"
        elif name.startswith("nats-leaf-"):
            kind = "nats_leaves"
        for member in _tree(pid):
            try:
                figures = memory_mib(member)
            except OSError:  # gone meanwhile
                continue
            for key in ("rss_mib", "pss_mib"):
                kinds[kind][key] += figures[key]
                kinds["all"][key] += figures[key]
    return {
        f"{kind}_{key}": round(value, 1)
        for kind, figures in sorted(kinds.items())
        for key, value in figures.items()
    }


def demo_people(network: Network, count: int) -> list[str]:
    """`count` demo users, round the regions and roles, then the network coordinator."""
    people = [
        demo_username(role, region.id)
        for role in (FACILITATOR, CLUSTER_MANAGER, EXPERT)
        for region in network.regions
    ] + [demo_username(NETWORK_COORDINATOR)]
    return people[:count]


def _timed(browser: Browser, url: str) -> tuple[float, int]:
    began = time.perf_counter()
    page = browser.open(url)
    return time.perf_counter() - began, page.status


def console_load(
    network: Network, users: int, rounds: int, seconds: float
) -> tuple[list[float], dict[str, int]]:
    """`users` people signed in at once, each reading its pages `rounds` times (or until
    `seconds` pass); the latency of every page read, and the count of each status."""
    gateway = cast(RunningGateway, SimpleNamespace(url=network.network.gateway_url))
    browsers = {person: sign_in(gateway, person) for person in demo_people(network, users)}
    pages = {
        person: [
            page
            for page in PAGES
            if _timed(browser, f"{gateway.url}{page}")[1] == 200  # what this role may open
        ]
        for person, browser in browsers.items()
    }
    samples: list[float] = []
    statuses: dict[str, int] = defaultdict(int)
    lock = threading.Lock()
    deadline = time.monotonic() + seconds
    start = threading.Barrier(len(browsers))

    def read(person: str) -> None:
        start.wait()
        for _round in range(rounds):
            for page in pages[person]:
                if time.monotonic() > deadline:
                    return
                took, status = _timed(browsers[person], f"{gateway.url}{page}")
                with lock:
                    samples.append(took)
                    statuses[str(status)] += 1

    threads = [threading.Thread(target=read, args=(person,)) for person in browsers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + 60)
    return samples, dict(statuses)
