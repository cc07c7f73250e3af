"""`twoins audit verify`: checks a node's disclosure audit log, entry by entry."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from twoins.node.cli import load_config_or_exit, network_option
from twoins.node.store.database import Database, DatabaseError
from twoins.node.store.node_store import NodeStore


@click.group("audit")
def audit_group() -> None:
    """The disclosure audit log of a node."""


@audit_group.command("verify")
@click.option("--region", help="Region id whose node's log to check.")
@click.option("--database", "database_url", help="Database URL (default: the region's).")
@click.option("--config", "config_file", type=click.Path(path_type=Path))
@network_option
def verify(
    region: str | None, database_url: str | None, config_file: Path | None, network_file: Path
) -> None:
    """Check the hash chain: exits 0 when whole, 1 naming the first broken entry."""
    config = load_config_or_exit(region, config_file, network_file, database_url=database_url)
    try:
        database = Database(config.database_url)
        database.check_connection()
        if not database.is_current():
            raise click.ClickException(
                "the database schema is not current; run `twoins node migrate` first"
            )
        with NodeStore(database).read() as repositories:
            checked, broken = repositories.audit.verify()
        database.dispose()
    except DatabaseError as error:
        raise click.ClickException(str(error)) from None
    if broken is None:
        click.echo(f"audit log of {config.region.id}: {checked} entries, the chain is whole")
        return
    click.echo(
        f"audit log of {config.region.id}: entry {broken.sequence} is broken: {broken.reason} "
        f"({checked} entries before it hold)",
        err=True,
    )
    sys.exit(1)
