"""Fuzzing what comes from outside a node: bus events (subjects, envelopes, payloads) and the
free text the anonymiser scrubs. Whatever arrives, an event is applied, ignored as stale or a
duplicate, or dead-lettered with a reason — never an exception that would stop the consumer —
and the scrubber never fails and never lets an e-mail address or phone number through."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from google.protobuf.any_pb2 import Any as AnyMessage
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from twoins.common.envelope import EVENT_TYPES, EnvelopeError, open_envelope, wrap
from twoins.node.bus.apply import EventApplier
from twoins.node.domain.anonymiser.scrubber import scrub
from twoins.node.domain.anonymiser.spans import KnownContact, KnownIdentity
from twoins.node.store.database import Database
from twoins.node.store.node_store import NodeStore
from twoins.v1 import events_pb2

REGIONS = frozenset({"it-basilicata", "gr-attica"})
SUBJECTS = st.one_of(
    st.text(max_size=60),
    st.builds(
        lambda region, aggregate, event: f"twoins.v1.{region}.{aggregate}.{event}",
        st.sampled_from([*REGIONS, "xx-unknown", "IT-BAD"]),
        st.sampled_from(["need", "offer", "referral", "knowledge", "node", "x"]),
        st.sampled_from(["published", "matched", "removed", "withdrawn", "moved", "heartbeat"]),
    ),
)
PAYLOAD_TYPES = [message for message, _aggregate, _event in EVENT_TYPES.values()]


@st.composite
def envelopes(draw: st.DrawFn) -> tuple[str, bytes]:
    """A well-formed envelope around a payload of random field values, on a matching or a
    mismatching subject; sometimes with its bytes damaged."""
    message_type = draw(st.sampled_from(PAYLOAD_TYPES))
    payload = message_type()
    raw = draw(st.binary(max_size=300))
    try:
        payload.MergeFromString(raw)
    except Exception:
        payload = message_type()
    region = draw(st.sampled_from(sorted(REGIONS)))
    _, aggregate, event = EVENT_TYPES[payload.DESCRIPTOR.full_name]
    subject_region = draw(st.sampled_from([region, *sorted(REGIONS - {region})]))
    envelope = wrap(payload, region)
    # Drawn, not random: the same draws must make the same bytes.
    envelope.event_id = draw(st.one_of(st.uuids().map(str), st.sampled_from(["", "not-a-uuid"])))
    envelope.occur_time.FromSeconds(draw(st.integers(0, 2**33)))
    if draw(st.booleans()):
        envelope.payload.CopyFrom(AnyMessage(type_url=draw(st.text(max_size=40)), value=raw))
    data = envelope.SerializeToString()
    if data and draw(st.booleans()):
        position = draw(st.integers(0, len(data) - 1))
        data = data[:position] + bytes([data[position] ^ 0xFF]) + data[position + 1 :]
    return f"twoins.v1.{subject_region}.{aggregate}.{event}", data


@settings(max_examples=500, deadline=None)
@given(subject=SUBJECTS, data=st.binary(max_size=2000))
def test_open_envelope_refuses_anything_malformed_with_a_reason(subject: str, data: bytes) -> None:
    try:
        envelope, payload = open_envelope(subject, data, REGIONS, verify=None)
    except EnvelopeError as error:
        reason = error.reason
    else:
        reason = ""
        assert envelope.origin_region in REGIONS
        assert payload is not None
    assert reason or subject.startswith("twoins.")


@pytest.fixture(scope="module")
def applier(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EventApplier]:
    database = Database(f"sqlite:///{Path(tmp_path_factory.mktemp('fuzz')) / 'node.db'}")
    database.upgrade()
    yield EventApplier(NodeStore(database), REGIONS, own_region="it-basilicata", verify=None)
    database.dispose()


@settings(
    max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    batch=st.lists(st.one_of(envelopes(), st.tuples(SUBJECTS, st.binary(max_size=500))), max_size=5)
)
def test_any_batch_of_events_is_applied_ignored_or_dead_lettered(
    applier: EventApplier, batch: list[tuple[str, bytes]]
) -> None:
    results = applier.apply_batch([(subject, data, {}) for subject, data in batch])
    assert len(results) == len(batch)
    for outcome, reason in results:
        assert outcome in ("applied", "duplicate", "stale", "dead_lettered")
        assert bool(reason) == (outcome == "dead_lettered")


@settings(max_examples=300, deadline=None)
@given(
    before=st.text(max_size=200),
    after=st.text(max_size=200),
    user=st.from_regex(r"[a-z]{1,10}(\.[a-z]{1,8})?", fullmatch=True),
    domain=st.from_regex(r"[a-z]{2,10}\.(it|gr|fr|es|mt|com|org)", fullmatch=True),
    # Numbers of the network's countries in the shapes people write them.
    phone=st.one_of(
        st.from_regex(r"\+39 3[1-9][0-9] [1-9][0-9]{2} [0-9]{4}", fullmatch=True),
        st.from_regex(r"\+30 69[0-9] [1-9][0-9]{2} [0-9]{4}", fullmatch=True),
        st.from_regex(r"\+33 [67] [1-9][0-9] [0-9]{2} [0-9]{2} [0-9]{2}", fullmatch=True),
        st.from_regex(r"\+34 6[0-9]{2} [1-9][0-9]{2} [0-9]{3}", fullmatch=True),
        st.from_regex(r"\+356 79[0-9]{2} [0-9]{4}", fullmatch=True),
    ),
    language=st.sampled_from(["", "it", "el", "fr", "es", "en", "mt"]),
)
def test_scrubbing_never_fails_and_removes_contacts(
    before: str, after: str, user: str, domain: str, phone: str, language: str
) -> None:
    email = f"{user}@{domain}"
    text = f"{before} {email} {after} {phone} "
    known = KnownIdentity(contacts=(KnownContact("Maria Santoro", email, phone),))
    scrubbed = scrub(text, known, language)
    assert isinstance(scrubbed, str)
    assert email not in scrubbed
    assert phone not in scrubbed
    assert "Maria Santoro" not in scrub(f"{before} Maria Santoro {after}", known, language)


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=2000), language=st.sampled_from(["", "it", "el", "fr", "es", "en"]))
def test_scrubbing_arbitrary_text_terminates_with_text(text: str, language: str) -> None:
    scrubbed = scrub(text, None, language)
    assert isinstance(scrubbed, str)


def test_every_event_type_is_fuzzed() -> None:
    assert {message.DESCRIPTOR.full_name for message in PAYLOAD_TYPES} == set(EVENT_TYPES)
    assert events_pb2.KnowledgeItemPublished in PAYLOAD_TYPES
