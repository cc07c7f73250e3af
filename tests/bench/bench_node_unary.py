"""Unary create and get on a node, next to a bare gRPC echo measured in the same run.

Both servers run in their own processes; the client drives them from threads of this one.
Run with `make bench`. Figures are printed and written to bench-results/latest.json.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import Any

import grpc
import pytest

from tests.bench.echo_server import ECHO_METHOD
from tests.bench.flames import flame_graph
from tests.bench.report import latency_summary, record
from tests.bench.sizes import size
from tests.support import builders
from tests.support.identity import Identity
from tests.support.node_processes import serve_command, wait_until_all_serve
from tests.support.postgres import free_port
from twoins.cli.node_client import NodeClient
from twoins.gateway.nodes import RegionNodes
from twoins.v1 import organisation_pb2, organisation_pb2_grpc

CLIENT_THREADS = int(os.environ.get("BENCH_THREADS", "8"))
DURATION_SECONDS = size(5.0, 0.3)
MAX_CALLS = size(20_000, 200)
FLAME_SECONDS = size(3.0, 0.1)


def run_load(
    call: Callable[[], object], threads: int = CLIENT_THREADS, duration: float = DURATION_SECONDS
) -> tuple[float, list[float]]:
    """Calls `call` from `threads` threads for `duration` seconds (at most MAX_CALLS calls);
    returns calls per second and every call's latency."""
    latencies: list[list[float]] = [[] for _ in range(threads)]
    deadline = time.monotonic() + duration
    budget = MAX_CALLS // threads

    def worker(samples: list[float]) -> None:
        while time.monotonic() < deadline and len(samples) < budget:
            started = time.perf_counter()
            call()
            samples.append(time.perf_counter() - started)

    started = time.monotonic()
    workers = [threading.Thread(target=worker, args=(samples,)) for samples in latencies]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join()
    elapsed = time.monotonic() - started
    flat = [sample for samples in latencies for sample in samples]
    return len(flat) / elapsed, flat


@pytest.fixture(scope="module")
def node_process(
    tmp_path_factory: pytest.TempPathFactory, identity: Identity
) -> Iterator[tuple[str, int]]:
    """A node checking the caller's token on every call, as in production."""
    yield from _node(tmp_path_factory, identity, processes=1)


@pytest.fixture(scope="module")
def node_of_two_processes(
    tmp_path_factory: pytest.TempPathFactory, identity: Identity
) -> Iterator[tuple[str, int]]:
    """The same node serving from two processes on its port (`--processes 2`)."""
    yield from _node(tmp_path_factory, identity, processes=2)


@pytest.fixture(scope="module")
def pinned_node(
    tmp_path_factory: pytest.TempPathFactory, identity: Identity
) -> Iterator[tuple[str, int]]:
    """The node of one process kept on one CPU (`--pin-cpus`)."""
    yield from _node(tmp_path_factory, identity, processes=1, pin_cpus=True)


@pytest.fixture(scope="module")
def pinned_node_of_two_processes(
    tmp_path_factory: pytest.TempPathFactory, identity: Identity
) -> Iterator[tuple[str, int]]:
    """The node of two serving processes, each kept on a CPU of its own (`--pin-cpus`)."""
    yield from _node(tmp_path_factory, identity, processes=2, pin_cpus=True)


