"""The network catalogue in memory: what searches and matching read, kept beside the tables.

The tables are the record (`catalogue.py`); this index is rebuilt from them at start and takes
the entries each applied batch wrote after its commit, so a search is a few set operations and
matching one matrix product. Needs, offers and knowledge items are one kind of entry each, on
shelves that search alike.
"""

from __future__ import annotations

import bisect
import dataclasses
import functools
import gc
import logging
import re
import sys
import threading
from array import array
from collections.abc import Collection, Iterable, Set
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np
import numpy.typing as npt

from twoins.common.allocator import release_free_memory
from twoins.node.domain.matching import EMBEDDING_DIMENSIONS as DIMENSIONS
from twoins.node.domain.matching import (
    SERVICES_FOR_NEED,
    NeedTraits,
    OfferTraits,
    needs_answered_by,
)
from twoins.node.domain.need import NeedType
from twoins.node.domain.search_terms import document_terms, query_alternatives
from twoins.node.domain.support import ServiceType
from twoins.node.store.catalogue_snapshot import SnapshotUnusable, read_snapshot, write_snapshot
from twoins.node.store.match_columns import MatchColumns, Vector
from twoins.node.store.pagination import PagePosition, PageRequest
from twoins.node.store.slots import Slots
from twoins.node.store.tables import CatalogueKnowledgeRow, CatalogueNeedRow, CatalogueOfferRow

if TYPE_CHECKING:  # the store's repositories build this module's entries
    from twoins.node.store.catalogue import CatalogueRepository
    from twoins.node.store.node_store import NodeStore

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class CatalogueFilter:
    query: str = ""
    types: tuple[str, ...] = ()
    nace_division: str = ""
    country: str = ""
    language: str = ""
    region: str = ""


@functools.lru_cache(maxsize=1024)
def _query_terms(query: str) -> tuple[frozenset[str], ...]:
    """Each query word's alternatives (`search_terms.query_alternatives`), kept for the
    queries asked again: saved searches test every new entry against theirs."""
    return tuple(query_alternatives(query))


def has_terms(query: str, terms: Collection[str]) -> bool:
    """Whether an entry with these terms is found by every word of the query."""
    return all(not alternatives.isdisjoint(terms) for alternatives in _query_terms(query))


@dataclass(frozen=True, slots=True)
class IndexedEntry:
    id: str
    origin_region: str
    kinds: frozenset[str]  # the need's type, or the offer's service types
    nace_divisions: frozenset[str]
    countries: frozenset[str]
    languages: frozenset[str]
    #: What search finds it by: its words and their stems (`search_terms.document_terms`);
    #: a tuple once the index holds the entry.
    words: frozenset[str] | tuple[str, ...]
    publish_time: datetime
    message: bytes
    #: The text embedding as read from the table; the index keeps it in its matching
    #: columns and drops it from the entry it holds.
    vector: npt.NDArray[np.float32] | None
    #: What matching compares, built once here rather than on every query; None for
    #: knowledge items, which are searched, not matched.
    traits: NeedTraits | OfferTraits | None

    @property
    def position(self) -> tuple[datetime, str]:
        return (self.publish_time, self.id)

    def __reduce__(self) -> tuple[type[IndexedEntry], tuple[object, ...]]:
        # Read back from the snapshot by the constructor: the generated state setter of a
        # frozen dataclass with slots took 40% longer for 100,000 entries.
        return IndexedEntry, tuple(getattr(self, name) for name in _ENTRY_FIELDS)


_ENTRY_FIELDS = tuple(entry_field.name for entry_field in dataclasses.fields(IndexedEntry))


def admits(wanted: CatalogueFilter, entry: IndexedEntry, *, words_checked: bool = False) -> bool:
    """Whether the entry passes every filter given (its words too, unless the caller found it
    by them): the one test of search and of saved searches."""
    return not (
        (not words_checked and not has_terms(wanted.query, entry.words))
        or (wanted.types and not entry.kinds & set(wanted.types))
        or (wanted.region and entry.origin_region != wanted.region)
        or (wanted.nace_division and wanted.nace_division not in entry.nace_divisions)
        or (wanted.country and wanted.country not in entry.countries)
        or (wanted.language and wanted.language not in entry.languages)
    )


