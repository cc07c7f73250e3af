"""The `twoins` command: one entry point, one group per part of the system."""

from __future__ import annotations

from importlib.metadata import entry_points

import click

from twoins.cli.deploy_commands import bus_group, probe_group
from twoins.cli.keys import keys_group
from twoins.cli.mailcatcher import mailcatcher
from twoins.cli.network import network_group, seed
from twoins.cli.people import people_group
from twoins.monitor.cli import monitor_group
from twoins.node.anonymiser_cli import anonymiser_group
from twoins.node.audit_cli import audit_group
from twoins.node.cli import node_group


@click.group()
@click.version_option(package_name="twoins")
def cli() -> None:
    """The 2InS Clusters network: nodes, exchange and tools."""


cli.add_command(node_group)
cli.add_command(network_group)
cli.add_command(seed)
cli.add_command(anonymiser_group)
cli.add_command(monitor_group)
cli.add_command(audit_group)
cli.add_command(bus_group)
cli.add_command(probe_group)
cli.add_command(keys_group)
cli.add_command(people_group)
cli.add_command(mailcatcher)
# Parts that services must not import (the gateway) plug in their commands by entry point.
for _entry in entry_points(group="twoins.commands"):
    cli.add_command(_entry.load())

if __name__ == "__main__":
    cli()
