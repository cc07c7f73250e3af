"""Sustained load: the gateway and a node for three minutes, authenticated reads by wrk with
creates alongside; per 30-second slice the rate, p99, errors, and the memory (RSS) of the
gateway's workers and of the node. Nothing may grow without bound and no error may spike.
Run with `make bench` (BENCH_LOAD_SLICES changes the number of slices)."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest
import requests

from tests.bench.bench_gateway import (
    REGION,
    THREADS,
    TWOINS,
    WORKERS,
    _gateway_environment,
    _process,
    _wait_http,
    _wait_node,
    _workers,
    _wrk,
    identity,
)
from tests.bench.report import record
from tests.bench.sizes import size
from tests.support.api import Caller, organisation_body
from tests.support.identity import Identity
from tests.support.postgres import free_port

SLICES = int(os.environ.get("BENCH_LOAD_SLICES", size("6", "1")))
SLICE_SECONDS = size(30, 2)
#: Creates a second alongside the reads, through the same gateway.
WRITE_RATE = 10

__all__ = ["identity"]


def _rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text(encoding="utf-8").splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


@pytest.mark.timeout(1800)
def test_sustained_load_keeps_memory_and_errors_flat(
    identity: Identity, tmp_path_factory: pytest.TempPathFactory
) -> None:
    folder = tmp_path_factory.mktemp("load")
    node_address = f"127.0.0.1:{free_port()}"
    node_command = [
        *TWOINS,
        "node",
        "serve",
        "--region",
        REGION,
        "--listen",
        node_address,
        "--database",
        f"sqlite:///{folder / 'node.db'}",
    ]
    node_environment = {
        "TWOINS_AUTH_ISSUER": identity.issuer,
        "TWOINS_AUTH_JWKS_URL": identity.jwks_url,
        "TWOINS_LOG_LEVEL": "WARNING",
    }
    port = identity.gateway_port
    url = f"http://127.0.0.1:{port}"
    environment = _gateway_environment(identity, node_address, identity.gateway_url)
    with (
        _process(node_command, node_environment, folder / "node.log") as node,
        _process(
            [
                *TWOINS,
                "gateway",
                "serve",
                "--listen",
                f"127.0.0.1:{port}",
                "--workers",
                str(WORKERS),
                "--threads",
                str(THREADS),
            ],
            environment,
            folder / "gateway.log",
        ) as gateway,
    ):
        _wait_node(node_address, node)
        _wait_http(f"{url}/readyz", gateway)
        caller = Caller(identity, url, f"facilitator.{REGION}")
        path = f"/api/v1/organisations/{caller.organisation()}"
        token = identity.access_token(f"facilitator.{REGION}")
        _wrk(url + path, token)  # warm-up
        workers = _workers(gateway.pid)
        stop = threading.Event()
        writes = {"ok": 0, "failed": 0}

        def write() -> None:
            session = requests.Session()
            while not stop.is_set():
                started = time.monotonic()
                response = session.post(
                    f"{url}/api/v1/organisations",
                    json=organisation_body(),
                    headers={"Authorization": f"Bearer {identity.access_token(caller.username)}"},
                    timeout=10,
                )
                writes["ok" if response.status_code == 201 else "failed"] += 1
                time.sleep(max(0.0, 1 / WRITE_RATE - (time.monotonic() - started)))

        writer = threading.Thread(target=write, daemon=True)
        writer.start()
        slices = []
        try:
            for _ in range(SLICES):
                token = identity.access_token(f"facilitator.{REGION}")
                figures = _wrk(url + path, token, seconds=SLICE_SECONDS)
                figures["gateway_rss_mib"] = round(sum(_rss_mib(pid) for pid in workers), 1)
                figures["node_rss_mib"] = _rss_mib(node.pid)
                slices.append(figures)
                print(f"   slice {len(slices)}: {figures}")
        finally:
            stop.set()
            writer.join(15)
    first, last = slices[0], slices[-1]
    summary = {
        "minutes": round(SLICES * SLICE_SECONDS / 60, 1),
        "requests_per_second_min": min(item["requests_per_second"] for item in slices),
        "requests_per_second_max": max(item["requests_per_second"] for item in slices),
        "p99_ms_worst_slice": max(item["p99_ms"] for item in slices),
        "non_2xx_total": sum(item["non_2xx"] for item in slices),
        "creates_ok": writes["ok"],
        "creates_failed": writes["failed"],
        "gateway_rss_growth_mib": round(last["gateway_rss_mib"] - first["gateway_rss_mib"], 1),
        "node_rss_growth_mib": round(last["node_rss_mib"] - first["node_rss_mib"], 1),
    }
    record(
        "load_sustained_gateway_and_node",
        summary,
        "mixed",
        {"first_slice": str(first), "last_slice": str(last)},
        last["requests_per_second"] / max(first["requests_per_second"], 1),
        f"{SLICES} slices of {SLICE_SECONDS} s: wrk reads plus {WRITE_RATE} creates/s; ratio is "
        "the last slice's rate over the first's",
        curve={str(index + 1): item for index, item in enumerate(slices)},
    )
    assert summary["non_2xx_total"] == 0
    assert summary["creates_failed"] == 0
