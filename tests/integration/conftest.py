"""A real node per database backend, started on a free port and driven over gRPC."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.nats import NatsServer, running_nats
from twoins.cli.node_client import NodeClient
from twoins.node.config import load_node_config
from twoins.node.server import NodeServer, build_server

TEST_REGION = "it-basilicata"


def start_node(database_url: str, region: str = TEST_REGION, k_anonymity: int = 1) -> NodeServer:
    """A node on a free port; k is 1 unless a test is about the k-anonymity guard."""
    config = load_node_config(
        region_id=region,
        overrides={
            "listen": "127.0.0.1:0",
            "allow_unauthenticated": True,
            "database_url": database_url,
            "shutdown_grace_seconds": 1,
            "k_anonymity": k_anonymity,
        },
    )
    server = build_server(config)
    server.start()
    server.wait_ready()
    return server


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def node(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[NodeServer]:
    """A node on SQLite, then the same tests on PostgreSQL."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('node') / 'node.db'}"
    else:
        postgres = request.getfixturevalue("postgres")
        url = postgres if isinstance(postgres, str) else postgres.create_database()
    server = start_node(url)
    yield server
    server.stop(grace=1)


@pytest.fixture(scope="module")
def client(node: NodeServer) -> Iterator[NodeClient]:
    with NodeClient(node.address) as node_client:
        yield node_client


@pytest.fixture(scope="module")
def broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[NatsServer]:
    """A nats-server with the network's config and stream, shared by a test module."""
    with running_nats(tmp_path_factory.mktemp("jetstream")) as server:
        yield server


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'node.db'}"
