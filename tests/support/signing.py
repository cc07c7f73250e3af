"""The test network's signing keys and key ring: one folder for the whole test session."""

from __future__ import annotations

import atexit
import shutil
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

from twoins.cli.keys import NetworkKeys, init_network_keys
from twoins.common.network import load_network
from twoins.common.signing import load_signing_key


@cache
def network_keys() -> NetworkKeys:
    """A root key, one key per region of deploy/network.yaml, and the ring listing them."""
    folder = Path(tempfile.mkdtemp(prefix="twoins-keys-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return init_network_keys(folder / "keys", list(load_network().region_ids))


def signing_overrides(region: str) -> dict[str, Any]:
    """A node's configuration keys for event signing; the ring is fetched every second, so
    that tests of rotation and revocation need not wait."""
    return {**network_keys().node_overrides(region), "keyring_refresh_seconds": 1}


def signed_headers(region: str, envelope: bytes) -> dict[str, str]:
    """The headers with which `region`'s node would publish `envelope`."""
    key = load_signing_key(network_keys().signing_key(region), region)
    return key.event_headers(envelope)
