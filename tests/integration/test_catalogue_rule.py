"""One rule for every shelf of the network catalogue (needs, offers, knowledge items): the
origin owns its entries, the newest event wins, an end is a tombstone that an older
publication cannot undo, a newer publication republishes. The index kept from the applied
values after commit equals the index rebuilt from the tables."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from google.protobuf.message import Message

from twoins.common.envelope import subject_for, wrap
from twoins.node.bus.apply import EventApplier
from twoins.node.store.catalogue_index import CatalogueChange, CatalogueFilter, CatalogueIndex
from twoins.node.store.database import Database
from twoins.node.store.node_store import NodeStore
from twoins.node.store.pagination import PageRequest
from twoins.v1 import common_pb2, events_pb2, expert_offer_pb2, knowledge_pb2, need_pb2

ORIGIN, OTHER = "it-basilicata", "gr-attica"
T0 = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
EVERYTHING = PageRequest(size=100, after=None, filter_key="")


def _need(entry_id: str, title: str) -> Message:
    return events_pb2.NeedPublished(
        need=need_pb2.AnonymisedNeed(
            need_id=entry_id,
            origin_region=ORIGIN,
            type=need_pb2.NEED_TYPE_TECHNOLOGY,
            title=title,
        )
    )


def _offer(entry_id: str, title: str) -> Message:
    return events_pb2.ExpertOfferPublished(
        offer=expert_offer_pb2.PublicExpertOffer(
            offer_id=entry_id,
            origin_region=ORIGIN,
            title=title,
            service_types=[common_pb2.SERVICE_TYPE_CONSULTING],
        )
    )


def _item(entry_id: str, title: str) -> Message:
    return events_pb2.KnowledgeItemPublished(
        item=knowledge_pb2.PublicKnowledgeItem(
            item_id=entry_id,
            origin_region=ORIGIN,
            kind=knowledge_pb2.KNOWLEDGE_KIND_METHOD,
            title=title,
            languages=["en"],
        )
    )


KINDS: dict[str, tuple[Callable[[str, str], Message], Callable[[str], Message]]] = {
    "need": (
        _need,
        lambda entry_id: events_pb2.NeedRemoved(
            need_id=entry_id, final_state=need_pb2.NEED_STATE_WITHDRAWN
        ),
    ),
    "offer": (_offer, lambda entry_id: events_pb2.ExpertOfferWithdrawn(offer_id=entry_id)),
    "knowledge": (_item, lambda entry_id: events_pb2.KnowledgeItemWithdrawn(item_id=entry_id)),
}


class Shelves:
    """An applier feeding an index from its changes, over a fresh database."""

    def __init__(self, tmp_path: Path, database_url: str = "") -> None:
        database = Database(database_url or f"sqlite:///{tmp_path / 'node.db'}")
        database.upgrade()
        self.store = NodeStore(database)
        self.index = CatalogueIndex()
        #: The newest change recorded of each entry, as the applier handed it to the index.
        self.recorded: dict[str, CatalogueChange] = {}
        self.applier = EventApplier(
            self.store, frozenset({ORIGIN, OTHER}), on_change=self._on_change, verify=None
        )

    def _on_change(self, changes: list[CatalogueChange]) -> None:
        self.recorded.update((change.id, change) for change in changes)
        self.index.apply(changes)

    def stored(self) -> dict[str, CatalogueChange]:
        """Every entry as its row now reads back from the tables."""
        with self.store.read() as repositories:
            return {change.id: change for change in repositories.catalogue.changed_since(0)}

    def send(self, payload: Message, seconds: int, region: str = ORIGIN) -> str:
        envelope = wrap(payload, region, T0 + timedelta(seconds=seconds))
        outcome, _reason = self.applier.apply(
            subject_for(region, payload), envelope.SerializeToString()
        )
        return outcome

    def titles(self, kind: str, index: CatalogueIndex | None = None) -> list[str]:
        searched = index or self.index
        search = {
            "need": searched.search_needs,
            "offer": searched.search_offers,
            "knowledge": searched.search_knowledge,
        }[kind]
        entries, _last, _more = search(CatalogueFilter(), EVERYTHING)
        title: dict[str, Callable[[bytes], str]] = {
            "need": lambda data: need_pb2.AnonymisedNeed.FromString(data).title,
            "offer": lambda data: expert_offer_pb2.PublicExpertOffer.FromString(data).title,
            "knowledge": lambda data: knowledge_pb2.PublicKnowledgeItem.FromString(data).title,
        }
        return [title[kind](entry.message) for entry in entries]

    def rebuilt_titles(self, kind: str) -> list[str]:
        rebuilt = CatalogueIndex()
        rebuilt.load(self.store)
        return self.titles(kind, rebuilt)


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_the_newest_event_wins_and_an_end_is_a_tombstone(tmp_path: Path, kind: str) -> None:
    publish, end = KINDS[kind]
    shelves = Shelves(tmp_path)
    entry_id = str(uuid.uuid4())
    assert shelves.send(publish(entry_id, "first words"), 0) == "applied"
    assert shelves.send(publish(entry_id, "second words"), 2) == "applied"
    assert shelves.send(publish(entry_id, "older words"), 1) == "stale"
    assert shelves.titles(kind) == ["second words"]
    assert shelves.send(end(entry_id), 3) == "applied"
    assert shelves.titles(kind) == []
    # A publication older than the end, arriving late, cannot bring it back.
    assert shelves.send(publish(entry_id, "late words"), 2) == "stale"
    assert shelves.titles(kind) == [] == shelves.rebuilt_titles(kind)
    # A newer publication republishes.
    assert shelves.send(publish(entry_id, "again words"), 4) == "applied"
    assert shelves.titles(kind) == ["again words"] == shelves.rebuilt_titles(kind)


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_an_end_before_its_publication_keeps_it_out(tmp_path: Path, kind: str) -> None:
    publish, end = KINDS[kind]
    shelves = Shelves(tmp_path)
    entry_id = str(uuid.uuid4())
    assert shelves.send(end(entry_id), 5) == "applied"
    assert shelves.send(publish(entry_id, "words"), 1) == "stale"
    assert shelves.titles(kind) == [] == shelves.rebuilt_titles(kind)


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_another_region_cannot_end_an_entry(tmp_path: Path, kind: str) -> None:
    publish, end = KINDS[kind]
    shelves = Shelves(tmp_path)
    entry_id = str(uuid.uuid4())
    assert shelves.send(publish(entry_id, "words"), 0) == "applied"
    assert shelves.send(end(entry_id), 9, region=OTHER) == "stale"
    assert shelves.titles(kind) == ["words"] == shelves.rebuilt_titles(kind)


def test_knowledge_search_finds_whole_words_by_kind_and_language(tmp_path: Path) -> None:
    shelves = Shelves(tmp_path)
    shelves.send(_item(str(uuid.uuid4()), "Scouting olive oil distributors"), 0)
    found, _last, _more = shelves.index.search_knowledge(
        CatalogueFilter(query="OLIVE distributors", language="en"), EVERYTHING
    )
    assert len(found) == 1
    for wanted in (
        CatalogueFilter(query="olive", language="it"),
        CatalogueFilter(query="olive", types=("CASE_STUDY",)),
        CatalogueFilter(query="lang"),
        CatalogueFilter(query="olive", region=OTHER),
    ):
        assert shelves.index.search_knowledge(wanted, EVERYTHING)[0] == []


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_each_recorded_change_is_the_entry_as_stored(
    tmp_path: Path, backend: str, request: pytest.FixtureRequest
) -> None:
    """The applier writes catalogue rows with Core statements and records each change from
    the columns it wrote: after every event, what it recorded equals the row read back."""
    url = request.getfixturevalue("postgres_url") if backend == "postgresql" else ""
    shelves = Shelves(tmp_path, url)
    need_id, offer_id, item_id, early_id = (str(uuid.uuid4()) for _ in range(4))
    steps: list[tuple[Message, int]] = [
        (_need(need_id, "first need words"), 0),
        (_offer(offer_id, "offer words"), 1),
        (_item(item_id, "item words"), 2),
        (events_pb2.NeedMatched(need_id=need_id), 3),
        (_need(need_id, "matched need republished"), 4),
        (KINDS["offer"][1](offer_id), 5),
        (_offer(offer_id, "offer words again"), 6),
        (KINDS["knowledge"][1](item_id), 7),
        (KINDS["need"][1](early_id), 8),
        (events_pb2.NeedRemoved(need_id=need_id, final_state=need_pb2.NEED_STATE_CLOSED), 9),
    ]
    for payload, seconds in steps:
        assert shelves.send(payload, seconds) == "applied"
        assert shelves.recorded == shelves.stored()
    versions = [change.version for change in shelves.recorded.values()]
    assert len(set(versions)) == len(versions), "each transaction raises the version once"