def _node(
    tmp_path_factory: pytest.TempPathFactory,
    identity: Identity,
    processes: int,
    pin_cpus: bool = False,
) -> Iterator[tuple[str, int]]:
    address = f"127.0.0.1:{free_port()}"
    folder = tmp_path_factory.mktemp("bench")
    database, metrics_folder = folder / "node.db", folder / "metrics"
    metrics_folder.mkdir()
    environment = {
        **os.environ,
        "TWOINS_AUTH_ISSUER": identity.issuer,
        "TWOINS_AUTH_JWKS_URL": identity.jwks_url,
        # Where `wait_until_all_serve` sees each serving process's calls.
        **({"PROMETHEUS_MULTIPROC_DIR": str(metrics_folder)} if processes > 1 else {}),
    }
    process = subprocess.Popen(
        serve_command(
            "it-basilicata",
            address,
            database,
            "--processes",
            str(processes),
            *(["--pin-cpus"] if pin_cpus else []),
        ),
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    with grpc.insecure_channel(address) as channel:
        grpc.channel_ready_future(channel).result(timeout=60)
    if processes > 1:
        wait_until_all_serve(address, process.pid, processes, metrics_folder)
    yield address, process.pid
    process.terminate()
    process.wait(40)


@pytest.fixture(scope="module")
def echo_address() -> Iterator[str]:
    yield from _echo()


@pytest.fixture(scope="module")
def pinned_echo_address() -> Iterator[str]:
    """The bare echo kept on one CPU, as a pinned node's processes are."""
    yield from _echo("--pin-cpu")


def _echo(*flags: str) -> Iterator[str]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.bench.echo_server", str(port), *flags],
        stdout=subprocess.PIPE,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert process.stdout is not None
    assert process.stdout.readline().strip() == b"ready"
    yield f"127.0.0.1:{port}"
    process.terminate()
    process.wait(20)


def test_unary_create_and_get_against_bare_echo(
    node_process: tuple[str, int], echo_address: str, identity: Identity
) -> None:
    node_address, node_pid = node_process
    request = organisation_pb2.CreateOrganisationRequest(organisation=builders.organisation())
    payload = request.SerializeToString()
    token = partial(identity.access_token, "facilitator.it-basilicata")
    with (
        NodeClient(node_address, token) as client,
        grpc.insecure_channel(echo_address) as channel,
    ):
        echo = channel.unary_unary(ECHO_METHOD, request_serializer=None, response_deserializer=None)
        created_ids: list[str] = []

        def create() -> None:
            created_ids.append(client.organisations.CreateOrganisation(request).organisation.id)

        def get() -> None:
            client.organisations.GetOrganisation(
                organisation_pb2.GetOrganisationRequest(id=created_ids[len(created_ids) // 2])
            )

        def bare_echo() -> None:
            echo(payload)

        echo_rate, echo_latencies = run_load(bare_echo)
        create_rate, create_latencies = run_load(create)
        get_rate, get_latencies = run_load(get)
        # Sampled apart from the measured runs: py-spy costs the process a little.
        with flame_graph("node_unary_create", node_pid):
            run_load(create, duration=FLAME_SECONDS)
        with flame_graph("node_unary_get", node_pid):
            run_load(get, duration=FLAME_SECONDS)

    reference = {"calls_per_second": round(echo_rate, 1), **latency_summary(echo_latencies)}
    record(
        "reference_grpc_echo",
        reference,
        "calls/s",
        reference,
        1.0,
        "a bare gRPC echo server, same client threads: the reference of the node's calls",
        samples_ms=[value * 1000 for value in echo_latencies],
    )
    note = (
        f"{CLIENT_THREADS} client threads, SQLite (WAL, synchronous=FULL), "
        "the caller's access token verified on every call"
    )
    record(
        "node_unary_create",
        {"calls_per_second": round(create_rate, 1), **latency_summary(create_latencies)},
        "calls/s",
        reference,
        create_rate / echo_rate,
        note,
        samples_ms=[value * 1000 for value in create_latencies],
    )
    record(
        "node_unary_get",
        {"calls_per_second": round(get_rate, 1), **latency_summary(get_latencies)},
        "calls/s",
        reference,
        get_rate / echo_rate,
        note,
        samples_ms=[value * 1000 for value in get_latencies],
    )
    assert create_latencies
    assert get_latencies


class _ClientPerThread:
    """A client of its own for each calling thread, each with a connection of its own: how
    several clients (the gateway's workers, other regions) reach a node, whose serving
    processes each take some of the connections."""

    def __init__(self, make: Callable[[], Any]) -> None:
        self._make = make
        self._local = threading.local()
        self._made: list[Any] = []
        self._lock = threading.Lock()

    def get(self) -> Any:
        client = getattr(self._local, "client", None)
        if client is None:
            client = self._local.client = self._make()
            with self._lock:
                self._made.append(client)
        return client

    def close(self) -> None:
        for client in self._made:
            client.close()


def test_unary_calls_on_two_serving_processes(
    node_process: tuple[str, int],
    node_of_two_processes: tuple[str, int],
    echo_address: str,
    identity: Identity,
) -> None:
    """Each client thread with a connection of its own, against the bare echo, the node of
    one process and the node serving from two (`--processes 2`), all in the same run."""
    request = organisation_pb2.CreateOrganisationRequest(organisation=builders.organisation())
    payload = request.SerializeToString()
    token = partial(identity.access_token, "facilitator.it-basilicata")
    echoes = _ClientPerThread(
        lambda: grpc.insecure_channel(echo_address, options=[("grpc.use_local_subchannel_pool", 1)])
    )
    echo_rate, echo_latencies = run_load(lambda: echoes.get().unary_unary(ECHO_METHOD)(payload))
    echoes.close()
    reference = {"calls_per_second": round(echo_rate, 1), **latency_summary(echo_latencies)}
    figures: dict[str, float] = {}
    for name, (address, _pid) in (("one", node_process), ("two", node_of_two_processes)):
        create_rate, get_rate, get_latencies = _rates_per_connection(address, token, request)
        figures[f"{name}_process_create_per_s"] = round(create_rate, 1)
        figures[f"{name}_process_get_per_s"] = round(get_rate, 1)
        figures[f"{name}_process_get_p99_ms"] = latency_summary(get_latencies)["p99_ms"]
    spread_rate = _gets_through_spread_connections(node_of_two_processes[0], token, request)
    figures["two_process_get_per_s_spread"] = round(spread_rate, 1)
    record(
        "node_unary_two_processes",
        {
            **figures,
            "two_process_get_ratio": round(figures["two_process_get_per_s"] / echo_rate, 3),
            "two_process_create_ratio": round(figures["two_process_create_per_s"] / echo_rate, 3),
            "two_process_get_ratio_spread": round(spread_rate / echo_rate, 3),
        },
        "calls/s",
        reference,
        figures["two_process_get_per_s"] / echo_rate,
        f"{CLIENT_THREADS} client threads, each its own connection; ratio is the node of two "
        "serving processes' gets over the bare echo's calls with the same client",
    )
    assert figures["two_process_get_per_s"] > 0


def _gets_through_spread_connections(
    address: str, token: Callable[[], str], request: organisation_pb2.CreateOrganisationRequest
) -> float:
    """Gets per second from the client threads sharing the gateway's connections to the node
    (`RegionNodes`, a connection per thread), once they are spread over its processes."""
    with NodeClient(address, token) as client:
        created = client.organisations.CreateOrganisation(request).organisation.id
    read = organisation_pb2.GetOrganisationRequest(id=created)
    nodes = RegionNodes({"it-basilicata": address}, connections=CLIENT_THREADS)

    def get() -> None:
        nodes.call(
            "it-basilicata",
            organisation_pb2_grpc.OrganisationServiceStub,
            "GetOrganisation",
            read,
            token=token(),
            request_id="bench",
        )

    try:
        for _ in range(20 * CLIENT_THREADS):  # each connection's first answers name its process
            if None not in nodes.serving_processes("it-basilicata"):
                break
            get()
        rate, _latencies = run_load(get)
    finally:
        nodes.close()
    return rate


def _rates_per_connection(
    address: str, token: Callable[[], str], request: organisation_pb2.CreateOrganisationRequest
) -> tuple[float, float, list[float]]:
    """Creates per second, gets per second and the gets' latencies, each client thread with
    a connection of its own."""
    clients = _ClientPerThread(lambda: NodeClient(address, token, own_connection=True))
    with NodeClient(address, token) as client:
        created = client.organisations.CreateOrganisation(request).organisation.id
    read = organisation_pb2.GetOrganisationRequest(id=created)

    def create() -> None:
        clients.get().organisations.CreateOrganisation(request)

    def get() -> None:
        clients.get().organisations.GetOrganisation(read)

    create_rate, _ = run_load(create)
    get_rate, get_latencies = run_load(get)
    clients.close()
    return create_rate, get_rate, get_latencies


def test_unary_calls_on_pinned_processes(
    pinned_node: tuple[str, int],
    pinned_node_of_two_processes: tuple[str, int],
    echo_address: str,
    pinned_echo_address: str,
    identity: Identity,
) -> None:
    """The node kept on one CPU per serving process (`--pin-cpus`), of one process and of two,
    against the bare echo as it runs in the other tests and kept on one CPU too, all in the
    same run; flame graphs of the pinned node's gets."""
    request = organisation_pb2.CreateOrganisationRequest(organisation=builders.organisation())
    payload = request.SerializeToString()
    token = partial(identity.access_token, "facilitator.it-basilicata")
    echo_rates = {}
    for name, address in (("echo", echo_address), ("pinned_echo", pinned_echo_address)):
        with grpc.insecure_channel(address) as channel:
            echo = channel.unary_unary(
                ECHO_METHOD, request_serializer=None, response_deserializer=None
            )
            echo_rates[name], _ = run_load(lambda: echo(payload))  # noqa: B023 - called here
    node_address, node_pid = pinned_node
    with NodeClient(node_address, token) as client:
        read = organisation_pb2.GetOrganisationRequest(
            id=client.organisations.CreateOrganisation(request).organisation.id
        )
        create_rate, _ = run_load(lambda: client.organisations.CreateOrganisation(request))
        get_rate, get_latencies = run_load(lambda: client.organisations.GetOrganisation(read))
        with flame_graph("node_unary_get_pinned", node_pid):
            run_load(lambda: client.organisations.GetOrganisation(read), duration=FLAME_SECONDS)
    two_create_rate, two_get_rate, _ = _rates_per_connection(
        pinned_node_of_two_processes[0], token, request
    )
    two_spread_rate = _gets_through_spread_connections(
        pinned_node_of_two_processes[0], token, request
    )
    pinned_echo_rate = echo_rates["pinned_echo"]
    reference = {
        "calls_per_second": round(pinned_echo_rate, 1),
        "unpinned_echo_calls_per_second": round(echo_rates["echo"], 1),
    }
    record(
        "node_unary_pinned",
        {
            "get_per_s": round(get_rate, 1),
            "create_per_s": round(create_rate, 1),
            **{f"get_{key}": value for key, value in latency_summary(get_latencies).items()},
            "get_ratio": round(get_rate / pinned_echo_rate, 3),
            "create_ratio": round(create_rate / pinned_echo_rate, 3),
            "get_ratio_to_unpinned_echo": round(get_rate / echo_rates["echo"], 3),
            "create_ratio_to_unpinned_echo": round(create_rate / echo_rates["echo"], 3),
            "two_process_get_per_s": round(two_get_rate, 1),
            "two_process_create_per_s": round(two_create_rate, 1),
            "two_process_get_per_s_spread": round(two_spread_rate, 1),
            "two_process_get_ratio": round(two_get_rate / pinned_echo_rate, 3),
            "two_process_get_ratio_spread": round(two_spread_rate / pinned_echo_rate, 3),
            "two_process_create_ratio": round(two_create_rate / pinned_echo_rate, 3),
        },
        "calls/s",
        reference,
        get_rate / pinned_echo_rate,
        f"{CLIENT_THREADS} client threads; node and echo each kept on one CPU per process; "
        "ratio is the pinned node's gets (one process, a shared connection) over the pinned "
        "echo's calls",
    )
    assert get_rate > 0
    assert create_rate > 0
