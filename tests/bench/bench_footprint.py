"""Memory of a node process: idle after its start, under a read load, and holding a network
catalogue of 10,000 needs and 10,000 offers (with their text embeddings) in its index; each
figure as resident set (RSS) and proportional set (PSS), beside the same-run reference of a bare
gRPC echo server (the floor of any Python gRPC process here). Run with `make bench`.

The node runs without identity checks here: a token check is a cached dictionary lookup and
holds no memory of note, and the benchmark needs no Keycloak."""

from __future__ import annotations

import random
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import grpc

from tests.bench.bench_catalogue import REGIONS, _vector, catalogue_events
from tests.bench.bench_node_unary import run_load
from tests.bench.echo_server import ECHO_METHOD
from tests.bench.report import record
from tests.bench.sizes import size
from tests.support import builders
from tests.support.node_processes import serve_command
from tests.support.postgres import free_port
from twoins.cli.node_client import NodeClient
from twoins.node.bus.apply import EventApplier
from twoins.node.store.database import Database
from twoins.node.store.node_store import NodeStore
from twoins.v1 import organisation_pb2

ENTRIES_PER_KIND = size(10_000, 100)
LOAD_SECONDS = size(5.0, 0.3)
SETTLE_SECONDS = size(2.0, 0.2)
BATCH = 256
ROOT = Path(__file__).resolve().parents[2]


def memory_mib(pid: int) -> dict[str, float]:
    """RSS and PSS of one process, in MiB."""
    figures = {"rss_mib": 0.0, "pss_mib": 0.0}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text(encoding="utf-8").splitlines():
        name, _, rest = line.partition(":")
        if name in ("Rss", "Pss"):
            figures[f"{name.lower()}_mib"] = round(int(rest.split()[0]) / 1024, 1)
    return figures


def _fill_catalogue(database_url: str, count: int) -> None:
    """`count` needs and offers of the other regions, applied as the node's consumer does."""
    database = Database(database_url)
    database.upgrade()
    rng = random.Random(count)
    pool = [_vector(rng) for _ in range(min(count, 2_000))]
    counter = iter(range(10**9))
    applier = EventApplier(
        NodeStore(database),
        frozenset(REGIONS),
        embed=lambda _text: pool[next(counter) % len(pool)],
        verify=None,
    )
    others = [region for region in REGIONS if region != "it-basilicata"]
    events = catalogue_events(count, others, rng, embedded=True)
    for start in range(0, len(events), BATCH):
        applier.apply_batch([(*event, {}) for event in events[start : start + BATCH]])
    database.dispose()


@contextmanager
def _node(database_url: str) -> Iterator[tuple[str, int]]:
    address = f"127.0.0.1:{free_port()}"
    process = subprocess.Popen(
        serve_command(
            "it-basilicata",
            address,
            database_url,
            "--allow-unauthenticated",
        ),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        with grpc.insecure_channel(address) as channel:
            grpc.channel_ready_future(channel).result(timeout=120)
        time.sleep(SETTLE_SECONDS)
        yield address, process.pid
    finally:
        process.terminate()
        process.wait(30)


def _peak_under_load(address: str, pid: int) -> dict[str, float]:
    """The largest RSS and PSS seen while 8 threads create and read SMEs."""
    request = organisation_pb2.CreateOrganisationRequest(organisation=builders.organisation())
    peak = {"rss_mib": 0.0, "pss_mib": 0.0}
    with NodeClient(address) as client:
        first = client.organisations.CreateOrganisation(request).organisation.id

        def create_and_get() -> None:
            client.organisations.CreateOrganisation(request)
            client.organisations.GetOrganisation(organisation_pb2.GetOrganisationRequest(id=first))
            for key, value in memory_mib(pid).items():
                peak[key] = max(peak[key], value)

        run_load(create_and_get, duration=LOAD_SECONDS)
    return peak


def test_node_memory_idle_under_load_and_holding_the_catalogue(tmp_path: Path) -> None:
    port = free_port()
    echo = subprocess.Popen(
        [sys.executable, "-m", "tests.bench.echo_server", str(port)],
        stdout=subprocess.PIPE,
        cwd=ROOT,
    )
    assert echo.stdout is not None
    assert echo.stdout.readline().strip() == b"ready"
    try:
        with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
            channel.unary_unary(ECHO_METHOD, request_serializer=None, response_deserializer=None)(
                b"x"
            )
        reference = memory_mib(echo.pid)
    finally:
        echo.terminate()
        echo.wait(20)

    # Idle is a node restarted on its own database: the first start's migrations (Alembic)
    # are done once, before it.
    empty = f"sqlite:///{tmp_path / 'empty.db'}"
    migrated = Database(empty)
    migrated.upgrade()
    migrated.dispose()
    with _node(empty) as (address, pid):
        idle = memory_mib(pid)
        loaded = _peak_under_load(address, pid)
    full = f"sqlite:///{tmp_path / 'full.db'}"
    _fill_catalogue(full, ENTRIES_PER_KIND)
    with _node(full) as (_address, pid):
        holding = memory_mib(pid)

    floor = reference["rss_mib"] or 1.0
    for name, figures, target in (
        ("node_memory_idle", idle, 120),
        ("node_memory_under_load", loaded, None),
        (f"node_memory_holding_{ENTRIES_PER_KIND}_per_kind", holding, 160),
    ):
        note = "MiB of the node process; reference: a bare gRPC echo server"
        if target is not None:
            note += f"; target RSS < {target} MiB"
        record(
            name,
            figures,
            "MiB",
            {f"echo_{key}": value for key, value in reference.items()},
            figures["rss_mib"] / floor,
            note,
        )
    assert idle["rss_mib"] > 0
    assert holding["rss_mib"] > 0
