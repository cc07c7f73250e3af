"""The network health page and the monitor's own access rules, with real Keycloak tokens:
coordinators see every region, a cluster manager their own, nobody else anything."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import grpc
import pytest
from flask import Flask

from tests.support.identity import Identity, RunningGateway
from twoins.common.auth import AuthSettings
from twoins.common.envelope import heartbeat_subject, wrap
from twoins.common.network import load_network
from twoins.gateway.app import create_app
from twoins.monitor.server import MonitorServer, MonitorSettings
from twoins.v1 import events_pb2, network_health_pb2, network_health_pb2_grpc

REGION = "it-basilicata"


@pytest.fixture(scope="module")
def monitor(identity: Identity) -> Iterator[MonitorServer]:
    server = MonitorServer(
        MonitorSettings(
            regions=load_network().region_ids,
            listen="127.0.0.1:0",
            auth=AuthSettings(issuer=identity.issuer, jwks_url=identity.jwks_url),
        )
    )
    server.start()
    beat = events_pb2.NodeHeartbeat(region=REGION, version="0.1.0", open_needs=3)
    server.monitor.on_heartbeat(
        heartbeat_subject(REGION), wrap(beat, REGION).SerializeToString(), datetime.now(UTC)
    )
    yield server
    server.stop()


@pytest.fixture(scope="module")
def app(gateway: RunningGateway, monitor: MonitorServer) -> Flask:
    return create_app(gateway.config.model_copy(update={"monitor_address": monitor.address}))


def _page(app: Flask, identity: Identity, username: str, language: str = "en") -> tuple[int, str]:
    client = app.test_client()
    tokens = identity.tokens(username)
    with client.session_transaction() as session:
        session["lang"] = language
        session["tokens"] = {
            "access": tokens["access_token"],
            "refresh": tokens["refresh_token"],
            "expires_at": datetime.now(UTC).timestamp() + 240,
        }
    response = client.get("/console/network-health")
    return response.status_code, response.get_data(as_text=True)


def test_a_coordinator_sees_every_region(app: Flask, identity: Identity) -> None:
    status, page = _page(app, identity, "network-coordinator")
    assert status == 200
    for region in load_network().region_ids:
        assert f'id="region-{region}"' in page
    assert "1 up" in page
    assert "6 down" in page
    assert "No heartbeat yet." in page


def test_the_monitors_reasons_are_said_in_the_readers_language(
    app: Flask, identity: Identity
) -> None:
    status, page = _page(app, identity, "network-coordinator", language="it")
    assert status == 200
    assert "Ancora nessun battito." in page
    assert "heartbeat" not in page.lower()


def test_a_cluster_manager_sees_their_region_only(app: Flask, identity: Identity) -> None:
    status, page = _page(app, identity, f"cluster-manager.{REGION}")
    assert status == 200
    assert f'id="region-{REGION}"' in page
    assert 'id="region-gr-attica"' not in page


@pytest.mark.parametrize("username", [f"facilitator.{REGION}", f"expert.{REGION}"])
def test_others_are_refused(app: Flask, identity: Identity, username: str) -> None:
    status, page = _page(app, identity, username)
    assert status == 403
    assert f'id="region-{REGION}"' not in page


def test_the_monitor_checks_callers_itself(monitor: MonitorServer, identity: Identity) -> None:
    with grpc.insecure_channel(monitor.address) as channel:
        stub = network_health_pb2_grpc.NetworkHealthServiceStub(channel)
        request = network_health_pb2.GetNetworkHealthRequest()
        with pytest.raises(grpc.RpcError) as anonymous:
            stub.GetNetworkHealth(request, timeout=5)
        assert anonymous.value.code() == grpc.StatusCode.UNAUTHENTICATED
        facilitator = (
            ("authorization", f"Bearer {identity.access_token(f'facilitator.{REGION}')}"),
        )
        with pytest.raises(grpc.RpcError) as refused:
            stub.GetNetworkHealth(request, metadata=facilitator, timeout=5)
        assert refused.value.code() == grpc.StatusCode.PERMISSION_DENIED
        manager = (
            ("authorization", f"Bearer {identity.access_token('cluster-manager.gr-attica')}"),
        )
        own = stub.GetNetworkHealth(request, metadata=manager, timeout=5)
        assert [node.region for node in own.nodes] == ["gr-attica"]
        with pytest.raises(grpc.RpcError) as elsewhere:
            stub.GetNodeHealth(
                network_health_pb2.GetNodeHealthRequest(region=REGION), metadata=manager, timeout=5
            )
        assert elsewhere.value.code() == grpc.StatusCode.NOT_FOUND
