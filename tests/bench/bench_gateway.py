"""Authenticated API reads through the gateway to a node, next to the same server set-up and
Flask stack verifying the same token and returning a constant (no node), in the same run.

Real Keycloak token, real node (own process), gateway and reference under gunicorn with the
same workers and threads; load from wrk with 32 connections. Also reports how the load spread
over the gateway's workers (CPU time per worker): with SO_REUSEPORT the kernel spreads the
connections, so no worker is left idle while another takes them all.
Run with `make bench`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from tests.bench.flames import flame_graph
from tests.bench.report import record
from tests.bench.sizes import size
from tests.bench.wrk import run_wrk
from tests.support.api import Caller
from tests.support.identity import Identity, running_identity
from tests.support.node_processes import serve_command, wait_until_all_serve
from tests.support.postgres import free_port
from twoins.cli.node_client import NodeClient
from twoins.common.realm_config import DEV_CONSOLE_SECRET

CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "32"))
DURATION_SECONDS = int(os.environ.get("BENCH_SECONDS", size("10", "1")))
FLAME_SECONDS = size(5, 1)
WORKERS = int(os.environ.get("BENCH_GATEWAY_WORKERS", "2"))
THREADS = int(os.environ.get("BENCH_GATEWAY_THREADS", "8"))
REGION = "it-basilicata"
TWOINS = [sys.executable, "-m", "twoins.cli.main"]

pytestmark = pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk is not installed")


def _wait_http(url: str, process: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url}: the server exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - loopback http
                return
        except urllib.error.HTTPError:
            return  # it answers, if only to refuse
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {timeout}s")


def _wait_node(address: str, process: subprocess.Popen[bytes], timeout: float = 60) -> None:
    """Returns once the node answers health checks (the gateway may be ready before it)."""
    deadline = time.monotonic() + timeout
    with NodeClient(address) as client:
        while not client.is_serving(timeout=1.0):
            if process.poll() is not None:
                raise RuntimeError(f"the node at {address} exited with {process.returncode}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"the node at {address} did not serve within {timeout}s")
            time.sleep(0.2)


@contextmanager
def _process(
    command: list[str], environment: dict[str, str], log: Path
) -> Iterator[subprocess.Popen[bytes]]:
    with log.open("wb") as output:
        process = subprocess.Popen(
            command, env={**os.environ, **environment}, stdout=output, stderr=subprocess.STDOUT
        )
    try:
        yield process
    finally:
        process.terminate()
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture(scope="module")
def identity(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Identity]:
    with running_identity(tmp_path_factory.mktemp("keycloak") / "home") as running:
        yield running


def _gateway_environment(identity: Identity, node: str, public_url: str) -> dict[str, str]:
    return {
        "TWOINS_GATEWAY_PUBLIC_URL": public_url,
        "TWOINS_GATEWAY_SECRET_KEY": "bench-secret-key-of-at-least-32-characters",
        "TWOINS_AUTH_ISSUER": identity.issuer,
        "TWOINS_AUTH_BACKCHANNEL_URL": identity.realm_url,
        "TWOINS_CONSOLE_CLIENT_SECRET": DEV_CONSOLE_SECRET,
        "TWOINS_GATEWAY_NODES": f"{REGION}={node}",
    }


def _workers(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return [int(pid) for pid in children]


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _wrk(url: str, token: str, seconds: int = DURATION_SECONDS) -> dict[str, float]:
    figures = run_wrk(
        [
            "-t2",
            f"-c{CONNECTIONS}",
            f"-d{seconds}s",
            "--latency",
            "-H",
            f"Authorization: Bearer {token}",
            url,
        ],
        seconds,
    )
    return {key: figures[key] for key in ("requests_per_second", "p50_ms", "p99_ms", "non_2xx")}


def _node_command(
    address: str, database: Path, processes: int = 1, pinned: bool = False
) -> list[str]:
    pin = ["--pin-cpus"] if pinned else []
    return serve_command(REGION, address, database, "--processes", str(processes), *pin)


def test_authenticated_reads_through_the_gateway(
    identity: Identity, tmp_path_factory: pytest.TempPathFactory
) -> None:
    folder = tmp_path_factory.mktemp("gateway-bench")
    measured, baseline, echo_chain, path = _reads_against_references(identity, folder)
    record(
        "gateway_authenticated_read",
        measured,
        "requests/s",
        _references(baseline, echo_chain),
        measured["requests_per_second"] / echo_chain["requests_per_second"],
        f"GET {path} through the gateway to a node, against two gunicorn + Flask references "
        f"verifying the same token: one that makes one gRPC call to a bare echo server (the "
        f"ratio) and one answering a constant (ratio_to_constant); {CONNECTIONS} connections, "
        f"{WORKERS} workers × {THREADS} threads, {DURATION_SECONDS}s each",
    )
    _reads_with_a_node_of_two_processes(identity, folder, echo_chain, baseline)


def test_authenticated_reads_with_every_process_pinned(
    identity: Identity, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """The same run with the gateway's workers, the references' workers, the node and the echo
    each kept on one CPU (`--pin-cpus`)."""
    folder = tmp_path_factory.mktemp("gateway-bench-pinned")
    measured, baseline, echo_chain, path = _reads_against_references(identity, folder, True)
    record(
        "gateway_authenticated_read_pinned",
        measured,
        "requests/s",
        _references(baseline, echo_chain),
        measured["requests_per_second"] / echo_chain["requests_per_second"],
        f"GET {path} as in gateway_authenticated_read, every server process (gateway and "
        "reference workers, node, echo) kept on one CPU, in turn",
    )


def _references(baseline: dict[str, float], echo_chain: dict[str, float]) -> dict[str, float]:
    return {
        **{f"constant_{key}": value for key, value in baseline.items()},
        **{f"echo_chain_{key}": value for key, value in echo_chain.items()},
    }


def _reads_against_references(
    identity: Identity, folder: Path, pinned: bool = False
) -> tuple[dict[str, Any], dict[str, float], dict[str, float], str]:
    """Reads through the gateway to a node, through the reference answering a constant and
    through the gateway + echo chain, in turn; their figures and the path read."""
    node_address = f"127.0.0.1:{free_port()}"
    node_environment = _node_environment(identity)
    node_command = _node_command(node_address, folder / "node.db", pinned=pinned)
    gateway_port, reference_port = identity.gateway_port, free_port()
    chain_port, echo_port = free_port(), free_port()
    gateway_url = f"http://127.0.0.1:{gateway_port}"
    reference_url = f"http://127.0.0.1:{reference_port}"
    chain_url = f"http://127.0.0.1:{chain_port}"
    environment = _gateway_environment(identity, node_address, identity.gateway_url)
    server_options = [
        "--workers",
        str(WORKERS),
        "--threads",
        str(THREADS),
        *(["--pin-cpus"] if pinned else []),
    ]
    with (
        _process(node_command, node_environment, folder / "node.log") as node,
        _process(
            [*TWOINS, "gateway", "serve", "--listen", f"127.0.0.1:{gateway_port}", *server_options],
            environment,
            folder / "gateway.log",
        ) as gateway,
        _process(
            [
                sys.executable,
                "-m",
                "tests.bench.reference_gateway",
                "--listen",
                f"127.0.0.1:{reference_port}",
                *server_options,
            ],
            environment,
            folder / "reference.log",
        ) as reference,
        _process(
            [
                sys.executable,
                "-m",
                "tests.bench.echo_server",
                str(echo_port),
                *(["--pin-cpu"] if pinned else []),
            ],
            {},
            folder / "echo.log",
        ),
        _process(
            [
                sys.executable,
                "-m",
                "tests.bench.reference_gateway",
                "--listen",
                f"127.0.0.1:{chain_port}",
                "--echo",
                f"127.0.0.1:{echo_port}",
                *server_options,
            ],
            environment,
            folder / "chain.log",
        ) as chain,
    ):
        _wait_node(node_address, node)
        _wait_http(f"{gateway_url}/readyz", gateway)
        _wait_http(f"{reference_url}/api/v1/organisations/x", reference)
        _wait_http(f"{chain_url}/api/v1/organisations/x", chain)
        caller = Caller(identity, gateway_url, f"facilitator.{REGION}")
        organisation_id = caller.organisation()
        token = identity.access_token(f"facilitator.{REGION}")
        path = f"/api/v1/organisations/{organisation_id}"
        _wrk(gateway_url + path, token)  # warm-up: keys fetched, channels open
        _wrk(reference_url + path, token)
        _wrk(chain_url + path, token)
        workers = _workers(gateway.pid)
        before = {pid: _cpu_seconds(pid) for pid in workers}
        measured = _wrk(gateway_url + path, token)
        spent = {pid: _cpu_seconds(pid) - before[pid] for pid in workers}
        baseline = _wrk(reference_url + path, token)
        echo_chain = _wrk(chain_url + path, token)
        # Sampled apart from the measured runs: py-spy costs the processes a little.
        suffix = "_pinned" if pinned else ""
        with (
            flame_graph(f"gateway_read_gateway{suffix}", gateway.pid, subprocesses=True),
            flame_graph(f"gateway_read_node{suffix}", node.pid),
        ):
            _wrk(gateway_url + path, token, FLAME_SECONDS)
    total = sum(spent.values()) or 1.0
    shares = sorted(round(value / total, 3) for value in spent.values())
    result: dict[str, Any] = dict(measured)
    result["worker_cpu_shares"] = shares
    rate = measured["requests_per_second"]
    result["ratio_to_constant"] = round(rate / baseline["requests_per_second"], 3)
    result["ratio_to_echo_chain"] = round(rate / echo_chain["requests_per_second"], 3)
    assert measured["non_2xx"] == 0
    assert baseline["non_2xx"] == 0
    assert echo_chain["non_2xx"] == 0
    return result, baseline, echo_chain, path


def _node_environment(identity: Identity) -> dict[str, str]:
    return {
        "TWOINS_AUTH_ISSUER": identity.issuer,
        "TWOINS_AUTH_JWKS_URL": identity.jwks_url,
        "TWOINS_LOG_LEVEL": "WARNING",
    }


def _reads_with_a_node_of_two_processes(
    identity: Identity,
    folder: Path,
    echo_chain: dict[str, float],
    baseline: dict[str, float],
) -> None:
    """The same reads through the same gateway set-up, the node serving from two processes
    (`--processes 2`); the references are the same run's."""
    node_address, gateway_port = f"127.0.0.1:{free_port()}", free_port()
    gateway_url = f"http://127.0.0.1:{gateway_port}"
    metrics_folder = folder / "node-two-metrics"
    metrics_folder.mkdir()
    environment = _gateway_environment(identity, node_address, identity.gateway_url)
    server_options = ["--workers", str(WORKERS), "--threads", str(THREADS)]
    with (
        _process(
            _node_command(node_address, folder / "node-two.db", processes=2),
            {**_node_environment(identity), "PROMETHEUS_MULTIPROC_DIR": str(metrics_folder)},
            folder / "node-two.log",
        ) as node,
        _process(
            [*TWOINS, "gateway", "serve", "--listen", f"127.0.0.1:{gateway_port}", *server_options],
            environment,
            folder / "gateway-two.log",
        ) as gateway,
    ):
        _wait_node(node_address, node)
        # Before the gateway's first call: it keeps the connections it opens then.
        wait_until_all_serve(node_address, node.pid, 2, metrics_folder)
        _wait_http(f"{gateway_url}/readyz", gateway)
        caller = Caller(identity, gateway_url, f"facilitator.{REGION}")
        path = f"/api/v1/organisations/{caller.organisation()}"
        token = identity.access_token(f"facilitator.{REGION}")
        _wrk(gateway_url + path, token)  # warm-up
        measured = _wrk(gateway_url + path, token)
    rate = measured["requests_per_second"]
    measured["ratio_to_constant"] = round(rate / baseline["requests_per_second"], 3)
    record(
        "gateway_authenticated_read_two_node_processes",
        measured,
        "requests/s",
        {f"echo_chain_{key}": value for key, value in echo_chain.items()},
        rate / echo_chain["requests_per_second"],
        f"GET {path} through the gateway to a node serving from two processes (the gateway "
        "keeps two connections per worker); ratio to the same run's gateway + gRPC echo",
    )
    assert measured["non_2xx"] == 0
