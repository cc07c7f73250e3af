"""`twoins node ...`: run and maintain one region's node."""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import click

from twoins.common.logs import configure_logging
from twoins.common.network import DEFAULT_NETWORK_FILE, ConfigError
from twoins.common.shutdown import wait_for_stop_signal
from twoins.node.config import NodeConfig, load_node_config
from twoins.node.store.database import Database, DatabaseError

network_option = click.option(
    "--network",
    "network_file",
    type=click.Path(path_type=Path),
    envvar="TWOINS_NETWORK_FILE",
    default=DEFAULT_NETWORK_FILE,
    show_default="deploy/network.yaml",
    help="The network's regions file.",
)


def load_config_or_exit(
    region: str | None, config_file: Path | None, network_file: Path, **overrides: object
) -> NodeConfig:
    try:
        return load_node_config(
            region_id=region,
            config_file=config_file,
            environment=os.environ,
            overrides=overrides,
            network_file=network_file,
        )
    except ConfigError as error:
        raise click.ClickException(f"configuration error: {error}") from None


@click.group("node")
def node_group() -> None:
    """Run and maintain a region's cluster node."""


@node_group.command("serve")
@click.option("--region", help="Region id, e.g. it-basilicata (see deploy/network.yaml).")
@click.option("--listen", help="HOST:PORT to serve gRPC on (default: the region's endpoint).")
@click.option(
    "--database", "database_url", help="Database URL (default: sqlite:///var/<region>/node.db)."
)
@click.option(
    "--config", "config_file", type=click.Path(path_type=Path), help="YAML file with node settings."
)
@click.option(
    "--auth-issuer",
    help="The Keycloak realm's issuer URL; every call must carry an access token from it.",
)
@click.option(
    "--allow-unauthenticated",
    is_flag=True,
    default=None,
    help="Serve without identity checks (a local trial only; never with real data).",
)
@click.option(
    "--processes",
    "serve_processes",
    type=click.IntRange(1, 64),
    help="Processes serving the API on the same port (default 1; one per core uses them all).",
)
@click.option(
    "--pin-cpus",
    is_flag=True,
    default=None,
    help="Keep each serving process on one CPU, the processes on the CPUs in turn (for a "
    "server whose cores are the node's).",
)
@network_option
def serve(
    region: str | None,
    listen: str | None,
    database_url: str | None,
    config_file: Path | None,
    auth_issuer: str | None,
    allow_unauthenticated: bool | None,
    serve_processes: int | None,
    pin_cpus: bool | None,
    network_file: Path,
) -> None:
    """Serve the node's gRPC API until interrupted (SIGINT or SIGTERM stop it gracefully)."""
    config = load_config_or_exit(
        region,
        config_file,
        network_file,
        listen=listen,
        database_url=database_url,
        auth_issuer=auth_issuer,
        allow_unauthenticated=allow_unauthenticated,
        serve_processes=serve_processes,
        pin_cpus=pin_cpus,
    )
    configure_logging(
        "node", config.region.id, json_lines=config.log_format == "json", level=config.log_level
    )
    with _shared_metrics(config):
        _serve(config)
    sys.exit(0)


def _serve(config: NodeConfig) -> None:
    from twoins.common.allocator import SERVER_ARENAS, limit_arenas
    from twoins.common.cpu_affinity import allowed_cpus
    from twoins.node.server import NodeStartError, build_server
    from twoins.node.serving_processes import pin_if_asked

    # Before the server's threads start (`twoins.common.allocator`).
    limit_arenas(SERVER_ARENAS)
    if config.pin_cpus:  # the CPUs of every serving process, before the first takes one
        config = config.model_copy(update={"cpus": tuple(allowed_cpus())})
    pin_if_asked(config, 1)
    try:
        server = build_server(config)
        server.start()
    except (DatabaseError, NodeStartError) as error:
        raise click.ClickException(str(error)) from None
    processes = f" ({config.serve_processes} processes)" if config.serve_processes > 1 else ""
    click.echo(f"node {config.region.id} serving on {server.address}{processes}", err=True)

    wait_for_stop_signal()
    server.stop()


@contextlib.contextmanager
def _shared_metrics(config: NodeConfig) -> Iterator[None]:
    """With several serving processes, a folder where each writes its metrics' values (see
    `twoins.node.metrics`), made before the metrics library loads and removed at the end."""
    if config.serve_processes == 1 or os.environ.get(_METRICS_FOLDER):
        yield
        return
    folder = tempfile.mkdtemp(prefix=f"twoins-{config.region.id}-metrics-")
    os.environ[_METRICS_FOLDER] = folder
    try:
        yield
    finally:
        shutil.rmtree(folder, ignore_errors=True)


#: prometheus_client's multiprocess folder (`twoins.node.metrics.MULTIPROCESS_DIRECTORY`,
#: named here so that this module loads no metrics code before it is set).
_METRICS_FOLDER = "PROMETHEUS_MULTIPROC_DIR"


@node_group.command("migrate")
@click.option("--region", help="Region id whose default database to migrate.")
@click.option("--database", "database_url", help="Database URL.")
@click.option("--config", "config_file", type=click.Path(path_type=Path))
@click.option(
    "--revision",
    default="head",
    show_default=True,
    help="Target revision; with --downgrade, the revision to go back to.",
)
@click.option("--downgrade", is_flag=True, help="Go back to --revision instead of forward.")
@network_option
def migrate(
    region: str | None,
    database_url: str | None,
    config_file: Path | None,
    revision: str,
    downgrade: bool,
    network_file: Path,
) -> None:
    """Bring the node's database schema to a revision."""
    config = load_config_or_exit(region, config_file, network_file, database_url=database_url)
    try:
        database = Database(config.database_url)
        database.check_connection()
        before = database.current_revision()
        if downgrade:
            database.downgrade(revision)
        else:
            database.upgrade(revision)
        after = database.current_revision()
        database.dispose()
    except DatabaseError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"database schema: {before or 'empty'} -> {after or 'empty'}")
