"""The bus's event envelope: building it, naming its subject, and checking what arrives."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Mapping
from datetime import UTC, datetime

from google.protobuf import any_pb2
from google.protobuf.message import DecodeError, Message

from twoins.common.signing import SigningError
from twoins.v1 import events_pb2

#: Checks that an envelope's bytes were signed by its origin region (signing.KeyRingCache's
#: verify_event): (origin region, envelope bytes, message headers), raising SigningError.
EventVerifier = Callable[[str, bytes, Mapping[str, str]], object]

SCHEMA_VERSION = 1
SUBJECT_PREFIX = "twoins.v1"
#: Larger envelopes are refused by the consumer (the broker's own limit is higher).
MAX_ENVELOPE_BYTES = 64 * 1024

#: Every payload the bus carries, by full name, with its subject's aggregate and event.
EVENT_TYPES: dict[str, tuple[type[Message], str, str]] = {
    message.DESCRIPTOR.full_name: (message, aggregate, event)
    for message, aggregate, event in (
        (events_pb2.NeedPublished, "need", "published"),
        (events_pb2.NeedMatched, "need", "matched"),
        (events_pb2.NeedRemoved, "need", "removed"),
        (events_pb2.ExpertOfferPublished, "offer", "published"),
        (events_pb2.ExpertOfferWithdrawn, "offer", "withdrawn"),
        (events_pb2.KnowledgeItemPublished, "knowledge", "published"),
        (events_pb2.KnowledgeItemWithdrawn, "knowledge", "withdrawn"),
        (events_pb2.ReferralMoved, "referral", "moved"),
        (events_pb2.NodeHeartbeat, "node", "heartbeat"),
    )
}

_REGION = r"[a-z]{2}-[a-z][a-z0-9-]{1,30}"
#: `twoins.v1.<origin>.<aggregate>.<event>`; a referral move adds `.<addressee>`, the other
#: region of the referral, so that the broker delivers it to the two regions only.
_SUBJECT = re.compile(
    rf"^twoins\.v1\.(?P<region>{_REGION})\.(?P<aggregate>[a-z]+)\.(?P<event>[a-z]+)"
    rf"(?:\.(?P<addressee>{_REGION}))?$"
)
#: Heartbeats go outside the network stream's subjects: core NATS, kept by nobody.
HEARTBEAT_PREFIX = "twoins.heartbeat"
_HEARTBEAT_SUBJECT = re.compile(r"^twoins\.heartbeat\.(?P<region>[a-z]{2}-[a-z][a-z0-9-]{1,30})$")


def heartbeat_subject(region: str) -> str:
    return f"{HEARTBEAT_PREFIX}.{region}"


def _subject_parts(subject: str) -> tuple[str, str, str, str] | None:
    """(region, aggregate, event, addressee or "") named by a subject of the bus; None if
    it is none."""
    match = _SUBJECT.match(subject)
    if match is not None:
        return (
            match.group("region"),
            match.group("aggregate"),
            match.group("event"),
            match.group("addressee") or "",
        )
    heartbeat = _HEARTBEAT_SUBJECT.match(subject)
    if heartbeat is not None:
        return heartbeat.group("region"), "node", "heartbeat", ""
    return None


def referral_counterpart(origin: str, moved: events_pb2.ReferralMoved) -> str:
    """The region a referral move of `origin` is for: the referral's other region."""
    return moved.offer_region if moved.need_region == origin else moved.need_region


