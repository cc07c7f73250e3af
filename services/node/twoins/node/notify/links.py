"""Unsubscribe links that work without signing in: the link carries what it turns off, for
whom, signed with the node's own key (HMAC-SHA256), so nobody can make one for someone else.
The token starts with the region id, so that the console knows which node checks it."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

_KEY_BYTES = 32


class BadLink(Exception):
    """The link is not one this node made, or it was changed."""


@dataclass(frozen=True)
class Unsubscription:
    subject: str
    #: A kind of mail (NotificationKind's name), or "" for a saved search.
    kind: str = ""
    saved_search_id: str = ""


def _encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def load_or_create_key(path: Path) -> bytes:
    """The node's link key, made (readable by its owner only) on first start."""
    if path.exists():
        key = path.read_bytes()
        if len(key) < _KEY_BYTES:
            raise ValueError(f"{path} holds {len(key)} bytes; a link key has {_KEY_BYTES}")
        return key
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_bytes(_KEY_BYTES)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(key)
    return key


class LinkSigner:
    def __init__(self, region_id: str, key: bytes) -> None:
        self._region = region_id
        self._key = key

    def _mac(self, body: str) -> str:
        return _encode(
            hmac.new(self._key, f"{self._region}.{body}".encode(), hashlib.sha256).digest()
        )

    def token(self, unsubscription: Unsubscription) -> str:
        payload = {"s": unsubscription.subject}
        if unsubscription.saved_search_id:
            payload["q"] = unsubscription.saved_search_id
        else:
            payload["k"] = unsubscription.kind
        body = _encode(json.dumps(payload, separators=(",", ":")).encode())
        return f"{self._region}.{body}.{self._mac(body)}"

    def read(self, token: str) -> Unsubscription:
        region, _, rest = token.partition(".")
        body, _, mac = rest.partition(".")
        if region != self._region or not body or not mac:
            raise BadLink("this unsubscribe link is not one of this region's")
        if not hmac.compare_digest(mac, self._mac(body)):
            raise BadLink("this unsubscribe link was changed or is not genuine")
        try:
            payload = json.loads(_decode(body))
            return Unsubscription(
                str(payload["s"]), str(payload.get("k", "")), str(payload.get("q", ""))
            )
        except (ValueError, KeyError, TypeError):
            raise BadLink("this unsubscribe link is damaged") from None


def region_of_token(token: str) -> str:
    """The region whose node made the token (not checked: that node checks it)."""
    return token.partition(".")[0]