@dataclass(frozen=True, slots=True)
class CatalogueChange:
    """An entry an event changed: its kind ("need", "offer" or "knowledge"), its id, what
    the index keeps of it now (None when the network no longer sees it) and the catalogue
    version of the change."""

    kind: str
    id: str
    entry: IndexedEntry | None
    version: int = 0


#: Below this many entries found by their words, a search sorts them; above it, it walks the
#: shelf newest first until the page is full, which stops early however many match.
_SORT_AT_MOST = 2_000


@dataclass
class _Shelf:
    """One kind of entry with its word index, its entries newest last and, for needs and
    offers, its matching columns."""

    entries: dict[str, IndexedEntry] = field(default_factory=dict)
    #: Each word's postings: the slots (`slots`) of the entries found by it. An array of
    #: 4-byte slots holds a posting in about a tenth of the memory a set of ids took, which
    #: was a third of the index's memory.
    by_word: dict[str, array[int]] = field(default_factory=dict)
    #: Each entry's slot in the postings.
    slots: Slots = field(default_factory=Slots)
    columns: MatchColumns | None = None
    #: Every entry's position, (publish time, id), in ascending order.
    order: list[tuple[datetime, str]] = field(default_factory=list)

    def put(self, entry: IndexedEntry | None, entry_id: str, *, in_order: bool = True) -> None:
        """Adds, replaces or (None) removes the entry. `in_order=False` leaves its position
        out of `order`, for a load that sorts every position once at its end."""
        old = self.entries.pop(entry_id, None)
        if old is not None:
            self._unpost(old.words, self.slots.take(entry_id))
            where = bisect.bisect_left(self.order, old.position)
            if where < len(self.order) and self.order[where] == old.position:
                del self.order[where]
        if entry is None:
            self.slots.release(entry_id)
            if self.columns is not None:
                self.columns.discard(entry_id)
            return
        if self.columns is not None and entry.traits is not None:
            self.columns.put(entry_id, **_match_values(entry), vector=entry.vector)
        # Kept as a tuple of the index's own word strings: a set per entry and a copy of each
        # word per entry cost more than the rest of the entry together.
        words = tuple(dict.fromkeys(sys.intern(word) for word in entry.words))  # each once
        self.entries[entry_id] = dataclasses.replace(entry, vector=None, words=words)
        slot = self.slots.take(entry_id)
        for word in words:
            postings = self.by_word.get(word)
            if postings is None:
                self.by_word[word] = array("I", (slot,))
            else:
                postings.append(slot)
        if in_order:
            bisect.insort(self.order, entry.position)

    def _unpost(self, words: Iterable[str], slot: int) -> None:
        for word in words:
            postings = self.by_word[word]
            postings.remove(slot)
            if not postings:
                del self.by_word[word]

    def sort(self) -> None:
        self.order = sorted(entry.position for entry in self.entries.values())

    def search(
        self, wanted: CatalogueFilter, page: PageRequest
    ) -> tuple[list[IndexedEntry], PagePosition | None, bool]:
        found = self._found_by_words(wanted.query)
        if found is not None:
            # The postings found every entry with one query word; the others are checked
            # on the entry's own words.
            checked = len(_query_terms(wanted.query)) == 1
            chosen = [
                entry
                for entry in map(self.entries.__getitem__, found)
                if admits(wanted, entry, words_checked=checked)
                and (page.after is None or entry.position < (page.after.create_time, page.after.id))
            ]
            chosen.sort(key=lambda entry: entry.position, reverse=True)
        else:
            chosen = self._walk(wanted, page)
        shown = chosen[: page.size]
        last = PagePosition(*shown[-1].position) if shown else None
        return shown, last, len(chosen) > page.size

    def _found_by_words(self, query: str) -> Set[str] | None:
        """The ids of the entries found by the query's rarest word (one of its alternatives),
        when that is few enough to sort; None without words, or when a walk of the shelf
        will find a page sooner."""
        alternatives = _query_terms(query)
        if not alternatives:
            return None
        per_word = [
            [self.by_word[term] for term in terms if term in self.by_word] for terms in alternatives
        ]
        fewest = min(per_word, key=lambda postings: sum(map(len, postings)))
        if sum(map(len, fewest)) > _SORT_AT_MOST:
            return None
        ids = self.slots.ids
        return {ids[slot] for postings in fewest for slot in postings}  # type: ignore[misc]

    def _walk(self, wanted: CatalogueFilter, page: PageRequest) -> list[IndexedEntry]:
        """Up to one more than a page of admitted entries, newest first, from the page's
        position."""
        end = len(self.order)
        if page.after is not None:
            end = bisect.bisect_left(self.order, (page.after.create_time, page.after.id))
        chosen: list[IndexedEntry] = []
        for index in range(end - 1, -1, -1):
            entry = self.entries[self.order[index][1]]
            if admits(wanted, entry):
                chosen.append(entry)
                if len(chosen) > page.size:
                    break
        return chosen


