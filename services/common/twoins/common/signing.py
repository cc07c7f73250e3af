"""Proof of origin for bus events: each node's Ed25519 key, and the network's key ring.

Every event a node publishes carries, in two message headers, the id of its key and an
Ed25519 signature over the envelope's exact bytes. Receivers check the signature against the
**network key ring**: a JSON document listing each region's public keys, signed by the
network's root key, whose public half every node and the monitor are configured with.

Why a signed file and not the broker or Keycloak: the point is to prove origin even past a
compromised broker, so the keys cannot travel on the broker's word; Keycloak publishes only
its realm's own signing keys, not its clients', so it cannot vouch for a node's key. A file
signed by the network's root can travel by any channel (a URL, a mounted file, a ConfigMap)
and be cached: whoever carries it cannot change it unnoticed, and an older copy (a smaller
`version`) is refused once a newer one was seen.

Rotation: a region makes a new key, the ring lists it as `active` and the old one as
`retired` (still verifies what was signed before, which may wait in a stream while a link is
down; signs nothing), and a key that leaked is `revoked` (verifies nothing any more).
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import threading
import time
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

#: The message headers that carry an event's proof of origin.
KEY_ID_HEADER = "Twoins-Key-Id"
SIGNATURE_HEADER = "Twoins-Signature"
KeyStatus = Literal["active", "retired", "revoked"]
KEY_STATUSES: tuple[KeyStatus, ...] = ("active", "retired", "revoked")
#: A key ring larger than this is refused unread (it is a few hundred bytes per key).
MAX_KEYRING_BYTES = 1024 * 1024


class SigningError(Exception):
    """An event or key ring that cannot be trusted; `reason` is a stable word for counts."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def public_key_text(key: Ed25519PublicKey) -> str:
    """A public key as the key ring and configurations write it (base64url, raw 32 bytes)."""
    return _b64(key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw))


def parse_public_key(text: str) -> Ed25519PublicKey:
    try:
        raw = _unb64(text.strip())
        return Ed25519PublicKey.from_public_bytes(raw)
    except (ValueError, TypeError) as error:
        raise SigningError("BAD_KEY", f"not an Ed25519 public key: {error}") from None


def key_id(region: str, key: Ed25519PublicKey) -> str:
    """A key's id: its region and a fingerprint of the public key, stable and unique."""
    fingerprint = hashlib.sha256(
        key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    ).hexdigest()[:16]
    return f"{region}.{fingerprint}"


@dataclass(frozen=True)
class SigningKey:
    """A node's private key, with the id receivers find it by."""

    region: str
    private_key: Ed25519PrivateKey

    @property
    def public_key(self) -> Ed25519PublicKey:
        return self.private_key.public_key()

    @property
    def kid(self) -> str:
        return key_id(self.region, self.public_key)

    def sign(self, data: bytes) -> bytes:
        return self.private_key.sign(data)

    def event_headers(self, envelope: bytes) -> dict[str, str]:
        """The headers that prove an envelope came from this key's region."""
        return {KEY_ID_HEADER: self.kid, SIGNATURE_HEADER: _b64(self.sign(envelope))}


def generate_signing_key(region: str) -> SigningKey:
    return SigningKey(region, Ed25519PrivateKey.generate())


