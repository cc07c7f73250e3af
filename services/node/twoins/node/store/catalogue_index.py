"""The network catalogue in memory: what searches and matching read, kept beside the tables.

The tables are the record (`catalogue.py`); this index is rebuilt from them at start and takes
the entries each applied batch wrote after its commit, so a search is a few set operations and
matching one matrix product. Needs, offers and knowledge items are one kind of entry each, on
shelves that search alike.
"""

from __future__ import annotations

import gc
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from twoins.node.domain.matching import EMBEDDING_DIMENSIONS as DIMENSIONS
from twoins.node.domain.matching import NeedTraits, OfferTraits
from twoins.node.domain.need import NeedType
from twoins.node.domain.support import ServiceType
from twoins.node.store.pagination import PagePosition, PageRequest
from twoins.node.store.tables import CatalogueKnowledgeRow, CatalogueNeedRow, CatalogueOfferRow

if TYPE_CHECKING:  # the store's repositories build this module's entries
    from twoins.node.store.node_store import NodeStore


@dataclass(frozen=True, slots=True)
class CatalogueFilter:
    query: str = ""
    types: tuple[str, ...] = ()
    nace_division: str = ""
    country: str = ""
    language: str = ""
    region: str = ""


_WORD = re.compile(r"\w+")


def words_of(text: str) -> set[str]:
    return {word for word in _WORD.findall(text.casefold()) if len(word) > 1}


@dataclass(frozen=True, slots=True)
class IndexedEntry:
    id: str
    origin_region: str
    kinds: frozenset[str]  # the need's type, or the offer's service types
    nace_divisions: frozenset[str]
    countries: frozenset[str]
    languages: frozenset[str]
    words: frozenset[str]
    publish_time: datetime
    message: bytes
    vector: npt.NDArray[np.float32] | None
    #: What matching compares, built once here rather than on every query; None for
    #: knowledge items, which are searched, not matched.
    traits: NeedTraits | OfferTraits | None

    @property
    def position(self) -> tuple[datetime, str]:
        return (self.publish_time, self.id)


def admits(wanted: CatalogueFilter, entry: IndexedEntry, *, words_checked: bool = False) -> bool:
    """Whether the entry passes every filter given (its words too, unless the caller found it
    by them): the one test of search and of saved searches."""
    return not (
        (not words_checked and not words_of(wanted.query) <= entry.words)
        or (wanted.types and not entry.kinds & set(wanted.types))
        or (wanted.region and entry.origin_region != wanted.region)
        or (wanted.nace_division and wanted.nace_division not in entry.nace_divisions)
        or (wanted.country and wanted.country not in entry.countries)
        or (wanted.language and wanted.language not in entry.languages)
    )


@dataclass(frozen=True, slots=True)
class CatalogueChange:
    """An entry an event changed: its kind ("need", "offer" or "knowledge"), its id and what
    the index keeps of it now (None when the network no longer sees it)."""

    kind: str
    id: str
    entry: IndexedEntry | None


@dataclass
class _Shelf:
    """One kind of entry (needs or offers) with its word index and embedding matrix."""

    entries: dict[str, IndexedEntry] = field(default_factory=dict)
    by_word: dict[str, set[str]] = field(default_factory=dict)
    _matrix: tuple[list[str], npt.NDArray[np.float32]] | None = None

    def put(self, entry: IndexedEntry | None, entry_id: str) -> None:
        old = self.entries.pop(entry_id, None)
        if old is not None:
            for word in old.words:
                self.by_word.get(word, set()).discard(entry_id)
        if entry is not None:
            self.entries[entry_id] = entry
            for word in entry.words:
                self.by_word.setdefault(word, set()).add(entry_id)
        self._matrix = None

    def search(
        self, wanted: CatalogueFilter, page: PageRequest
    ) -> tuple[list[IndexedEntry], PagePosition | None, bool]:
        candidates: Iterable[str]
        query_words = words_of(wanted.query)
        if query_words:
            sets = sorted((self.by_word.get(word, set()) for word in query_words), key=len)
            candidates = set.intersection(*sets) if sets else set()
        else:
            candidates = self.entries.keys()
        chosen = []
        for entry_id in candidates:
            entry = self.entries[entry_id]
            if not admits(wanted, entry, words_checked=True):
                continue
            if page.after is not None and entry.position >= (page.after.create_time, page.after.id):
                continue
            chosen.append(entry)
        chosen.sort(key=lambda entry: entry.position, reverse=True)
        shown = chosen[: page.size]
        last = PagePosition(*shown[-1].position) if shown else None
        return shown, last, len(chosen) > page.size

    def cosines(self, vector: npt.NDArray[np.float32] | None) -> dict[str, float]:
        if vector is None:
            return {}
        if self._matrix is None:
            rows = [
                (entry_id, entry.vector)
                for entry_id, entry in self.entries.items()
                if entry.vector is not None
            ]
            ids = [entry_id for entry_id, _vector in rows]
            matrix = (
                np.stack([vector for _id, vector in rows])
                if rows
                else np.zeros((0, DIMENSIONS), dtype=np.float32)
            )
            self._matrix = (ids, matrix)
        ids, matrix = self._matrix
        if not ids:
            return {}
        return dict(zip(ids, (matrix @ vector).tolist(), strict=True))