def _match_values(entry: IndexedEntry) -> dict[str, frozenset[str]]:
    """What the matching columns keep of an entry: its criteria's values."""
    return {
        "sectors": entry.nace_divisions,
        "countries": entry.countries,
        "languages": entry.languages,
        "kinds": entry.kinds,
    }


def _answering_kinds(entry: IndexedEntry) -> frozenset[str]:
    """The kinds of entry on the other shelf that answer this one: the services a need
    calls for, or the needs an offer's services answer."""
    if isinstance(entry.traits, NeedTraits):
        return frozenset(service.name for service in SERVICES_FOR_NEED.get(entry.traits.type, ()))
    if isinstance(entry.traits, OfferTraits):
        return frozenset(kind.name for kind in needs_answered_by(entry.traits.service_types))
    return frozenset()


def embedding_vector(data: bytes) -> npt.NDArray[np.float32] | None:
    """A text embedding as published (float32 bytes) as a vector; None when it is not one."""
    if len(data) != DIMENSIONS * 4:
        return None
    return np.frombuffer(data, dtype=np.float32)


#: One instance of each distinct small set of codes (sectors, countries, languages, kinds):
#: thousands of entries share a few hundred combinations. Bounded, in case of a flood.
_SHARED_SETS: dict[frozenset[Any], frozenset[Any]] = {}
_SHARED_AT_MOST = 50_000
T = TypeVar("T")


def _shared(values: Iterable[T]) -> frozenset[T]:
    found = frozenset(values)
    kept = _SHARED_SETS.get(found)
    if kept is not None:
        return kept
    if len(_SHARED_SETS) < _SHARED_AT_MOST:
        _SHARED_SETS[found] = found
    return found


def need_entry(row: CatalogueNeedRow) -> IndexedEntry:
    nace, countries, languages = (
        _shared(row.nace_divisions),
        _shared(row.target_countries),
        _shared(row.languages),
    )
    return IndexedEntry(
        row.need_id,
        row.origin_region,
        _shared((row.type,)),
        nace,
        countries,
        languages,
        document_terms(row.search_text, languages),
        row.publish_time,
        row.message,
        embedding_vector(row.embedding),
        NeedTraits(row.need_id, NeedType[row.type], nace, countries, languages),
    )


def offer_entry(row: CatalogueOfferRow) -> IndexedEntry:
    nace, countries, languages = (
        _shared(row.nace_divisions),
        _shared(row.countries),
        _shared(row.languages),
    )
    services = _shared(ServiceType[name] for name in row.service_types)
    return IndexedEntry(
        row.offer_id,
        row.origin_region,
        _shared(row.service_types),
        nace,
        countries,
        languages,
        document_terms(row.search_text, languages),
        row.publish_time,
        row.message,
        embedding_vector(row.embedding),
        OfferTraits(row.offer_id, services, nace, countries, languages),
    )


#: Earlier releases wrote each language into a knowledge item's search text as `lang:<code>`.
_LANGUAGE_TOKEN = re.compile(r"\blang:\w+")


def knowledge_entry(row: CatalogueKnowledgeRow) -> IndexedEntry:
    return IndexedEntry(
        row.id,
        row.origin_region,
        frozenset({row.kind}),
        frozenset(),
        frozenset(),
        frozenset(row.languages),
        document_terms(_LANGUAGE_TOKEN.sub(" ", row.search_text), row.languages),
        row.create_time,
        row.message,
        None,
        None,
    )


