"""`twoins audit verify` and `twoins audit receipt`: a node's disclosure audit log checked
entry by entry, against its signed head, the counterparts' countersignatures and, offline,
against the copy of its head that a counterpart holds."""

from __future__ import annotations

import base64
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from twoins.common.signing import KeyRingCache, SigningError, parse_public_key
from twoins.node.cli import load_config_or_exit, network_option
from twoins.node.config import NodeConfig
from twoins.node.domain.audit import SignedHead
from twoins.node.store.database import Database, DatabaseError
from twoins.node.store.node_store import NodeStore
from twoins.node.store.repositories import Repositories


@click.group("audit")
def audit_group() -> None:
    """The disclosure audit log of a node."""


@contextmanager
def _log(config: NodeConfig) -> Iterator[Repositories]:
    try:
        database = Database(config.database_url)
        database.check_connection()
        if not database.is_current():
            raise click.ClickException(
                "the database schema is not current; run `twoins node migrate` first"
            )
        with NodeStore(database).read() as repositories:
            yield repositories
        database.dispose()
    except DatabaseError as error:
        raise click.ClickException(str(error)) from None


def _keyring(config: NodeConfig) -> KeyRingCache:
    if not config.keyring_url or not config.keyring_root_key:
        raise click.ClickException(
            "the log's signed head is checked against the network key ring: set keyring_url "
            "and keyring_root_key (TWOINS_KEYRING_URL, TWOINS_KEYRING_ROOT_KEY)"
        )
    try:
        keyring = KeyRingCache(config.keyring_url, parse_public_key(config.keyring_root_key))
        keyring.load()
    except SigningError as error:
        raise click.ClickException(str(error)) from None
    return keyring


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii")


def _read_copy(path: Path) -> tuple[str, SignedHead]:
    """A receipt file (`twoins audit receipt`): the holder and the head it holds."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        head = document["head"]
        return str(document["holder"]), SignedHead(
            str(head["region"]),
            int(head["sequence"]),
            str(head["entry_hash"]),
            str(head["key_id"]),
            base64.urlsafe_b64decode(str(head["signature"])),
        )
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise click.ClickException(
            f"{path} is not a receipt of `twoins audit receipt`: {error}"
        ) from None


@audit_group.command("verify")
@click.option("--region", help="Region id whose node's log to check.")
@click.option("--database", "database_url", help="Database URL (default: the region's).")
@click.option("--config", "config_file", type=click.Path(path_type=Path))
@click.option(
    "--against",
    "receipts",
    multiple=True,
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="A counterpart's receipt of this log's head (`twoins audit receipt` at the "
    "counterpart); repeatable.",
)
@network_option
def verify(
    region: str | None,
    database_url: str | None,
    config_file: Path | None,
    receipts: tuple[Path, ...],
    network_file: Path,
) -> None:
    """Check the hash chain, the signed head and every countersignature: exits 0 when the
    log is whole, 1 naming the first broken entry and why."""
    config = load_config_or_exit(region, config_file, network_file, database_url=database_url)
    copies = [_read_copy(path) for path in receipts]
    keyring = _keyring(config)
    with _log(config) as repositories:
        checked, broken = repositories.audit.verify_evidence(
            config.region.id, keyring.check_signature, copies
        )
        countersigned = len(repositories.audit.countersignatures())
    if broken is None and checked == 0:
        click.echo(
            f"audit log of {config.region.id}: empty, and {len(copies)} receipts agree "
            "(no counterpart holds a head of it)"
        )
        return
    if broken is None:
        click.echo(
            f"audit log of {config.region.id}: {checked} entries, the chain is whole, its head "
            f"is signed, {countersigned} countersignatures and {len(copies)} receipts agree"
        )
        return
    click.echo(
        f"audit log of {config.region.id}: entry {broken.sequence} is broken: {broken.reason} "
        f"({checked} entries before it hold)",
        err=True,
    )
    sys.exit(1)


@audit_group.command("receipt")
@click.option("--region", help="Region id of the node that holds the receipt.")
@click.option("--of", "counterpart", required=True, help="The region whose head it holds.")
@click.option("--database", "database_url", help="Database URL (default: the region's).")
@click.option("--config", "config_file", type=click.Path(path_type=Path))
@network_option
def receipt(
    region: str | None,
    counterpart: str,
    database_url: str | None,
    config_file: Path | None,
    network_file: Path,
) -> None:
    """Print (JSON) the newest signed head of COUNTERPART's log that this node holds, for
    `twoins audit verify --against` at the counterpart."""
    config = load_config_or_exit(region, config_file, network_file, database_url=database_url)
    with _log(config) as repositories:
        head = repositories.audit.counterpart_head(counterpart)
    if head is None:
        raise click.ClickException(f"{config.region.id} holds no audit head of {counterpart}")
    document = {
        "holder": config.region.id,
        "head": {
            "region": head.region,
            "sequence": head.sequence,
            "entry_hash": head.entry_hash,
            "key_id": head.key_id,
            "signature": _b64(head.signature),
        },
    }
    click.echo(json.dumps(document, indent=2))
