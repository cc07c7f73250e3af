"""Commands for deployments in containers or Kubernetes: `twoins bus streams` creates the
edge topology's streams, `twoins bus keeper` keeps the hub sourcing them, `twoins probe
grpc|http` is a health check that exits 0 or 1."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import urllib.request

import click
import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc

from twoins.cli.edge import LeafAccess, ensure_edge_streams
from twoins.common.broker_config import leaf_operations_user, password_variable

#: The hub's operations password, which both bus commands take.
hub_ops_password = click.option(
    "--ops-password",
    envvar="TWOINS_NATS_OPS_PASSWORD",
    default="",
    show_envvar=True,
    help="Password of the hub's operations user (needed with --hub).",
)


@click.group("bus")
def bus_group() -> None:
    """The NATS bus of a deployment."""


@bus_group.command("streams")
@click.option("--hub", "hub_url", default="", help="nats://host:port of the hub.")
@click.option(
    "--region",
    "regions",
    multiple=True,
    help="A region the hub's stream sources (default: the regions of --leaf); repeatable.",
)
@click.option(
    "--leaf",
    "leaves",
    multiple=True,
    help="REGION=nats://host:port of a region's leaf server; once per region.",
)
@click.option(
    "--replicas",
    type=click.IntRange(1, 5),
    default=1,
    show_default=True,
    help="Servers of a clustered hub that keep a copy of the network stream (3 on a cluster "
    "of three: it stays whole while one is down).",
)
@hub_ops_password
def streams(
    hub_url: str,
    regions: tuple[str, ...],
    leaves: tuple[str, ...],
    replicas: int,
    ops_password: str,
) -> None:
    """Create or update the regions' streams on their leaves, the hub's network stream that
    sources them with one consumer per region, and the leaves' mirrors of it.

    Each leaf has an operations password of its own, read from
    TWOINS_NATS_OPS_<REGION>_PASSWORD (e.g. TWOINS_NATS_OPS_IT_BASILICATA_PASSWORD): a region
    runs this with --leaf and its own password, the hub's operator with --hub."""
    if not hub_url and not leaves:
        raise click.UsageError("give --hub, --leaf or both")
    if hub_url and not ops_password:
        raise click.UsageError("--hub needs the hub's --ops-password (TWOINS_NATS_OPS_PASSWORD)")
    leaf_access: dict[str, LeafAccess] = {}
    for item in leaves:
        region, _, url = item.partition("=")
        if not region or not url.startswith("nats://"):
            raise click.BadParameter(
                f"{item!r} is not REGION=nats://host:port", param_hint="--leaf"
            )
        variable = password_variable(leaf_operations_user(region))
        password = os.environ.get(variable, "")
        if not password:
            raise click.UsageError(f"set {variable}, the operations password of {region}'s leaf")
        leaf_access[region] = LeafAccess(url, password)
    try:
        ensure_edge_streams(
            hub_url or None, ops_password or None, leaf_access, list(regions) or None, replicas
        )
    except Exception as error:
        raise click.ClickException(
            f"the streams could not be made: {error}; check that the hub and every leaf run "
            "and that the operations password is theirs"
        ) from None
    sourced = len(regions or leaf_access)
    click.echo(
        f"streams ready: {len(leaf_access)} leaves"
        + (f", the hub sourcing {sourced} regions" if hub_url else "")
    )


@bus_group.command("keeper")
@click.option(
    "--hub",
    "hub_urls",
    multiple=True,
    required=True,
    help="nats://host:port of the hub (of each server of a clustered hub); repeatable.",
)
@hub_ops_password
@click.option(
    "--interval",
    type=click.FloatRange(0.2, 60),
    default=2.0,
    show_default=True,
    help="Seconds between two looks at the network stream's sources.",
)
@click.option(
    "--metrics-listen",
    default="",
    help="HOST:PORT to serve the keeper's Prometheus metrics on (and to probe it); none if empty.",
)
def keeper(
    hub_urls: tuple[str, ...], ops_password: str, interval: float, metrics_listen: str
) -> None:
    """Keep the hub's network stream sourcing every region on line: after a restart of the
    hub, a region's events reach the others within seconds instead of about 40 s (see
    twoins.cli.source_keeper). Runs until stopped; any number may run."""
    if not ops_password:
        raise click.UsageError("give the hub's --ops-password (TWOINS_NATS_OPS_PASSWORD)")
    for url in hub_urls:
        if not url.startswith("nats://"):
            raise click.BadParameter(f"{url!r} is not nats://host:port", param_hint="--hub")
    # Imported here: the gateway's server must set its metrics folder before anything in the
    # process imports prometheus_client, and every command shares this module.
    from prometheus_client import start_http_server

    from twoins.cli.source_keeper import KeeperMetrics, keep_sourcing

    host, _, port = metrics_listen.rpartition(":")
    if metrics_listen and not (host and port.isdigit()):
        raise click.BadParameter(
            f"{metrics_listen!r} is not HOST:PORT", param_hint="--metrics-listen"
        )
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    metrics = KeeperMetrics()
    if metrics_listen:
        start_http_server(int(port), host, registry=metrics.registry)
    click.echo(f"keeping the network stream's sources at {', '.join(hub_urls)}")

    async def run() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signal_number in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signal_number, stop.set)
        await keep_sourcing(list(hub_urls), ops_password, stop, interval, metrics)

    try:
        asyncio.run(run())
    except OSError as error:
        raise click.ClickException(
            f"the hub at {', '.join(hub_urls)} cannot be reached ({error}); check that it runs "
            "and that the operations password is its own"
        ) from None
    click.echo("source keeper stopped")


@click.group("probe")
def probe_group() -> None:
    """Health checks for containers: exit 0 when healthy, 1 otherwise."""


@probe_group.command("grpc")
@click.argument("address")
@click.option("--timeout", default=2.0, show_default=True)
def probe_grpc(address: str, timeout: float) -> None:
    """The gRPC health of a node or the monitor at HOST:PORT."""
    with grpc.insecure_channel(address) as channel:
        try:
            response = health_pb2_grpc.HealthStub(channel).Check(
                health_pb2.HealthCheckRequest(), timeout=timeout
            )
        except grpc.RpcError as error:
            raise click.ClickException(f"{address} does not answer: {error.code().name}") from None
    if response.status != health_pb2.HealthCheckResponse.SERVING:
        raise click.ClickException(f"{address} is not serving")
    click.echo(f"{address} serving")


@probe_group.command("http")
@click.argument("url")
@click.option("--timeout", default=2.0, show_default=True)
def probe_http(url: str, timeout: float) -> None:
    """An HTTP endpoint (e.g. the gateway's /health/ready) answering 2xx."""
    if not url.startswith(("http://", "https://")):
        raise click.BadParameter("give an http:// or https:// URL", param_hint="URL")
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310
            status = response.status
    except OSError as error:
        raise click.ClickException(f"{url} does not answer: {error}") from None
    if not 200 <= status < 300:
        raise click.ClickException(f"{url} answered {status}")
    click.echo(f"{url} answered {status}")