def write_private_key(path: Path, key: Ed25519PrivateKey) -> None:
    """PKCS#8 PEM, readable by its owner only (written whole, then moved into place)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    temporary = path.with_name(path.name + ".tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(pem)
    temporary.replace(path)


def read_private_key(path: Path) -> Ed25519PrivateKey:
    try:
        loaded = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except OSError as error:
        raise SigningError("NO_KEY", f"cannot read the signing key {path}: {error}") from None
    except ValueError as error:
        raise SigningError("BAD_KEY", f"{path} is not a PEM private key: {error}") from None
    if not isinstance(loaded, Ed25519PrivateKey):
        raise SigningError("BAD_KEY", f"{path} holds no Ed25519 key")
    return loaded


def load_signing_key(path: Path, region: str) -> SigningKey:
    return SigningKey(region, read_private_key(path))


# --- the key ring -----------------------------------------------------------------------------


@dataclass(frozen=True)
class RingKey:
    kid: str
    region: str
    public_key: Ed25519PublicKey
    status: KeyStatus


def _canonical(document: Mapping[str, Any]) -> bytes:
    body = {name: value for name, value in document.items() if name != "signature"}
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


@dataclass(frozen=True)
class KeyRing:
    """The network's public keys as one signed document says them."""

    version: int
    keys: dict[str, RingKey]

    def verify_event(self, origin_region: str, envelope: bytes, headers: Mapping[str, str]) -> str:
        """The key id that signed `envelope` for `origin_region`; SigningError otherwise."""
        kid = headers.get(KEY_ID_HEADER, "")
        signature = headers.get(SIGNATURE_HEADER, "")
        if not kid or not signature:
            raise SigningError("UNSIGNED", "the event carries no signature")
        key = self.keys.get(kid)
        if key is None:
            raise SigningError("UNKNOWN_KEY", f"key {kid[:80]!r} is not in the network key ring")
        if key.region != origin_region:
            raise SigningError(
                "WRONG_KEY_REGION", f"key {kid!r} is {key.region}'s, the event says {origin_region}"
            )
        if key.status == "revoked":
            raise SigningError("REVOKED_KEY", f"key {kid!r} was revoked")
        try:
            key.public_key.verify(_unb64(signature), envelope)
        except (InvalidSignature, ValueError):
            raise SigningError(
                "BAD_SIGNATURE", f"the signature does not match key {kid!r}"
            ) from None
        return kid

    def active_kids(self, region: str) -> set[str]:
        return {k.kid for k in self.keys.values() if k.region == region and k.status == "active"}

    def to_document(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "keys": [
                {
                    "kid": key.kid,
                    "region": key.region,
                    "public_key": public_key_text(key.public_key),
                    "status": key.status,
                }
                for key in sorted(self.keys.values(), key=lambda k: k.kid)
            ],
        }


def sign_keyring(ring: KeyRing, root: Ed25519PrivateKey) -> dict[str, Any]:
    """The key ring as a document signed by the network's root key."""
    document = {**ring.to_document(), "issued_at": datetime.now(UTC).isoformat()}
    document["signature"] = _b64(root.sign(_canonical(document)))
    return document


def parse_keyring(data: bytes, root: Ed25519PublicKey) -> KeyRing:
    """A key ring document checked against the root key; SigningError says what is wrong."""
    if len(data) > MAX_KEYRING_BYTES:
        raise SigningError("BAD_KEYRING", f"the key ring is over {MAX_KEYRING_BYTES} bytes")
    try:
        document = json.loads(data)
    except ValueError as error:
        raise SigningError("BAD_KEYRING", f"the key ring is not JSON: {error}") from None
    if not isinstance(document, dict) or not isinstance(document.get("signature"), str):
        raise SigningError("BAD_KEYRING", "the key ring is not a signed document")
    try:
        root.verify(_unb64(document["signature"]), _canonical(document))
    except (InvalidSignature, ValueError):
        raise SigningError(
            "BAD_KEYRING", "the key ring's signature is not the network root's"
        ) from None
    version, entries = document.get("version"), document.get("keys")
    if not isinstance(version, int) or version < 1 or not isinstance(entries, list):
        raise SigningError("BAD_KEYRING", "the key ring needs a version and a list of keys")
    keys: dict[str, RingKey] = {}
    for entry in entries:
        if not isinstance(entry, dict) or entry.get("status") not in KEY_STATUSES:
            raise SigningError("BAD_KEYRING", f"a key ring entry is malformed: {entry!r:.120}")
        public = parse_public_key(str(entry.get("public_key", "")))
        region = str(entry.get("region", ""))
        kid = key_id(region, public)
        if entry.get("kid") != kid:
            raise SigningError("BAD_KEYRING", f"key id {entry.get('kid')!r} does not match its key")
        keys[kid] = RingKey(kid, region, public, entry["status"])
    return KeyRing(version, keys)


def with_key(ring: KeyRing, region: str, key: Ed25519PublicKey, status: KeyStatus) -> KeyRing:
    """The ring with `key` added (or its status changed), one version later."""
    kid = key_id(region, key)
    return KeyRing(ring.version + 1, {**ring.keys, kid: RingKey(kid, region, key, status)})


def with_status(ring: KeyRing, kid: str, status: KeyStatus) -> KeyRing:
    key = ring.keys.get(kid)
    if key is None:
        raise SigningError("UNKNOWN_KEY", f"key {kid!r} is not in the key ring")
    changed = RingKey(key.kid, key.region, key.public_key, status)
    return KeyRing(ring.version + 1, {**ring.keys, kid: changed})