def _vector(data: bytes) -> npt.NDArray[np.float32] | None:
    if len(data) != DIMENSIONS * 4:
        return None
    return np.frombuffer(data, dtype=np.float32)


def need_entry(row: CatalogueNeedRow) -> IndexedEntry:
    nace, countries, languages = (
        frozenset(row.nace_divisions),
        frozenset(row.target_countries),
        frozenset(row.languages),
    )
    return IndexedEntry(
        row.need_id,
        row.origin_region,
        frozenset({row.type}),
        nace,
        countries,
        languages,
        frozenset(words_of(row.search_text)),
        row.publish_time,
        row.message,
        _vector(row.embedding),
        NeedTraits(row.need_id, NeedType[row.type], nace, countries, languages),
    )


def offer_entry(row: CatalogueOfferRow) -> IndexedEntry:
    nace, countries, languages = (
        frozenset(row.nace_divisions),
        frozenset(row.countries),
        frozenset(row.languages),
    )
    services = frozenset(ServiceType[name] for name in row.service_types)
    return IndexedEntry(
        row.offer_id,
        row.origin_region,
        frozenset(row.service_types),
        nace,
        countries,
        languages,
        frozenset(words_of(row.search_text)),
        row.publish_time,
        row.message,
        _vector(row.embedding),
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
        frozenset(words_of(_LANGUAGE_TOKEN.sub(" ", row.search_text))),
        row.create_time,
        row.message,
        None,
        None,
    )


class CatalogueIndex:
    """Thread-safe: the bus thread refreshes it while gRPC threads read it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._shelves = {"need": _Shelf(), "offer": _Shelf(), "knowledge": _Shelf()}

    @property
    def _needs(self) -> _Shelf:
        return self._shelves["need"]

    @property
    def _offers(self) -> _Shelf:
        return self._shelves["offer"]

    def load(self, store: NodeStore) -> None:
        with store.read() as repositories:
            visible = repositories.catalogue.visible()
        shelves = {kind: _Shelf() for kind in self._shelves}
        for change in visible:
            shelves[change.kind].put(change.entry, change.id)
        with self._lock:
            self._shelves = shelves
        # The index lives as long as the process: moved out of the collector's reach, it no
        # longer makes every full collection (triggered by a query's allocations) scan tens of
        # thousands of objects, which tripled matching's p95 at 10,000 entries.
        gc.freeze()

    def apply(self, changes: Iterable[CatalogueChange]) -> None:
        """Takes the entries a committed transaction wrote, in the order it wrote them."""
        with self._lock:
            for change in changes:
                self._shelves[change.kind].put(change.entry, change.id)

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

    def need(self, need_id: str) -> IndexedEntry | None:
        with self._lock:
            return self._needs.entries.get(need_id)

    def offer(self, offer_id: str) -> IndexedEntry | None:
        with self._lock:
            return self._offers.entries.get(offer_id)

    def offers_with_cosines(
        self, vector: npt.NDArray[np.float32] | None
    ) -> list[tuple[IndexedEntry, float | None]]:
        with self._lock:
            cosines = self._offers.cosines(vector)
            return [(entry, cosines.get(entry.id)) for entry in self._offers.entries.values()]

    def needs_with_cosines(
        self, vector: npt.NDArray[np.float32] | None
    ) -> list[tuple[IndexedEntry, float | None]]:
        with self._lock:
            cosines = self._needs.cosines(vector)
            return [(entry, cosines.get(entry.id)) for entry in self._needs.entries.values()]