class EnvelopeError(Exception):
    """An event that cannot be applied; `reason` is a stable word for dead-letter counts."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


def subject_for(region: str, payload: Message) -> str:
    if isinstance(payload, events_pb2.NodeHeartbeat):
        return heartbeat_subject(region)
    _message, aggregate, event = EVENT_TYPES[payload.DESCRIPTOR.full_name]
    subject = f"{SUBJECT_PREFIX}.{region}.{aggregate}.{event}"
    counterpart = (
        referral_counterpart(region, payload)
        if isinstance(payload, events_pb2.ReferralMoved)
        else ""
    )
    # A move without its other region (malformed) goes unaddressed rather than on a subject
    # ending in a dot, which the broker would refuse.
    return f"{subject}.{counterpart}" if counterpart else subject


def wrap(
    payload: Message,
    origin_region: str,
    occur_time: datetime | None = None,
    event_id: str | None = None,
) -> events_pb2.EventEnvelope:
    """The envelope of `payload`, with a new event id unless one is given."""
    packed = any_pb2.Any()
    packed.Pack(payload)
    envelope = events_pb2.EventEnvelope(
        event_id=event_id or str(uuid.uuid4()),
        event_type=payload.DESCRIPTOR.full_name,
        origin_region=origin_region,
        schema_version=SCHEMA_VERSION,
        payload=packed,
    )
    envelope.occur_time.FromDatetime(occur_time or datetime.now(UTC))
    return envelope


def open_envelope(
    subject: str,
    data: bytes,
    known_regions: frozenset[str],
    *,
    verify: EventVerifier | None,
    headers: Mapping[str, str] | None = None,
) -> tuple[events_pb2.EventEnvelope, Message]:
    """The envelope and its payload, or EnvelopeError saying why the event is refused.
    With `verify`, the event must also carry its origin region's signature in `headers`;
    None is for callers that only read events they captured themselves."""
    if len(data) > MAX_ENVELOPE_BYTES:
        raise EnvelopeError("OVERSIZED", f"{len(data)} bytes, more than {MAX_ENVELOPE_BYTES}")
    parts = _subject_parts(subject)
    if parts is None:
        raise EnvelopeError("BAD_SUBJECT", f"subject {subject!r} is not twoins.v1.<region>.…")
    subject_region, subject_aggregate, subject_event, addressee = parts
    envelope = events_pb2.EventEnvelope()
    try:
        envelope.ParseFromString(data)
    except DecodeError as error:
        raise EnvelopeError("UNDECODABLE", f"not an EventEnvelope: {error}") from None
    try:
        uuid.UUID(envelope.event_id)
    except ValueError:
        raise EnvelopeError("INVALID", "event_id is not a UUID") from None
    if envelope.schema_version != SCHEMA_VERSION:
        raise EnvelopeError(
            "UNSUPPORTED_VERSION",
            f"schema version {envelope.schema_version} is not {SCHEMA_VERSION}",
        )
    if envelope.origin_region != subject_region:
        raise EnvelopeError(
            "WRONG_ORIGIN",
            f"origin {envelope.origin_region!r} published on the subject of {subject_region!r}",
        )
    if envelope.origin_region not in known_regions:
        raise EnvelopeError(
            "UNKNOWN_REGION", f"region {envelope.origin_region!r} is not in the network"
        )
    if verify is not None:
        try:
            verify(envelope.origin_region, data, headers or {})
        except SigningError as error:
            raise EnvelopeError(error.reason, str(error)) from None
    registered = EVENT_TYPES.get(envelope.event_type)
    if registered is None:
        raise EnvelopeError("UNKNOWN_TYPE", f"event type {envelope.event_type!r} is unknown")
    message_type, aggregate, event = registered
    if (subject_aggregate, subject_event) != (aggregate, event):
        raise EnvelopeError("WRONG_SUBJECT", f"{envelope.event_type} does not go on {subject}")
    if not envelope.HasField("occur_time"):
        raise EnvelopeError("INVALID", "occur_time is missing")
    payload = message_type()
    if not envelope.payload.Unpack(payload):
        raise EnvelopeError("INVALID", f"payload is not a {envelope.event_type}")
    # A move names its addressee; one from a node that does not yet (an earlier release)
    # goes without, and is delivered network-wide as it was then.
    if addressee and (
        not isinstance(payload, events_pb2.ReferralMoved)
        or addressee != referral_counterpart(envelope.origin_region, payload)
    ):
        raise EnvelopeError("WRONG_SUBJECT", f"{envelope.event_type} is not for {addressee}")
    return envelope, payload