def read_source(location: str, timeout: float = 5.0) -> bytes:
    """The bytes at a file path or an http(s) URL."""
    if location.startswith(("http://", "https://")):
        with urllib.request.urlopen(location, timeout=timeout) as response:  # noqa: S310
            return bytes(response.read(MAX_KEYRING_BYTES + 1))
    return Path(location).read_bytes()


class KeyRingCache:
    """The newest key ring seen at `location`, fetched again at most every `refresh_seconds`
    (and at once on a key it does not know, at most every `miss_seconds`). A fetch that fails
    or brings an older or forged ring keeps the one it has, and says why in `last_error`."""

    def __init__(
        self,
        location: str,
        root: Ed25519PublicKey,
        refresh_seconds: float = 30.0,
        miss_seconds: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._location = location
        self._root = root
        self._refresh_seconds = refresh_seconds
        self._miss_seconds = miss_seconds
        self._clock = clock
        self._lock = threading.Lock()
        self._ring: KeyRing | None = None
        self._fetched_at = float("-inf")
        self.last_error = ""

    def load(self) -> KeyRing:
        """The ring, fetched now; SigningError when there is none to be had."""
        self._fetch()
        if self._ring is None:
            raise SigningError(
                "NO_KEYRING", f"no network key ring at {self._location}: {self.last_error}"
            )
        return self._ring

    def current(self) -> KeyRing | None:
        if self._clock() - self._fetched_at >= self._refresh_seconds:
            self._fetch()
        return self._ring

    def verify_event(self, origin_region: str, envelope: bytes, headers: Mapping[str, str]) -> str:
        ring = self.current()
        if ring is None:
            raise SigningError("NO_KEYRING", f"no network key ring: {self.last_error}")
        try:
            return ring.verify_event(origin_region, envelope, headers)
        except SigningError as error:
            # A key made since the last fetch: look again, not too often.
            if error.reason == "UNKNOWN_KEY" and self._clock() - self._fetched_at >= (
                self._miss_seconds
            ):
                self._fetch()
                if self._ring is not None and self._ring is not ring:
                    return self._ring.verify_event(origin_region, envelope, headers)
            raise

    def check_signature(self, region: str, message: bytes, kid: str, signature: bytes) -> bool:
        """Whether `region`'s key `kid` (active or retired, not revoked) signed `message`."""
        ring = self.current()
        if (
            ring is not None
            and kid not in ring.keys
            and (self._clock() - self._fetched_at >= self._miss_seconds)
        ):
            self._fetch()
            ring = self._ring
        key = ring.keys.get(kid) if ring is not None else None
        if key is None or key.region != region or key.status == "revoked":
            return False
        try:
            key.public_key.verify(signature, message)
        except InvalidSignature:
            return False
        return True

    def _fetch(self) -> None:
        with self._lock:
            self._fetched_at = self._clock()
            try:
                ring = parse_keyring(read_source(self._location), self._root)
            except (OSError, SigningError) as error:
                self.last_error = str(error)
                return
            if self._ring is not None and ring.version < self._ring.version:
                self.last_error = (
                    f"refused key ring version {ring.version}: version {self._ring.version} "
                    "was seen already"
                )
                return
            self._ring = ring
            self.last_error = ""


class KeyFileSigner:
    """A node's signing key, read from its file and read again when the file changes (a
    rotation). A new key is used once the key ring lists it as active, so that receivers
    can check what it signs; until then the node goes on signing with the key it had."""

    def __init__(self, path: Path, region: str, ring: KeyRingCache) -> None:
        self._path = path
        self._region = region
        self._ring = ring
        self._lock = threading.Lock()
        self._key = load_signing_key(path, region)
        self._modified = path.stat().st_mtime_ns

    def check_listed(self) -> None:
        """SigningError unless the key ring lists this node's key as active."""
        ring = self._ring.load()
        if self._key.kid not in ring.active_kids(self._region):
            raise SigningError(
                "UNKNOWN_KEY",
                f"the network key ring (version {ring.version}) does not list this node's key "
                f"{self._key.kid} as active: add it (twoins keys add) before starting the node",
            )

    @property
    def key(self) -> SigningKey:
        with self._lock:
            try:
                modified = self._path.stat().st_mtime_ns
            except OSError:
                return self._key  # a file being replaced: keep the key in hand
            if modified != self._modified:
                self._take_new_key(modified)
            return self._key

    def _take_new_key(self, modified: int) -> None:
        try:
            candidate = load_signing_key(self._path, self._region)
        except SigningError:
            return
        ring = self._ring.current()
        if ring is not None and candidate.kid in ring.active_kids(self._region):
            self._key = candidate
            self._modified = modified
