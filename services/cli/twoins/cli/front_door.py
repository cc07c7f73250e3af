"""The network's front door in a local run: Keycloak with the dev realm, and the gateway."""

from __future__ import annotations

import os
import secrets
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

from twoins.cli.keycloak import KeycloakServer, realm_answers
from twoins.cli.processes import ManagedProcess, twoins_command
from twoins.common.network import Network
from twoins.common.realm_config import (
    DEV_CONSOLE_SECRET,
    GATEWAY_URL_VARIABLE,
    REALM,
)

IDENTITY = "keycloak"
GATEWAY = "gateway"


def _port(url: str) -> int:
    parts = urlsplit(url)
    return parts.port or (443 if parts.scheme == "https" else 80)


def issuer(network: Network) -> str:
    """The realm's issuer as people see it."""
    return f"{network.network.identity_url}/realms/{REALM}"


def internal_realm_url(network: Network) -> str:
    """The realm as the local services reach it (loopback, another address than the issuer)."""
    return f"http://127.0.0.1:{_port(network.network.identity_url)}/realms/{REALM}"


#: The heap of the local network's Keycloak (`make run`): its dev realm, some twenty people,
#: lives in a fraction of the 512 MB Keycloak allows itself by default, which it filled
#: anyway (its process from 380 to 600 MB from run to run); set JAVA_OPTS_KC_HEAP to choose.
LOCAL_KEYCLOAK_HEAP = "-Xms32m -Xmx256m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30"


def identity_server(network: Network, data_dir: Path) -> KeycloakServer:
    port = _port(network.network.identity_url)
    return KeycloakServer(
        home=data_dir / "keycloak",
        port=port,
        management_port=port + 1000,
        public_host=urlsplit(network.network.identity_url).hostname or "localhost",
        environment={
            GATEWAY_URL_VARIABLE: network.network.gateway_url,
            "JAVA_OPTS_KC_HEAP": os.environ.get("JAVA_OPTS_KC_HEAP", LOCAL_KEYCLOAK_HEAP),
        },
    )


def node_auth_environment(network: Network) -> dict[str, str]:
    return {
        "TWOINS_AUTH_ISSUER": issuer(network),
        "TWOINS_AUTH_JWKS_URL": f"{internal_realm_url(network)}/protocol/openid-connect/certs",
    }


def _gateway_secret(data_dir: Path) -> str:
    path = data_dir / "gateway" / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(48), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


def start_gateway(network: Network, data_dir: Path, network_file: Path) -> ManagedProcess:
    listen = f"127.0.0.1:{_port(network.network.gateway_url)}"
    process = ManagedProcess(
        GATEWAY,
        twoins_command("gateway", "serve", "--listen", listen, "--workers", "2"),
        data_dir / "logs" / "gateway.log",
    )
    process.start(
        {
            "TWOINS_GATEWAY_PUBLIC_URL": network.network.gateway_url,
            "TWOINS_GATEWAY_SECRET_KEY": _gateway_secret(data_dir),
            "TWOINS_AUTH_ISSUER": issuer(network),
            "TWOINS_AUTH_BACKCHANNEL_URL": internal_realm_url(network),
            "TWOINS_CONSOLE_CLIENT_SECRET": DEV_CONSOLE_SECRET,
            "TWOINS_NETWORK_FILE": str(network_file),
            "TWOINS_MONITOR_ADDRESS": network.network.monitor_grpc,
            "TWOINS_PROMETHEUS_URL": network.network.prometheus_url,
            # A development network: an answer that leaves the API's schema fails loudly.
            "TWOINS_GATEWAY_CHECK_RESPONSES": "true",
        }
    )
    return process


def gateway_ready(network: Network) -> bool:
    url = f"http://127.0.0.1:{_port(network.network.gateway_url)}/readyz"
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return bool(response.status == 200)
    except (OSError, urllib.error.HTTPError):
        return False


def identity_ready(network: Network) -> bool:
    return realm_answers(internal_realm_url(network))
