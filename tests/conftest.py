"""Fixtures shared by every test folder: servers started once per test session."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.support.identity import (
    Identity,
    RunningGateway,
    running_gateway,
    running_identity,
    start_secured_node,
)
from tests.support.mail import mail_catcher
from tests.support.nats import running_nats
from tests.support.postgres import (
    PostgresServer,
    PostgresUnavailable,
    free_port,
    throwaway_postgres,
)
from twoins.node.server import NodeServer


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer | str]:
    """A PostgreSQL server for the session, or the URL in TWOINS_TEST_POSTGRES_URL."""
    if url := os.environ.get("TWOINS_TEST_POSTGRES_URL"):
        yield url
        return
    try:
        with throwaway_postgres() as server:
            yield server
    except PostgresUnavailable as error:
        if os.environ.get("CI"):
            raise
        pytest.skip(str(error))


@pytest.fixture
def postgres_url(postgres: PostgresServer | str) -> str:
    """A fresh, empty database on the session's PostgreSQL server."""
    if isinstance(postgres, str):
        return postgres
    return postgres.create_database()


#: The regions whose nodes run behind the gateway in identity tests.
SECURED_REGIONS = ("it-basilicata", "gr-attica")


@pytest.fixture(scope="session")
def identity(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Identity]:
    """One real Keycloak (dev realm with demo users) for the whole test session."""
    with running_identity(tmp_path_factory.mktemp("keycloak") / "home") as running:
        yield running


@pytest.fixture(scope="session")
def secured_nodes(
    identity: Identity, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, NodeServer]]:
    """Nodes of two regions that check every caller's token, exchanging over their own bus."""
    folder = tmp_path_factory.mktemp("secured")
    ports = {region: free_port() for region in SECURED_REGIONS}
    with running_nats(folder / "jetstream") as bus, mail_catcher() as mail:
        nodes = {
            region: start_secured_node(
                identity,
                region,
                f"sqlite:///{folder / region}.db",
                bus,
                ports,
                {
                    "smtp_host": "127.0.0.1",
                    "smtp_port": mail.smtp_port,
                    "mail_link_key_file": folder / f"{region}-mail-link.key",
                },
            )
            for region in SECURED_REGIONS
        }
        yield nodes
        for server in nodes.values():
            server.stop(grace=1)


@pytest.fixture(scope="session")
def gateway(identity: Identity, secured_nodes: dict[str, NodeServer]) -> Iterator[RunningGateway]:
    """The gateway over real HTTP, in front of the secured nodes."""
    with running_gateway(
        identity, {region: node.address for region, node in secured_nodes.items()}
    ) as running:
        yield running
