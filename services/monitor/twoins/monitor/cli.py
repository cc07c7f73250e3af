"""`twoins monitor serve`: the network's health, from the nodes' heartbeats."""

from __future__ import annotations

from pathlib import Path

import click
from pydantic import ValidationError

from twoins.common.auth import AuthSettings
from twoins.common.logs import configure_logging
from twoins.common.network import DEFAULT_NETWORK_FILE, ConfigError, load_network
from twoins.common.shutdown import wait_for_stop_signal
from twoins.common.signing import SigningError
from twoins.monitor.status import Thresholds


@click.group("monitor")
def monitor_group() -> None:
    """Watch the network's health."""


@monitor_group.command("serve")
@click.option("--listen", default="127.0.0.1:7200", show_default=True, help="gRPC HOST:PORT.")
@click.option("--metrics-listen", default="", help="HOST:PORT of /metrics (none if empty).")
@click.option("--nats-url", envvar="TWOINS_NATS_URL", default="", help="The bus.")
@click.option("--nats-password", envvar="TWOINS_NATS_PASSWORD", default="", show_default=False)
@click.option(
    "--heartbeat-seconds",
    type=click.FloatRange(0.1, 3600),
    default=10.0,
    show_default=True,
    help="The nodes' heartbeat interval; a node is down after three missed.",
)
@click.option(
    "--auth-issuer",
    envvar="TWOINS_AUTH_ISSUER",
    default="",
    help="The realm's issuer; callers must show an access token from it.",
)
@click.option(
    "--auth-jwks-url",
    envvar="TWOINS_AUTH_JWKS_URL",
    default="",
    help="Where to fetch the realm's keys, when Keycloak is reached at another address.",
)
@click.option(
    "--allow-unauthenticated",
    is_flag=True,
    help="Serve anyone without a token (a local trial only).",
)
@click.option(
    "--keyring-url",
    envvar="TWOINS_KEYRING_URL",
    default="",
    help="The network key ring (file or URL): heartbeats must carry their region's signature.",
)
@click.option(
    "--keyring-root-key",
    envvar="TWOINS_KEYRING_ROOT_KEY",
    default="",
    help="The network root's public key (base64url) the key ring is signed with.",
)
@click.option(
    "--keyring-root-key-file",
    envvar="TWOINS_KEYRING_ROOT_KEY_FILE",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="A file holding the network root's public key (instead of --keyring-root-key).",
)
@click.option(
    "--network",
    "network_file",
    type=click.Path(path_type=Path),
    envvar="TWOINS_NETWORK_FILE",
    default=DEFAULT_NETWORK_FILE,
    show_default="deploy/network.yaml",
)
def serve(
    listen: str,
    metrics_listen: str,
    nats_url: str,
    nats_password: str,
    heartbeat_seconds: float,
    auth_issuer: str,
    auth_jwks_url: str,
    allow_unauthenticated: bool,
    keyring_url: str,
    keyring_root_key: str,
    keyring_root_key_file: Path | None,
    network_file: Path,
) -> None:
    """Serve NetworkHealthService and metrics until interrupted."""
    from twoins.monitor.server import MonitorServer, MonitorSettings

    configure_logging("monitor", json_lines=False)
    try:
        network = load_network(network_file)
    except ConfigError as error:
        raise click.ClickException(f"configuration error: {error}") from None
    if not nats_url:
        raise click.ClickException("no bus given: pass --nats-url or set TWOINS_NATS_URL")
    if not auth_issuer and not allow_unauthenticated:
        raise click.ClickException(
            "no identity provider configured: pass --auth-issuer (TWOINS_AUTH_ISSUER), or "
            "--allow-unauthenticated for a local trial"
        )
    if keyring_root_key_file is not None and not keyring_root_key:
        try:
            keyring_root_key = keyring_root_key_file.read_text(encoding="utf-8").strip()
        except OSError as error:
            raise click.ClickException(f"cannot read {keyring_root_key_file}: {error}") from None
    if not keyring_url or not keyring_root_key:
        raise click.ClickException(
            "no network key ring: pass --keyring-url and --keyring-root-key "
            "(TWOINS_KEYRING_URL, TWOINS_KEYRING_ROOT_KEY; `twoins keys init` makes them)"
        )
    try:
        auth = AuthSettings(issuer=auth_issuer, jwks_url=auth_jwks_url) if auth_issuer else None
    except ValidationError as error:
        raise click.ClickException(f"configuration error: {error}") from None
    server = MonitorServer(
        MonitorSettings(
            regions=network.region_ids,
            listen=listen,
            metrics_listen=metrics_listen,
            nats_url=nats_url,
            nats_password=nats_password,
            thresholds=Thresholds(heartbeat_seconds=heartbeat_seconds),
            auth=auth,
            keyring_url=keyring_url,
            keyring_root_key=keyring_root_key,
        )
    )
    try:
        server.start()
    except (RuntimeError, SigningError) as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"monitor serving on {server.address}", err=True)
    wait_for_stop_signal()
    server.stop()
