"""The network in containers: `docker-compose.yml` and the files it mounts, generated from
deploy/network.yaml (`python -m twoins.cli.compose_file` rewrites them; a test keeps them
current and checks the result with `docker-compose config`).

Per region: a PostgreSQL server, a NATS leaf server and the node. Once: the NATS hub, a
one-shot job that makes the streams, the keeper of the hub's sources, Keycloak with the dev
realm, the monitor, the gateway, Prometheus and Grafana with the dashboards provisioned.
Secrets come from the environment; deploy/compose/dev.env holds the demo values
(`docker-compose --env-file deploy/compose/dev.env up`). TWOINS_IMAGE_REGISTRY=localhost takes
the stand-ins of `make containers` for the official NATS, PostgreSQL and Keycloak images."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from twoins.common.broker_config import (
    hub_users,
    leaf_operations_user,
    leaf_user,
    leaf_users,
    network_users,
    password_variable,
    render_hub_accounts,
    render_leaf_authorization,
    render_leaf_permissions,
    render_permissions,
)
from twoins.common.network import DEFAULT_NETWORK_FILE, Network, load_network
from twoins.common.prometheus_config import render as render_prometheus
from twoins.common.realm_config import (
    DEV_CONSOLE_SECRET,
    REALM,
    SSL_REQUIRED_VARIABLE,
    dev_node_secret,
)
from twoins.common.stream import NETWORK_MIRROR

ROOT = DEFAULT_NETWORK_FILE.parents[1]
IMAGE = "twoins:local"
#: The official images by default; TWOINS_IMAGE_REGISTRY=localhost takes the stand-ins that
#: `make containers` builds from packages (deploy/containers/) under the same names instead.
REGISTRY = "TWOINS_IMAGE_REGISTRY"
NATS_IMAGE = f"${{{REGISTRY}:-docker.io}}/library/nats:2.15-alpine"
POSTGRES_IMAGE = f"${{{REGISTRY}:-docker.io}}/library/postgres:16-alpine"
KEYCLOAK_IMAGE = f"${{{REGISTRY}:-quay.io}}/keycloak/keycloak:26.7.3"
PROMETHEUS_IMAGE = "prom/prometheus:v3.5.0"
GRAFANA_IMAGE = "grafana/grafana:12.1.0"
NODE_GRPC, NODE_METRICS = 50051, 9100
PUBLIC_IDENTITY = "http://localhost:8180"
PUBLIC_GATEWAY = "http://localhost:8000"
INTERNAL_REALM = f"http://keycloak:8080/realms/{REALM}"


def _secret(variable: str) -> str:
    return f"${{{variable}:?set {variable}, e.g. with --env-file deploy/compose/dev.env}}"


def _db_password_variable(region: str) -> str:
    return "TWOINS_DB_" + region.upper().replace("-", "_") + "_PASSWORD"


def _node_secret_variable(region: str) -> str:
    return "TWOINS_NODE_" + region.upper().replace("-", "_") + "_CLIENT_SECRET"


def _nats_passwords(users: list[str]) -> dict[str, str]:
    return {password_variable(user): _secret(password_variable(user)) for user in users}


def _signing(region: str) -> dict[str, str]:
    """Where a container finds its region's signing key and the network key ring."""
    return {
        "TWOINS_SIGNING_KEY_FILE": f"/keys/{region}.key",
        "TWOINS_KEYRING_URL": "/keys/keyring.json",
        "TWOINS_KEYRING_ROOT_KEY_FILE": "/keys/root.pub",
    }


def _published(variable: str, host_port: int, container_port: int) -> str:
    """A published port: every address of the host and the usual port unless the environment
    says otherwise (TWOINS_PUBLISH_ADDRESS=127.0.0.1 keeps it to this machine)."""
    return f"${{TWOINS_PUBLISH_ADDRESS:-0.0.0.0}}:${{{variable}:-{host_port}}}:{container_port}"


def _healthcheck(*command: str, start: str = "20s") -> dict[str, Any]:
    return {
        "test": ["CMD", *command],
        "interval": "10s",
        "timeout": "5s",
        "retries": 6,
        "start_period": start,
    }


def _twoins(command: list[str], environment: dict[str, str], **extra: Any) -> dict[str, Any]:
    return {
        "image": IMAGE,
        "build": {"context": ".", "dockerfile": "deploy/docker/Dockerfile"},
        "command": command,
        "environment": environment,
        "restart": "unless-stopped",
        **extra,
    }


