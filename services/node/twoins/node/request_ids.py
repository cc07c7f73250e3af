"""Request ids of create calls: the form a client's key takes, and what a retry must repeat."""

from __future__ import annotations

import hashlib
import re

from google.protobuf.message import Message

REQUEST_ID_PATTERN = re.compile(r"^[A-Za-z0-9_-]{8,64}$")


def request_fingerprint(request: Message) -> str:
    """SHA-256 of a create request without its request_id."""
    copy = type(request)()
    copy.CopyFrom(request)
    copy.ClearField("request_id")
    return hashlib.sha256(copy.SerializeToString(deterministic=True)).hexdigest()
