"""Events applied in any order, any number of times, leave the catalogue in the right state."""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from twoins.common.envelope import wrap
from twoins.common.signing import SigningError
from twoins.node.bus.apply import EventApplier
from twoins.node.store.database import Database
from twoins.node.store.node_store import NodeStore
from twoins.node.store.tables import CatalogueNeedRow, DeadLetterRow, InboxRow
from twoins.v1 import events_pb2, need_pb2

REGION = "it-basilicata"
T0 = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


def history(need_id: str) -> list[tuple[str, bytes]]:
    """Published, matched, then closed: three events a second apart."""
    published = events_pb2.NeedPublished(
        need=need_pb2.AnonymisedNeed(
            need_id=need_id,
            origin_region=REGION,
            type=need_pb2.NEED_TYPE_TECHNOLOGY,
            title="Solar desalination for hotels",
        )
    )
    matched = events_pb2.NeedMatched(need_id=need_id)
    closed = events_pb2.NeedRemoved(need_id=need_id, final_state=need_pb2.NEED_STATE_CLOSED)
    return [
        (
            f"twoins.v1.{REGION}.need.{event}",
            wrap(payload, REGION, T0 + timedelta(seconds=index)).SerializeToString(),
        )
        for index, (event, payload) in enumerate(
            (("published", published), ("matched", matched), ("removed", closed))
        )
    ]


@pytest.fixture
def store(tmp_path: Path) -> NodeStore:
    database = Database(f"sqlite:///{tmp_path / 'node.db'}")
    database.upgrade()
    return NodeStore(database)


@pytest.mark.parametrize("order", list(itertools.permutations(range(3))))
def test_any_order_with_duplicates_ends_closed(store: NodeStore, order: tuple[int, ...]) -> None:
    need_id = str(uuid.uuid4())
    events = history(need_id)
    applier = EventApplier(store, frozenset({REGION}), verify=None)
    delivered = [events[index] for index in order] + [events[order[0]], events[order[-1]]]
    outcomes = [applier.apply(subject, data)[0] for subject, data in delivered]
    assert outcomes.count("duplicate") == 2
    with store.read() as repositories:
        row = repositories.session.get(CatalogueNeedRow, need_id)
        assert row is not None
        assert row.state == "CLOSED"
        assert repositories.inbox.count() == 3


def test_a_batch_with_a_bad_event_keeps_the_good_ones(store: NodeStore) -> None:
    need_id = str(uuid.uuid4())
    published, matched, _closed = history(need_id)
    applier = EventApplier(store, frozenset({REGION}), verify=None)
    batch = [published, (published[0], b"\x00garbage"), matched, published]
    results = applier.apply_batch([(subject, data, {}) for subject, data in batch])
    assert [outcome for outcome, _reason in results] == [
        "applied",
        "dead_lettered",
        "applied",
        "duplicate",
    ]
    with store.read() as repositories:
        row = repositories.session.get(CatalogueNeedRow, need_id)
        assert row is not None
        assert row.state == "MATCHED"
        assert repositories.dead_letters.counts() == {"UNDECODABLE": 1}


def test_an_event_under_a_key_not_yet_known_is_deferred_then_dead_lettered(
    store: NodeStore,
) -> None:
    """While the caller allows it, an event whose key the ring does not list comes back
    deferred and nothing is written; on its last delivery it is set aside with its reason.
    Other refusals are never deferred."""

    def unknown_key(_region: str, _data: bytes, _headers: Mapping[str, str]) -> str:
        raise SigningError("UNKNOWN_KEY", "key 'x' is not in the network key ring")

    applier = EventApplier(store, frozenset({REGION}), verify=unknown_key)
    subject, data = history(str(uuid.uuid4()))[0]
    garbled = (subject, b"\x00not an envelope")
    assert applier.apply_batch([(subject, data, {}), (*garbled, {})], [True, True]) == [
        ("deferred", "UNKNOWN_KEY"),
        ("dead_lettered", "UNDECODABLE"),
    ]
    with store.database.reading() as session:
        assert session.query(DeadLetterRow).count() == 1
        assert session.query(InboxRow).count() == 0
    assert applier.apply_batch([(subject, data, {})], [False]) == [("dead_lettered", "UNKNOWN_KEY")]
    with pytest.raises(ValueError, match="one entry per event"):
        applier.apply_batch([(subject, data, {})], [])
