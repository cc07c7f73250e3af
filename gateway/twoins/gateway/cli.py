"""`twoins gateway serve`: the network's front door, as operators run it."""

from __future__ import annotations

import os

import click

from twoins.common.cpu_affinity import allowed_cpus
from twoins.common.logs import configure_logging
from twoins.common.network import ConfigError
from twoins.gateway.config import load_gateway_config


@click.group("gateway")
def gateway_group() -> None:
    """Run the gateway: console, REST API and its OpenAPI document."""


@gateway_group.command("serve")
@click.option("--listen", default="127.0.0.1:8000", show_default=True, help="HOST:PORT.")
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=2,
    show_default=True,
    help="Worker processes.",
)
@click.option(
    "--threads", type=click.IntRange(1, 64), default=8, show_default=True, help="Per worker."
)
@click.option("--log-format", type=click.Choice(["text", "json"]), default="text")
@click.option(
    "--pin-cpus",
    is_flag=True,
    help="Keep each worker on one CPU, the workers on the CPUs in turn (for a server whose "
    "cores are the gateway's).",
)
def serve(listen: str, workers: int, threads: int, log_format: str, pin_cpus: bool) -> None:
    """Serve until interrupted. Settings come from TWOINS_* variables (see docs/identity.md)."""
    from twoins.gateway.server import serve as run

    configure_logging("gateway", json_lines=log_format == "json")
    try:
        config = load_gateway_config(os.environ)
        config.node_addresses()
    except ConfigError as error:
        raise click.ClickException(f"configuration error: {error}") from None
    if pin_cpus and len(allowed_cpus()) < 2:
        click.echo(
            "--pin-cpus: this machine lets the gateway use one CPU only; nothing pinned", err=True
        )
        pin_cpus = False
    click.echo(
        f"gateway serving on http://{listen} ({workers} workers × {threads} threads)", err=True
    )
    run(config, listen, workers, threads, pin_cpus=pin_cpus)