class CatalogueIndex:
    """Thread-safe: the bus thread refreshes it while gRPC threads read it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._shelves = _empty_shelves()
        #: The catalogue version of the newest change the index holds.
        self._version = 0

    @property
    def _needs(self) -> _Shelf:
        return self._shelves["need"]

    @property
    def _offers(self) -> _Shelf:
        return self._shelves["offer"]

    def load(self, store: NodeStore, snapshot: Path | None = None) -> str:
        """Fills the index from the tables, or from the `snapshot` file and the entries
        changed since it was written when it fits (`catalogue_snapshot`); says which."""
        # Hundreds of thousands of objects are made and all stay: the collector would scan
        # them again and again while they are made (seconds at 100,000 entries per kind).
        collecting = gc.isenabled()
        gc.disable()
        try:
            source = self._load(store, snapshot)
        finally:
            # The index lives as long as the process: moved out of the collector's reach, it
            # no longer makes every full collection (triggered by a query's allocations) scan
            # tens of thousands of objects, which tripled matching's p95 at 10,000 entries.
            gc.freeze()
            if collecting:
                gc.enable()
        # What the load read and dropped (rows, texts, messages) goes back to the system.
        release_free_memory()
        return source

    def _load(self, store: NodeStore, snapshot: Path | None) -> str:
        shelves, version, source = None, 0, "tables"
        if snapshot is not None:
            try:
                shelves, version = self._from_snapshot(store, snapshot)
                source = "snapshot"
            except SnapshotUnusable as reason:
                logger.info(
                    "catalogue index rebuilt from the tables: the snapshot is not used",
                    extra={"snapshot": str(snapshot), "reason": str(reason)},
                )
        if shelves is None:
            shelves, version = _from_tables(store)
        with self._lock:
            self._shelves, self._version = shelves, version
        return source

    def save(self, snapshot: Path) -> int:
        """Writes the index and the catalogue version it holds to `snapshot`, for the next
        start (`load`); the bytes written. Searches wait while it writes."""
        with self._lock:
            matrices = [columns.vectors for columns in _matched_columns(self._shelves)]
            return write_snapshot(snapshot, self._version, self._shelves, matrices)

    @staticmethod
    def _from_snapshot(store: NodeStore, snapshot: Path) -> tuple[dict[str, _Shelf], int]:
        version, shelves, matrices = read_snapshot(snapshot)
        if not isinstance(shelves, dict) or set(shelves) != set(_empty_shelves()):
            raise SnapshotUnusable("not a catalogue snapshot")
        columns = _matched_columns(shelves)
        if len(matrices) != len(columns):
            raise SnapshotUnusable("not a catalogue snapshot")
        for kept, matrix in zip(columns, matrices, strict=True):
            try:
                kept.take_vectors(matrix)
            except ValueError as error:
                raise SnapshotUnusable(f"not a catalogue snapshot ({error})") from None
        with store.read() as repositories:
            catalogue = repositories.catalogue
            current = catalogue.version()
            if version > current:
                raise SnapshotUnusable(
                    f"it holds catalogue version {version}, newer than the database's {current}"
                )
            for change in catalogue.changed_since(version):
                shelves[change.kind].put(change.entry, change.id)
            _check_counts(shelves, catalogue)
        for shelf in shelves.values():
            for word in list(shelf.by_word):
                sys.intern(word)  # the words of entries added later are these strings
        return shelves, current

    def catch_up(self, store: NodeStore) -> int:
        """Takes the entries changed since the catalogue version the index holds, from the
        tables: how a process that does not apply the network's events itself (a node's
        other serving processes) follows the catalogue. Returns how many it took."""
        with store.read() as repositories:
            catalogue = repositories.catalogue
            current = catalogue.version()
            with self._lock:
                held = self._version
            if current <= held:
                return 0
            changes = list(catalogue.changed_since(held))
        with self._lock:
            for change in changes:
                self._shelves[change.kind].put(change.entry, change.id)
            self._version = max(self._version, current)
        return len(changes)

    def apply(self, changes: Iterable[CatalogueChange]) -> None:
        """Takes the entries a committed transaction wrote, in the order it wrote them."""
        with self._lock:
            for change in changes:
                self._shelves[change.kind].put(change.entry, change.id)
                self._version = max(self._version, change.version)

    def search_needs(
        self, wanted: CatalogueFilter, page: PageRequest
    ) -> tuple[list[IndexedEntry], PagePosition | None, bool]:
        with self._lock:
            return self._needs.search(wanted, page)

    def search_offers(
        self, wanted: CatalogueFilter, page: PageRequest
    ) -> tuple[list[IndexedEntry], PagePosition | None, bool]:
        with self._lock:
            return self._offers.search(wanted, page)

    def search_knowledge(
        self, wanted: CatalogueFilter, page: PageRequest
    ) -> tuple[list[IndexedEntry], PagePosition | None, bool]:
        with self._lock:
            return self._shelves["knowledge"].search(wanted, page)

    def related_needs(
        self, vector: Vector, wanted: CatalogueFilter, count: int
    ) -> list[IndexedEntry]:
        """Needs close in meaning to a query (`vector`, its embedding) that its words do not
        find, passing the other filters, closest first (`related`)."""
        with self._lock:
            return _related(self._needs, vector, wanted, count)

    def related_offers(
        self, vector: Vector, wanted: CatalogueFilter, count: int
    ) -> list[IndexedEntry]:
        with self._lock:
            return _related(self._offers, vector, wanted, count)

    def need(self, need_id: str) -> IndexedEntry | None:
        with self._lock:
            return self._needs.entries.get(need_id)

    def offer(self, offer_id: str) -> IndexedEntry | None:
        with self._lock:
            return self._offers.entries.get(offer_id)

    def offers_for(
        self, need: IndexedEntry, vector: Vector | None, count: int
    ) -> list[tuple[IndexedEntry, float | None]]:
        """The `count` offers with the best quick score for the need, whose text embedding is
        `vector`, best first, each with the similarity of their texts as the matching columns
        know it (`MatchColumns.shortlist`; None when either has no embedding)."""
        return self._shortlist(self._offers, need, vector, count)

    def needs_for(
        self, offer: IndexedEntry, vector: Vector | None, count: int
    ) -> list[tuple[IndexedEntry, float | None]]:
        """The `count` needs with the best quick score for the offer, best first."""
        return self._shortlist(self._needs, offer, vector, count)

    def _shortlist(
        self, other: _Shelf, entry: IndexedEntry, vector: Vector | None, count: int
    ) -> list[tuple[IndexedEntry, float | None]]:
        with self._lock:
            assert other.columns is not None
            found = other.columns.shortlist(
                **{**_match_values(entry), "kinds": _answering_kinds(entry)},
                vector=vector,
                count=count,
            )
            return [(other.entries[entry_id], cosine) for entry_id, cosine in found]


#: How many of the closest entries a related search looks at before its filters.
_RELATED_CANDIDATES = 200
#: The least cosine of a query ("query: " side) and an entry ("passage: " side) that is called
#: related: chosen on the tuning half of the evaluation set (`tests/data/search-queries.jsonl`,
#: `bench_matching_quality.py`): the highest value that keeps the best recall@10 there.
RELATED_MIN_COSINE = 0.79


def _related(
    shelf: _Shelf, vector: Vector, wanted: CatalogueFilter, count: int
) -> list[IndexedEntry]:
    if shelf.columns is None or not wanted.query:
        return []
    words_free = dataclasses.replace(wanted, query="")
    found: list[IndexedEntry] = []
    for entry_id, cosine in shelf.columns.nearest(vector, _RELATED_CANDIDATES):
        if cosine < RELATED_MIN_COSINE or len(found) == count:
            break
        entry = shelf.entries.get(entry_id)
        if (
            entry is not None
            and admits(words_free, entry)
            and not has_terms(wanted.query, entry.words)
        ):
            found.append(entry)
    return found


def _from_tables(store: NodeStore) -> tuple[dict[str, _Shelf], int]:
    """Every visible entry read from the tables, and the catalogue version they are at."""
    shelves = _empty_shelves()
    with store.read() as repositories:
        version = repositories.catalogue.version()
        for change in repositories.catalogue.visible():
            shelves[change.kind].put(change.entry, change.id, in_order=False)
    for shelf in shelves.values():
        shelf.sort()
        if shelf.columns is not None:
            shelf.columns.compact()
    return shelves, version


def _matched_columns(shelves: dict[str, _Shelf]) -> list[MatchColumns]:
    """The shelves' matching columns, in the order a snapshot keeps their matrices."""
    return [shelf.columns for _kind, shelf in sorted(shelves.items()) if shelf.columns is not None]


def _check_counts(shelves: dict[str, _Shelf], catalogue: CatalogueRepository) -> None:
    for kind, count in catalogue.visible_counts().items():
        if len(shelves[kind].entries) != count:
            raise SnapshotUnusable(
                f"it holds {len(shelves[kind].entries)} entries of kind {kind} "
                f"where the tables hold {count}"
            )


def _empty_shelves() -> dict[str, _Shelf]:
    return {
        "need": _Shelf(columns=MatchColumns()),
        "offer": _Shelf(columns=MatchColumns()),
        "knowledge": _Shelf(),
    }
