"""`twoins node serve --processes N`: one node answering from several processes on one port,
each following the catalogue, counted in one metrics endpoint, replaced when one dies, all
stopped together."""

from __future__ import annotations

import os
import signal
import subprocess
import time
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import grpc
import pytest

from tests.support import builders
from tests.support.cpus import cpus_of_every_thread
from tests.support.node_processes import (
    calls_answered,
    fresh_channel,
    serve_command,
    serving_children,
    wait_until_all_serve,
)
from tests.support.postgres import free_port
from twoins.common.cpu_affinity import allowed_cpus
from twoins.common.envelope import wrap
from twoins.common.network import load_network
from twoins.common.serving_process import serving_process
from twoins.gateway.nodes import RegionNodes
from twoins.node.bus.apply import EventApplier
from twoins.node.store.database import Database
from twoins.node.store.node_store import NodeStore
from twoins.v1 import (
    events_pb2,
    need_pb2,
    network_pb2,
    network_pb2_grpc,
    organisation_pb2,
    organisation_pb2_grpc,
)


@dataclass
class ServedNode:
    process: subprocess.Popen[str]
    address: str
    metrics: str
    metrics_folder: Path
    database: Path


def _start(tmp_path: Path, processes: int, address: str = "", *flags: str) -> subprocess.Popen[str]:
    metrics_folder = tmp_path / "metrics"
    metrics_folder.mkdir(exist_ok=True)
    return subprocess.Popen(
        serve_command(
            "mt-isla",
            address,
            tmp_path / "node.db",
            "--allow-unauthenticated",
            "--processes",
            str(processes),
            *flags,
        ),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(metrics_folder)},
    )


@pytest.fixture
def node(tmp_path: Path) -> Iterator[ServedNode]:
    address = f"127.0.0.1:{free_port()}"
    metrics = f"127.0.0.1:{free_port()}"
    os.environ["TWOINS_METRICS_LISTEN"] = metrics
    try:
        process = _start(tmp_path, 2, address)
    finally:
        del os.environ["TWOINS_METRICS_LISTEN"]
    served = ServedNode(process, address, metrics, tmp_path / "metrics", tmp_path / "node.db")
    try:
        with grpc.insecure_channel(address) as channel:
            grpc.channel_ready_future(channel).result(timeout=60)
        yield served
    finally:
        if process.poll() is None:
            process.kill()
        process.communicate()


def test_both_processes_answer_and_one_endpoint_counts_every_call(node: ServedNode) -> None:
    (child,) = wait_until_all_serve(node.address, node.process.pid, 2, node.metrics_folder)
    created = []
    for _ in range(40):
        with fresh_channel(node.address) as channel:
            stub = organisation_pb2_grpc.OrganisationServiceStub(channel)
            organisation = stub.CreateOrganisation(
                organisation_pb2.CreateOrganisationRequest(organisation=builders.organisation()),
                timeout=10,
            ).organisation
            assert (
                stub.GetOrganisation(
                    organisation_pb2.GetOrganisationRequest(id=organisation.id), timeout=10
                ).organisation.id
                == organisation.id
            )
            created.append(organisation.id)
    # Every SME written through either process is there for both.
    with fresh_channel(node.address) as channel:
        listed = organisation_pb2_grpc.OrganisationServiceStub(channel).ListOrganisations(
            organisation_pb2.ListOrganisationsRequest(page_size=100), timeout=10
        )
    assert {organisation.id for organisation in listed.organisations} == set(created)
    first, other = (
        calls_answered(node.metrics_folder, node.process.pid),
        calls_answered(node.metrics_folder, child),
    )
    assert first > 0
    assert other > 0
    with urllib.request.urlopen(f"http://{node.metrics}/metrics", timeout=10) as response:
        text = response.read().decode()
    served = sum(
        float(line.rsplit(" ", 1)[1])
        for line in text.splitlines()
        if line.startswith("twoins_grpc_requests_total{")
    )
    assert served == first + other
    assert served >= 2 * 40


def test_a_gateway_spreads_its_connections_over_the_processes(node: ServedNode) -> None:
    """Each answer names its process; the gateway's two connections to the node end on both,
    and each process answers a share of its calls."""
    (child,) = wait_until_all_serve(node.address, node.process.pid, 2, node.metrics_folder)
    with fresh_channel(node.address) as channel:
        _answer, call = organisation_pb2_grpc.OrganisationServiceStub(
            channel
        ).ListOrganisations.with_call(organisation_pb2.ListOrganisationsRequest(), timeout=10)
    assert serving_process(call.trailing_metadata()) in ((1, 2), (2, 2))
    before = (
        calls_answered(node.metrics_folder, node.process.pid),
        calls_answered(node.metrics_folder, child),
    )
    nodes = RegionNodes({"mt-isla": node.address}, connections=2)
    try:
        for _ in range(60):
            _list(nodes)
        assert set(nodes.serving_processes("mt-isla")) == {1, 2}
        for _ in range(40):
            _list(nodes)
    finally:
        nodes.close()
    # The last forty calls went to the two connections in turn: twenty to each process.
    first = calls_answered(node.metrics_folder, node.process.pid) - before[0]
    other = calls_answered(node.metrics_folder, child) - before[1]
    assert first >= 20
    assert other >= 20


