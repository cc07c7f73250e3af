"""A real Keycloak for the test session, tokens of its demo users and node accounts, and a
gateway served over real HTTP in front of real nodes."""

from __future__ import annotations

import json
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from keycloak import KeycloakAdmin
from werkzeug.serving import BaseWSGIServer, make_server

from tests.support.nats import NatsServer
from tests.support.postgres import free_port
from tests.support.signing import signing_overrides
from twoins.cli.keycloak import KeycloakServer
from twoins.common.realm_config import (
    DEMO_PASSWORD,
    DEV_CLI_CLIENT,
    DEV_CONSOLE_SECRET,
    GATEWAY_URL_VARIABLE,
    REALM,
    dev_node_secret,
    node_client_id,
)
from twoins.gateway.app import create_app
from twoins.gateway.config import GatewayConfig
from twoins.node.config import load_node_config
from twoins.node.server import NodeServer, build_server

#: Small, so that a token of a one-second client expires within a test.
LEEWAY_SECONDS = 1.0


@dataclass
class Identity:
    """The session's Keycloak, and where the gateway under test listens (its redirect URI)."""

    server: KeycloakServer
    gateway_port: int
    _tokens: dict[str, tuple[float, dict[str, Any]]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def issuer(self) -> str:
        return self.server.issuer

    @property
    def realm_url(self) -> str:
        """The realm as services reach it: another address than the issuer's."""
        return f"{self.server.internal_url}/realms/{REALM}"

    @property
    def jwks_url(self) -> str:
        return f"{self.realm_url}/protocol/openid-connect/certs"

    @property
    def gateway_url(self) -> str:
        return f"http://localhost:{self.gateway_port}"

    def token_response(self, data: dict[str, str], realm_url: str | None = None) -> dict[str, Any]:
        request = urllib.request.Request(  # noqa: S310 - http only
            f"{realm_url or self.realm_url}/protocol/openid-connect/token",
            data=urllib.parse.urlencode(data).encode(),
        )
        with urllib.request.urlopen(request, timeout=20) as response:  # noqa: S310 - http only
            body: dict[str, Any] = json.load(response)
        return body

    def tokens(self, username: str, scope: str = "openid") -> dict[str, Any]:
        """Access, refresh and ID tokens of a demo user, reused while fresh."""
        key = f"{username}|{scope}"
        with self._lock:
            cached = self._tokens.get(key)
            if cached is not None and cached[0] - time.time() > 60:
                return cached[1]
            body = self.token_response(
                {
                    "grant_type": "password",
                    "client_id": DEV_CLI_CLIENT,
                    "username": username,
                    "password": DEMO_PASSWORD,
                    "scope": scope,
                }
            )
            self._tokens[key] = (time.time() + float(body["expires_in"]), body)
            return body

    def access_token(self, username: str) -> str:
        return str(self.tokens(username)["access_token"])

    def node_token(self, region: str, secret: str | None = None) -> str:
        body = self.token_response(
            {
                "grant_type": "client_credentials",
                "client_id": node_client_id(region),
                "client_secret": secret or dev_node_secret(region),
            }
        )
        return str(body["access_token"])

    def admin(self, realm: str = REALM) -> KeycloakAdmin:
        """Keycloak's admin API on `realm` (the network's by default)."""
        return self.server.admin(realm)


@contextmanager
def running_identity(home: Path) -> Iterator[Identity]:
    gateway_port = free_port()
    server = KeycloakServer(
        home=home,
        port=free_port(),
        management_port=free_port(),
        environment={GATEWAY_URL_VARIABLE: f"http://localhost:{gateway_port}"},
    )
    server.start(progress=lambda message: None)
    try:
        yield Identity(server, gateway_port)
    finally:
        server.stop()


def start_secured_node(
    identity: Identity,
    region: str,
    database_url: str,
    broker: NatsServer | None = None,
    ports: dict[str, int] | None = None,
    extra: dict[str, object] | None = None,
) -> NodeServer:
    """A node that checks every caller's token against the session's Keycloak, on the bus
    when a broker is given; with `ports` (region → port) on its own port, knowing the other
    regions' nodes as peers and signing in as its node account, so referrals disclose."""
    bus = (
        {
            "nats_url": broker.url,
            "nats_password": broker.password(region),
            **signing_overrides(region),
        }
        if broker
        else {}
    )
    peering = {}
    if ports:
        peering = {
            "peers": ",".join(
                f"{other}=127.0.0.1:{port}" for other, port in ports.items() if other != region
            ),
            "auth_client_secret": dev_node_secret(region),
        }
    config = load_node_config(
        region_id=region,
        overrides={
            **bus,
            **peering,
            "listen": f"127.0.0.1:{ports[region]}" if ports else "127.0.0.1:0",
            "database_url": database_url,
            "shutdown_grace_seconds": 1,
            "k_anonymity": 1,
            "semantic_matching": False,
            "auth_issuer": identity.issuer,
            "auth_jwks_url": identity.jwks_url,
            "auth_leeway_seconds": LEEWAY_SECONDS,
            **(extra or {}),
        },
    )
    server = build_server(config)
    server.start()
    server.wait_ready()
    return server


@dataclass
class RunningGateway:
    url: str
    config: GatewayConfig
    server: BaseWSGIServer


@contextmanager
def running_gateway(identity: Identity, nodes: dict[str, str]) -> Iterator[RunningGateway]:
    """The gateway's app on the port Keycloak knows as the console's redirect URI."""
    config = GatewayConfig(
        public_url=identity.gateway_url,
        secret_key="test-secret-key-of-at-least-32-characters",
        issuer=identity.issuer,
        backchannel_url=identity.realm_url,
        console_client_secret=DEV_CONSOLE_SECRET,
        auth_leeway_seconds=LEEWAY_SECONDS,
        nodes=",".join(f"{region}={address}" for region, address in nodes.items()),
        # Every answer of every gateway test is checked against the API's schema.
        check_responses=True,
    )
    app = create_app(config)
    server = make_server("127.0.0.1", identity.gateway_port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield RunningGateway(identity.gateway_url, config, server)
    finally:
        server.shutdown()
        thread.join(5)
