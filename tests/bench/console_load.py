"""What `make run` costs a machine and how its console answers people: the memory of every
process of a running network (each service with its children), and console pages read by
signed-in demo users at once (wrk, each connection with its user's session). Used by
`bench_network_start.py` on the network it started."""

from __future__ import annotations

import json
import os
import statistics
import time
from collections import defaultdict
from pathlib import Path
from types import SimpleNamespace
from typing import cast

from tests.bench.bench_footprint import memory_mib
from tests.bench.wrk import run_wrk
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


def _children() -> dict[int, list[int]]:
    """Every process's children, by process id."""
    found: dict[int, list[int]] = defaultdict(list)
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text(encoding="utf-8").rsplit(")", 1)[1].split()
        except OSError:  # gone meanwhile
            continue
        found[int(fields[1])].append(int(entry.name))
    return found


def _tree(pid: int, children: dict[int, list[int]]) -> list[int]:
    """The process and its descendants."""
    pids, waiting = [], [pid]
    while waiting:
        current = waiting.pop()
        pids.append(current)
        waiting.extend(children[current])
    return pids


def _kinds(network: Network, data_dir: Path) -> dict[str, list[int]]:
    """The processes of each kind of service `network up --detach` started, with their
    children (gunicorn's workers, Keycloak's JVM): the seven nodes together, the NATS leaves
    together, each other service alone."""
    started = json.loads((data_dir / "network.json").read_text(encoding="utf-8"))
    kinds: dict[str, list[int]] = defaultdict(list)
    children = _children()
    for name, pid in started.items():
        kind = name
        if name in network.region_ids:
            kind = "nodes"
        elif name.startswith("nats-leaf-"):
            kind = "nats_leaves"
        kinds[kind].extend(_tree(pid, children))
    return kinds


def cpu_seconds(network: Network, data_dir: Path) -> dict[str, float]:
    """The CPU time (user and system) each kind of service has used so far."""
    tick = os.sysconf("SC_CLK_TCK")
    used: dict[str, float] = defaultdict(float)
    for kind, pids in _kinds(network, data_dir).items():
        for pid in pids:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:  # gone meanwhile
                continue
            used[kind] += (int(fields[11]) + int(fields[12])) / tick
    return dict(used)


def network_memory(network: Network, data_dir: Path) -> dict[str, float]:
    """RSS and PSS (MiB) of each kind of service (`_kinds`), and of all."""
    kinds: dict[str, dict[str, float]] = defaultdict(lambda: {"rss_mib": 0.0, "pss_mib": 0.0})
    for kind, pids in _kinds(network, data_dir).items():
        for member in pids:
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


def _cookie_header(browser: Browser) -> str:
    """The cookies a browser would send to the gateway (the session the sign-in left)."""
    return "; ".join(f"{cookie.name}={cookie.value}" for cookie in browser.cookies)


#: How long a person looks at a console page before opening the next, on average (each pause
#: drawn between half and one and a half times it): a short one, to be on the safe side.
THINK_MS = 1000


def _wrk_script(users: list[tuple[str, list[str]]], think_ms: int | None = None) -> str:
    """A wrk script giving each of its threads one user: its session cookie and its pages,
    read in turn, with a pause of about `think_ms` before each (none when None)."""
    table = ",\n".join(
        f"  {{cookie = {json.dumps(cookie)}, pages = {{{', '.join(map(json.dumps, pages))}}}}}"
        for cookie, pages in users
    )
    return f"""local users = {{
{table}
}}
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("user", threads)
end
function init(args)
  me = users[user]
  at = 0
  math.randomseed(user)  -- each user pauses on its own rhythm
end
function request()
  at = at % #me.pages + 1
  return wrk.format("GET", me.pages[at], {{["Cookie"] = me.cookie}})
end
""" + (
        f"function delay()\n  return math.random({think_ms // 2}, {think_ms * 3 // 2})\nend\n"
        if think_ms
        else ""
    )


def console_load(
    network: Network, users: int, seconds: int, folder: Path
) -> tuple[dict[str, float], dict[str, float]]:
    """`users` demo people signed in, then reading their pages for `seconds` (wrk, one
    connection each, every request with its user's session) twice: as people do, pausing about
    `THINK_MS` on each page (figures named `people_*`), then without pausing, as fast as the
    network answers (the capacity: the figures without a prefix). Also each page's latency
    read alone, one user at a time (p50 over the users who may open it)."""
    gateway = cast(RunningGateway, SimpleNamespace(url=network.network.gateway_url))
    browsers = {person: sign_in(gateway, person) for person in demo_people(network, users)}
    alone: dict[str, list[float]] = defaultdict(list)
    pages: dict[str, list[str]] = {}
    for person, browser in browsers.items():
        pages[person] = []
        for page in PAGES:
            _took, status = _timed(browser, f"{gateway.url}{page}")  # warm-up, and allowed?
            if status != 200:
                continue
            pages[person].append(page)
            alone[page].append(min(_timed(browser, f"{gateway.url}{page}")[0] for _ in range(3)))
    sessions = [(_cookie_header(browsers[person]), pages[person]) for person in browsers]
    script = folder / "console-people.lua"
    script.write_text(_wrk_script(sessions, THINK_MS), encoding="utf-8")
    people = wrk(gateway.url, script, users, seconds)
    script = folder / "console-load.lua"
    script.write_text(_wrk_script(sessions), encoding="utf-8")
    before = cpu_seconds(network, folder)
    figures = wrk(gateway.url, script, users, seconds)
    after = cpu_seconds(network, folder)
    spent = {kind: after[kind] - before.get(kind, 0.0) for kind in after}
    total = sum(spent.values()) or 1.0
    figures |= {
        f"cpu_share_{kind}": round(value / total, 3)
        for kind, value in sorted(spent.items())
        if value / total >= 0.005
    }
    figures["cpu_cores_busy"] = round(total / seconds, 2)
    figures |= {f"people_{key}": value for key, value in people.items()}
    return figures, {
        f"{page}_alone_p50_ms": round(1000 * statistics.median(samples), 1)
        for page, samples in sorted(alone.items())
    }


def wrk(url: str, script: Path, connections: int, seconds: int) -> dict[str, float]:
    """wrk's figures for `connections` connections, each its own thread, for `seconds`."""
    figures = run_wrk(
        [
            f"-t{connections}",
            f"-c{connections}",
            f"-d{seconds}s",
            "--latency",
            "-s",
            str(script),
            url,
        ],
        seconds,
    )
    return {
        "pages_per_s": figures["requests_per_second"],
        "p50_ms": round(figures["p50_ms"], 1),
        "p90_ms": round(figures["p90_ms"], 1),
        "p99_ms": round(figures["p99_ms"], 1),
        "non_2xx_or_3xx": figures["non_2xx"],
    }
