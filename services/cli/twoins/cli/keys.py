"""`twoins keys`: the nodes' signing keys and the network key ring signed by the network's root.

A key folder holds `root.key` (the network root, kept by the network coordinator),
`keyring.json` (what every node and the monitor read) and, when one machine runs the whole
network, `<region>.key` for each region. In a real network each region makes its key itself
(`twoins keys create`) and hands only the public half to the coordinator (`twoins keys add`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import click

from twoins.common.network import DEFAULT_NETWORK_FILE, ConfigError, load_network
from twoins.common.signing import (
    KeyRing,
    KeyStatus,
    SigningError,
    generate_signing_key,
    key_id,
    parse_keyring,
    parse_public_key,
    public_key_text,
    read_private_key,
    sign_keyring,
    with_key,
    with_status,
    write_private_key,
)

ROOT_KEY = "root.key"
#: The root's public key as text, for services that read it from a file.
ROOT_PUBLIC_KEY = "root.pub"
KEYRING = "keyring.json"


@dataclass(frozen=True)
class NetworkKeys:
    """Where a node finds what signing needs, and the root's public key to trust."""

    folder: Path
    root_public_key: str

    @property
    def keyring(self) -> Path:
        return self.folder / KEYRING

    def signing_key(self, region: str) -> Path:
        return self.folder / f"{region}.key"

    def node_environment(self, region: str) -> dict[str, str]:
        return {
            "TWOINS_SIGNING_KEY_FILE": str(self.signing_key(region)),
            "TWOINS_KEYRING_URL": str(self.keyring),
            "TWOINS_KEYRING_ROOT_KEY": self.root_public_key,
        }

    def monitor_environment(self) -> dict[str, str]:
        return {
            "TWOINS_KEYRING_URL": str(self.keyring),
            "TWOINS_KEYRING_ROOT_KEY": self.root_public_key,
        }

    def node_overrides(self, region: str) -> dict[str, str]:
        """The same as node configuration keys."""
        return {
            "signing_key_file": str(self.signing_key(region)),
            "keyring_url": str(self.keyring),
            "keyring_root_key": self.root_public_key,
        }


def _root(folder: Path) -> tuple[NetworkKeys, KeyRing | None]:
    path = folder / ROOT_KEY
    if not path.exists():
        raise SigningError("NO_KEY", f"no network root key in {folder}: run `twoins keys init`")
    root = read_private_key(path)
    keys = NetworkKeys(folder, public_key_text(root.public_key()))
    ring = None
    if keys.keyring.exists():
        ring = parse_keyring(keys.keyring.read_bytes(), root.public_key())
    return keys, ring


def _publish(folder: Path, ring: KeyRing) -> None:
    root = read_private_key(folder / ROOT_KEY)
    document = sign_keyring(ring, root)
    temporary = folder / (KEYRING + ".tmp")
    temporary.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    temporary.replace(folder / KEYRING)


def init_network_keys(folder: Path, regions: list[str]) -> NetworkKeys:
    """The root key, a key for each region that has none, and a ring listing them; what is
    there already is kept, so running it again changes nothing."""
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o700)
    if not (folder / ROOT_KEY).exists():
        write_private_key(folder / ROOT_KEY, generate_signing_key("root").private_key)
    keys, ring = _root(folder)
    current = ring or KeyRing(0, {})
    changed = ring is None
    for region in regions:
        path = keys.signing_key(region)
        if not path.exists():
            write_private_key(path, generate_signing_key(region).private_key)
        public = read_private_key(path).public_key()
        if key_id(region, public) not in current.active_kids(region):
            current = with_key(current, region, public, "active")
            changed = True
    if changed:
        _publish(folder, KeyRing(max(current.version, 1), current.keys))
    (folder / ROOT_PUBLIC_KEY).write_text(keys.root_public_key + "\n", encoding="utf-8")
    return keys


def add_key(folder: Path, region: str, public_key: str, status: KeyStatus = "active") -> str:
    """Lists a region's public key in the ring; its id."""
    _keys, ring = _root(folder)
    public = parse_public_key(public_key)
    updated = with_key(ring or KeyRing(0, {}), region, public, status)
    _publish(folder, updated)
    return key_id(region, public)