def _list(nodes: RegionNodes) -> None:
    nodes.call(
        "mt-isla",
        organisation_pb2_grpc.OrganisationServiceStub,
        "ListOrganisations",
        organisation_pb2.ListOrganisationsRequest(),
        token="",
        request_id=uuid.uuid4().hex,
    )


def test_the_other_processes_follow_the_catalogue_from_the_tables(node: ServedNode) -> None:
    """The first process applies the network's events (here: the test, as its consumer
    would, into the same database); the others find the new need within a second."""
    wait_until_all_serve(node.address, node.process.pid, 2, node.metrics_folder)
    need = need_pb2.AnonymisedNeed(
        need_id=str(uuid.uuid4()),
        origin_region="gr-attica",
        type=need_pb2.NEED_TYPE_MARKET_ENTRY,
        title="Saffron growers look for distributors",
        nace_divisions=["01"],
    )
    database = Database(f"sqlite:///{node.database}")
    EventApplier(NodeStore(database), frozenset(load_network().region_ids), verify=None).apply(
        "twoins.v1.gr-attica.need.published",
        wrap(events_pb2.NeedPublished(need=need), "gr-attica").SerializeToString(),
    )
    database.dispose()
    deadline = time.monotonic() + 10
    found = False
    while not found and time.monotonic() < deadline:
        with fresh_channel(node.address) as channel:
            answer = network_pb2_grpc.NetworkServiceStub(channel).SearchNeeds(
                network_pb2.SearchNeedsRequest(query="saffron"), timeout=10
            )
        found = [item.need_id for item in answer.needs] == [need.need_id]
    assert found, "no serving process found the need the tables hold"


def test_a_process_that_dies_is_replaced_and_a_stop_ends_them_all(node: ServedNode) -> None:
    (child,) = wait_until_all_serve(node.address, node.process.pid, 2, node.metrics_folder)
    os.kill(child, signal.SIGKILL)
    deadline = time.monotonic() + 30
    replacement = None
    while replacement is None and time.monotonic() < deadline:
        others = [pid for pid in serving_children(node.process.pid) if pid != child]
        replacement = others[0] if others else None
        time.sleep(0.1)
    assert replacement is not None, "no serving process replaced the one that died"
    assert wait_until_all_serve(node.address, node.process.pid, 2, node.metrics_folder) == [
        replacement
    ]
    node.process.send_signal(signal.SIGTERM)
    assert node.process.wait(timeout=40) == 0
    _out, err = node.process.communicate()
    assert "serving process stopped unexpectedly; starting another" in err
    assert "node stopped" in err
    assert not Path(f"/proc/{replacement}").exists()


def test_a_node_of_several_processes_does_not_share_a_port_another_program_answers_on(
    tmp_path: Path,
) -> None:
    address = f"127.0.0.1:{free_port()}"
    first = _start(_folder(tmp_path, "first"), 2, address)
    try:
        with grpc.insecure_channel(address) as channel:
            grpc.channel_ready_future(channel).result(timeout=60)
        second = _start(_folder(tmp_path, "second"), 2, address)
        _out, err = second.communicate(timeout=60)
        assert second.returncode != 0
        assert f"cannot listen on {address}: another process answers there" in err
    finally:
        first.terminate()
        first.communicate(timeout=40)


@pytest.mark.skipif(
    len(allowed_cpus()) < 2, reason="pinning needs a machine that lets the tests use two CPUs"
)
def test_pinned_serving_processes_each_keep_every_thread_on_a_cpu_of_their_own(
    tmp_path: Path,
) -> None:
    address = f"127.0.0.1:{free_port()}"
    first = _start(tmp_path, 2, address, "--pin-cpus")
    try:
        with grpc.insecure_channel(address) as channel:
            grpc.channel_ready_future(channel).result(timeout=60)
        (child,) = wait_until_all_serve(address, first.pid, 2, tmp_path / "metrics")
        placed = {pid: cpus_of_every_thread(pid) for pid in (first.pid, child)}
    finally:
        first.terminate()
        _out, err = first.communicate(timeout=40)
    cpus = allowed_cpus()
    assert placed == {first.pid: {cpus[0]}, child: {cpus[1]}}, err
    assert f"serving process kept on one CPU  serving_process=2 cpu={cpus[1]}" in err


def _folder(tmp_path: Path, name: str) -> Path:
    folder = tmp_path / name
    folder.mkdir()
    return folder