def services(network: Network) -> dict[str, Any]:
    regions = network.region_ids
    auth = {
        "TWOINS_AUTH_ISSUER": f"{PUBLIC_IDENTITY}/realms/{REALM}",
        "TWOINS_AUTH_JWKS_URL": f"{INTERNAL_REALM}/protocol/openid-connect/certs",
    }
    found: dict[str, Any] = {
        "nats-hub": {
            "image": NATS_IMAGE,
            "command": ["-c", "/etc/nats/hub.conf", "-m", "8222"],
            "environment": {
                "TWOINS_NATS_STORE_DIR": "/data",
                # The leaves connect over the compose network.
                "TWOINS_NATS_LEAF_HOST": "0.0.0.0",  # noqa: S104
                "TWOINS_NATS_LEAF_PORT": "7422",
                # The hub checks operations, the monitor and the leaves; no node's password.
                **_nats_passwords(hub_users(regions)),
            },
            "volumes": [
                "./deploy/nats/hub.conf:/etc/nats/hub.conf:ro",
                "./deploy/nats/accounts.conf:/etc/nats/accounts.conf:ro",
                "./deploy/nats/leaf-authorization.conf:/etc/nats/leaf-authorization.conf:ro",
                "nats-hub:/data",
            ],
            "healthcheck": _healthcheck(
                "wget", "-q", "-O-", "http://127.0.0.1:8222/healthz?js-enabled-only=true"
            ),
            "restart": "unless-stopped",
        }
    }
    for region in regions:
        found[f"nats-leaf-{region}"] = {
            "image": NATS_IMAGE,
            "command": ["-c", "/etc/nats/leaf.conf", "-m", "8222"],
            "environment": {
                "TWOINS_NATS_SERVER_NAME": f"leaf-{region}",
                "TWOINS_NATS_DOMAIN": region,
                "TWOINS_NATS_STORE_DIR": "/data",
                "TWOINS_NATS_HUB_LEAF_URL": (
                    f"nats://{leaf_user(region)}:"
                    f"${{{password_variable(leaf_user(region))}}}@nats-hub:7422"
                ),
                # A leaf knows only its region's secrets: its node's, its own operations
                # password and the one it joins the hub with.
                **_nats_passwords(leaf_users(region)),
            },
            "volumes": [
                "./deploy/nats/leaf.conf:/etc/nats/leaf.conf:ro",
                f"./deploy/nats/leaves/{region}.conf:/etc/nats/leaf-permissions.conf:ro",
                f"nats-{region}:/data",
            ],
            "depends_on": {"nats-hub": {"condition": "service_healthy"}},
            "healthcheck": _healthcheck(
                "wget", "-q", "-O-", "http://127.0.0.1:8222/healthz?js-enabled-only=true"
            ),
            "restart": "unless-stopped",
        }
    # One-shot: the root key, every region's signing key and the key ring, on a volume the
    # nodes and the monitor read (an all-in-one demo; in a real network each region keeps its
    # own key and the coordinator the root: `twoins keys create` and `twoins keys add`).
    found["keys"] = _twoins(
        ["keys", "init", "--dir", "/keys", *(part for r in regions for part in ("--region", r))],
        {},
        volumes=["keys:/keys"],
        restart="on-failure",
    )
    found["bus-setup"] = _twoins(
        [
            "bus",
            "streams",
            "--hub",
            "nats://nats-hub:4222",
            *(
                part
                for region in regions
                for part in ("--leaf", f"{region}=nats://nats-leaf-{region}:4222")
            ),
        ],
        # One job for every server in this all-in-one file; in a real deployment each region
        # runs its part with its own leaf's password, and the hub's operator the hub's.
        _nats_passwords(["ops", *(leaf_operations_user(region) for region in regions)]),
        depends_on={
            name: {"condition": "service_healthy"}
            for name in ["nats-hub", *(f"nats-leaf-{region}" for region in regions)]
        },
        restart="on-failure",
    )
    # Resumes the hub's sources of the regions after a restart of the hub (seconds, not 40 s).
    found["bus-keeper"] = _twoins(
        ["bus", "keeper", "--hub", "nats://nats-hub:4222"],
        _nats_passwords(["ops"]),
        depends_on={"bus-setup": {"condition": "service_completed_successfully"}},
    )
    found["keycloak"] = {
        "image": KEYCLOAK_IMAGE,
        "command": [
            "start-dev",
            "--import-realm",
            # Dev mode listens on localhost only: the nodes and the gateway come from other
            # containers, and the published port from the bridge.
            "--http-host=0.0.0.0",
            f"--hostname={PUBLIC_IDENTITY}",
            "--hostname-backchannel-dynamic=true",
            "--health-enabled=true",
        ],
        "environment": {
            "KC_BOOTSTRAP_ADMIN_USERNAME": "admin",
            "KC_BOOTSTRAP_ADMIN_PASSWORD": _secret("TWOINS_KEYCLOAK_ADMIN_PASSWORD"),
            # The realm file reads the clients' secrets and the console's URL from these.
            "TWOINS_GATEWAY_URL": PUBLIC_GATEWAY,
            SSL_REQUIRED_VARIABLE: f"${{{SSL_REQUIRED_VARIABLE}:-external}}",
            "TWOINS_CONSOLE_CLIENT_SECRET": _secret("TWOINS_CONSOLE_CLIENT_SECRET"),
            **{
                _node_secret_variable(region): _secret(_node_secret_variable(region))
                for region in regions
            },
        },
        "volumes": ["./deploy/keycloak/dev:/opt/keycloak/data/import:ro"],
        "ports": [_published("TWOINS_KEYCLOAK_PORT", 8180, 8080)],
        "restart": "unless-stopped",
    }
    for region in regions:
        database = f"postgres-{region}"
        found[database] = {
            "image": POSTGRES_IMAGE,
            "environment": {
                "POSTGRES_DB": "twoins",
                "POSTGRES_USER": "twoins",
                "POSTGRES_PASSWORD": _secret(_db_password_variable(region)),
            },
            "volumes": [f"postgres-{region}:/var/lib/postgresql/data"],
            "healthcheck": _healthcheck("pg_isready", "-U", "twoins", "-d", "twoins", start="10s"),
            "restart": "unless-stopped",
        }
        peers = ",".join(
            f"{other}=node-{other}:{NODE_GRPC}" for other in regions if other != region
        )
        found[f"node-{region}"] = _twoins(
            ["node", "serve", "--region", region],
            {
                "TWOINS_LISTEN": f"0.0.0.0:{NODE_GRPC}",
                "TWOINS_METRICS_LISTEN": f"0.0.0.0:{NODE_METRICS}",
                "TWOINS_DATABASE_URL": (
                    f"postgresql+psycopg://twoins:${{{_db_password_variable(region)}}}"
                    f"@{database}:5432/twoins"
                ),
                "TWOINS_NATS_URL": f"nats://nats-leaf-{region}:4222",
                "TWOINS_NATS_PASSWORD": _secret(password_variable(region)),
                "TWOINS_NATS_STREAM": NETWORK_MIRROR,
                "TWOINS_NODE_CLIENT_SECRET": _secret(_node_secret_variable(region)),
                "TWOINS_PEERS": peers,
                **_signing(region),
                **auth,
            },
            volumes=["keys:/keys:ro"],
            depends_on={
                "keys": {"condition": "service_completed_successfully"},
                database: {"condition": "service_healthy"},
                f"nats-leaf-{region}": {"condition": "service_healthy"},
                "bus-setup": {"condition": "service_completed_successfully"},
                "keycloak": {"condition": "service_started"},
            },
            healthcheck=_healthcheck("twoins", "probe", "grpc", f"127.0.0.1:{NODE_GRPC}"),
        )
    found["monitor"] = _twoins(
        ["monitor", "serve", "--listen", "0.0.0.0:7200", "--metrics-listen", "0.0.0.0:9200"],
        {
            "TWOINS_NATS_URL": "nats://nats-hub:4222",
            "TWOINS_NATS_PASSWORD": _secret(password_variable("monitor")),
            **{name: value for name, value in _signing("").items() if "KEYRING" in name},
            **auth,
        },
        volumes=["keys:/keys:ro"],
        depends_on={
            "keys": {"condition": "service_completed_successfully"},
            "bus-setup": {"condition": "service_completed_successfully"},
        },
        healthcheck=_healthcheck("twoins", "probe", "grpc", "127.0.0.1:7200"),
    )
    found["gateway"] = _twoins(
        ["gateway", "serve", "--listen", "0.0.0.0:8000"],
        {
            "TWOINS_GATEWAY_PUBLIC_URL": PUBLIC_GATEWAY,
            "TWOINS_GATEWAY_SECRET_KEY": _secret("TWOINS_GATEWAY_SECRET_KEY"),
            "TWOINS_GATEWAY_NODES": ",".join(
                f"{region}=node-{region}:{NODE_GRPC}" for region in regions
            ),
            "TWOINS_AUTH_ISSUER": f"{PUBLIC_IDENTITY}/realms/{REALM}",
            "TWOINS_AUTH_BACKCHANNEL_URL": INTERNAL_REALM,
            "TWOINS_CONSOLE_CLIENT_SECRET": _secret("TWOINS_CONSOLE_CLIENT_SECRET"),
            "TWOINS_MONITOR_ADDRESS": "monitor:7200",
            "TWOINS_PROMETHEUS_URL": "http://prometheus:9090",
        },
        ports=[_published("TWOINS_GATEWAY_PORT", 8000, 8000)],
        depends_on={f"node-{region}": {"condition": "service_healthy"} for region in regions},
        healthcheck=_healthcheck("twoins", "probe", "http", "http://127.0.0.1:8000/healthz"),
    )
    found["prometheus"] = {
        "image": PROMETHEUS_IMAGE,
        "command": ["--config.file=/etc/prometheus/prometheus.yml"],
        "volumes": [
            "./deploy/compose/prometheus.yml:/etc/prometheus/prometheus.yml:ro",
            "./deploy/prometheus/rules:/etc/prometheus/rules:ro",
            "prometheus:/prometheus",
        ],
        "ports": [_published("TWOINS_PROMETHEUS_PORT", 9090, 9090)],
        "restart": "unless-stopped",
    }
    found["grafana"] = {
        "image": GRAFANA_IMAGE,
        "environment": {
            "GF_SECURITY_ADMIN_PASSWORD": _secret("TWOINS_GRAFANA_ADMIN_PASSWORD"),
            "TWOINS_PROMETHEUS_URL": "http://prometheus:9090",
        },
        "volumes": [
            "./deploy/grafana/provisioning:/etc/grafana/provisioning:ro",
            "./deploy/grafana/dashboards:/var/lib/grafana/dashboards:ro",
        ],
        "ports": [_published("TWOINS_GRAFANA_PORT", 3000, 3000)],
        "depends_on": ["prometheus"],
        "restart": "unless-stopped",
    }
    return found