def rotate_key(folder: Path, region: str) -> tuple[str, str]:
    """A new key for `region`: the ring lists it as active and the old one as retired (it
    still verifies what it signed), then the region's key file is replaced. (old, new) ids."""
    keys, ring = _root(folder)
    path = keys.signing_key(region)
    old = read_private_key(path)
    old_kid = key_id(region, old.public_key())
    new = generate_signing_key(region)
    updated = with_key(ring or KeyRing(0, {}), region, new.public_key, "active")
    if old_kid in updated.keys:
        updated = with_status(updated, old_kid, "retired")
    _publish(folder, updated)  # the ring first: receivers know the new key before it signs
    write_private_key(folder / f"{region}.{old_kid.split('.')[1]}.retired.key", old)
    write_private_key(path, new.private_key)
    return old_kid, new.kid


def set_key_status(folder: Path, kid: str, status: KeyStatus) -> None:
    _keys, ring = _root(folder)
    if ring is None:
        raise SigningError("NO_KEYRING", f"no key ring in {folder}: run `twoins keys init`")
    _publish(folder, with_status(ring, kid, status))


# --- the command ------------------------------------------------------------------------------

_FOLDER = click.option(
    "--dir",
    "folder",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("var") / "keys",
    show_default=True,
    help="The key folder (root key, key ring, the regions' keys of a one-machine network).",
)


@click.group("keys")
def keys_group() -> None:
    """Signing keys of the nodes and the network key ring."""


def _fail(error: Exception) -> click.ClickException:
    return click.ClickException(str(error))


@keys_group.command("init")
@_FOLDER
@click.option("--region", "regions", multiple=True, help="A region to make a key for.")
def init_command(folder: Path, regions: tuple[str, ...]) -> None:
    """Make the root key and a key ring (and keys for --region, default every region)."""
    try:
        chosen = list(regions) or list(load_network(DEFAULT_NETWORK_FILE).region_ids)
        keys = init_network_keys(folder, chosen)
    except (SigningError, ConfigError, OSError) as error:
        raise _fail(error) from None
    click.echo(f"key ring: {keys.keyring}")
    click.echo(f"root public key (TWOINS_KEYRING_ROOT_KEY): {keys.root_public_key}")


@keys_group.command("create")
@click.option("--region", required=True)
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), required=True)
def create_command(region: str, out: Path) -> None:
    """Make a region's key at OUT (mode 600); prints the public key for the coordinator."""
    if out.exists():
        raise click.ClickException(f"{out} exists: a key is never overwritten; rotate instead")
    key = generate_signing_key(region)
    write_private_key(out, key.private_key)
    click.echo(f"{key.kid} {public_key_text(key.public_key)}")


@keys_group.command("add")
@_FOLDER
@click.option("--region", required=True)
@click.option("--public-key", required=True, help="base64url, as `twoins keys create` prints.")
def add_command(folder: Path, region: str, public_key: str) -> None:
    """List a region's public key in the key ring as active."""
    try:
        click.echo(f"added {add_key(folder, region, public_key)}")
    except (SigningError, OSError) as error:
        raise _fail(error) from None


@keys_group.command("rotate")
@_FOLDER
@click.option("--region", required=True)
def rotate_command(folder: Path, region: str) -> None:
    """Give a region of this folder a new key; the old one is kept as retired."""
    try:
        old, new = rotate_key(folder, region)
    except (SigningError, OSError) as error:
        raise _fail(error) from None
    click.echo(f"rotated {region}: {old} retired, {new} active")


@keys_group.command("revoke")
@_FOLDER
@click.option("--kid", required=True, help="The key id, as `twoins keys list` shows it.")
def revoke_command(folder: Path, kid: str) -> None:
    """Refuse everything a key signed, from now on (a key that leaked)."""
    try:
        set_key_status(folder, kid, "revoked")
    except (SigningError, OSError) as error:
        raise _fail(error) from None
    click.echo(f"revoked {kid}")


@keys_group.command("list")
@_FOLDER
def list_command(folder: Path) -> None:
    """The key ring's keys with their status."""
    try:
        _keys, ring = _root(folder)
    except (SigningError, OSError) as error:
        raise _fail(error) from None
    if ring is None:
        raise click.ClickException(f"no key ring in {folder}: run `twoins keys init`")
    click.echo(f"key ring version {ring.version}")
    for key in sorted(ring.keys.values(), key=lambda k: (k.region, k.kid)):
        click.echo(f"  {key.kid:40} {key.status}")
