"""The `twoins` command: one entry point, one group per part of the system.

Each part's commands are imported when they run (or when help lists them), not at start: a
service started as `twoins <part> serve` (a node, the monitor, the gateway, the mail catcher,
the bus keeper) then holds only its own part's code in memory, not every part's.
"""

from __future__ import annotations

import importlib
from importlib.metadata import entry_points

import click

#: Each part's command, by name: the module that defines it and its name there.
PARTS = {
    "node": ("twoins.node.cli", "node_group"),
    "network": ("twoins.cli.network", "network_group"),
    "seed": ("twoins.cli.network", "seed"),
    "anonymiser": ("twoins.node.anonymiser_cli", "anonymiser_group"),
    "monitor": ("twoins.monitor.cli", "monitor_group"),
    "audit": ("twoins.node.audit_cli", "audit_group"),
    "bus": ("twoins.cli.deploy_commands", "bus_group"),
    "probe": ("twoins.cli.deploy_commands", "probe_group"),
    "keys": ("twoins.cli.keys", "keys_group"),
    "people": ("twoins.cli.people", "people_group"),
    "mailcatcher": ("twoins.cli.mailcatcher", "mailcatcher"),
}
#: Parts that services must not import (the gateway) plug in their commands by entry point.
PLUGIN_GROUP = "twoins.commands"


class PartsGroup(click.Group):
    """The parts' commands, each imported when first asked for."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        plugged = {entry.name for entry in entry_points(group=PLUGIN_GROUP)}
        return sorted({*super().list_commands(ctx), *PARTS, *plugged})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        known = super().get_command(ctx, cmd_name)
        if known is not None:
            return known
        if cmd_name in PARTS:
            module, name = PARTS[cmd_name]
            command = getattr(importlib.import_module(module), name)
        else:
            plugged = entry_points(group=PLUGIN_GROUP).select(name=cmd_name)
            if not plugged:
                return None
            command = next(iter(plugged)).load()
        if not isinstance(command, click.Command):
            raise click.ClickException(f"{cmd_name}: not a command ({type(command).__name__})")
        self.add_command(command, cmd_name)
        return command


@click.group(cls=PartsGroup)
@click.version_option(package_name="twoins")
def cli() -> None:
    """The 2InS Clusters network: nodes, exchange and tools."""


if __name__ == "__main__":
    cli()