def compose_document(network: Network) -> str:
    volumes = ["keys", "nats-hub", *(f"nats-{r}" for r in network.region_ids)]
    volumes += [*(f"postgres-{r}" for r in network.region_ids), "prometheus"]
    document = {
        "services": services(network),
        "volumes": {name: {} for name in volumes},
    }
    header = (
        "# The 2InS Clusters network in containers; generated by twoins.cli.compose_file from\n"
        "# deploy/network.yaml: do not edit by hand. Start it with\n"
        "#   docker-compose --env-file deploy/compose/dev.env up --build\n"
        "# then open http://localhost:8000/ (console), :8180 (Keycloak), :9090, :3000.\n"
    )
    return header + yaml.safe_dump(document, sort_keys=False, width=100)


def dev_environment(network: Network) -> str:
    """Demo secrets for a local evaluation; a real deployment sets its own."""
    lines = [
        "# Demo secrets for `docker-compose --env-file deploy/compose/dev.env up`; generated by",
        "# twoins.cli.compose_file. Never use these values outside a local evaluation.",
    ]
    lines += [
        f"{password_variable(user)}=dev-nats-{user}" for user in network_users(network.region_ids)
    ]
    lines += [f"{_db_password_variable(r)}=dev-db-{r}" for r in network.region_ids]
    lines += [f"{_node_secret_variable(r)}={dev_node_secret(r)}" for r in network.region_ids]
    lines += [
        "TWOINS_KEYCLOAK_ADMIN_PASSWORD=admin",
        "TWOINS_GATEWAY_SECRET_KEY=dev-gateway-secret-key-of-at-least-32-characters",
        f"TWOINS_CONSOLE_CLIENT_SECRET={DEV_CONSOLE_SECRET}",
        "TWOINS_GRAFANA_ADMIN_PASSWORD=admin",
    ]
    return "\n".join(lines) + "\n"


def generated_files(network: Network) -> dict[Path, str]:
    """Every file this module writes, by path, with its content."""
    files = {
        ROOT / "docker-compose.yml": compose_document(network),
        ROOT / "deploy" / "compose" / "dev.env": dev_environment(network),
        ROOT / "deploy" / "compose" / "prometheus.yml": render_prometheus(
            network,
            node_targets={r: f"node-{r}:{NODE_METRICS}" for r in network.region_ids},
            monitor="monitor:9200",
            gateway="gateway:8000",
        ),
        ROOT / "deploy" / "nats" / "accounts.conf": render_hub_accounts(network.region_ids),
        ROOT / "deploy" / "nats" / "leaf-authorization.conf": render_leaf_authorization(
            network.region_ids
        ),
        ROOT / "deploy" / "nats" / "permissions.conf": render_permissions(network.region_ids),
    }
    for region in network.region_ids:
        files[ROOT / "deploy" / "nats" / "leaves" / f"{region}.conf"] = render_leaf_permissions(
            region
        )
    return files


def main() -> None:
    for path, text in generated_files(load_network()).items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
