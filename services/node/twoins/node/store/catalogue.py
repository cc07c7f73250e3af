"""The network catalogue's record: every region's published needs, expert offers and knowledge
items as the events brought them, one shelf per kind under one rule.

The rule, the same for every kind:

- an entry belongs to its origin region: an event about it from another region changes nothing;
- the newest event wins: an event older (by its occur time) than the last one applied to the
  entry changes nothing, so events may arrive in any order and any number of times;
- an end (a need closed, withdrawn or expired; an offer or a knowledge item withdrawn) is kept
  as a tombstone with its time and without its content (text, words, embedding), so a
  publication older than the end, arriving late, cannot bring the entry back; an end that
  arrives before its entry's publication leaves a tombstone too;
- a publication newer than the end publishes the entry again. Whether an entry may be published
  again at all is its origin's rule: needs and offers may be republished after a withdrawal,
  knowledge items may not (their domain), so no such event is ever sent for them.

Every change is recorded as the entry the in-memory index keeps (None when no longer visible),
built from the values just written; the index takes them after commit without reading again.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from types import SimpleNamespace
from typing import Any, cast

from sqlalchemy import Table, func, select, update
from sqlalchemy.orm import Session
from sqlalchemy.sql.schema import ScalarElementColumnDefault

from twoins.node.store.catalogue_index import (
    CatalogueChange,
    IndexedEntry,
    knowledge_entry,
    need_entry,
    offer_entry,
)
from twoins.node.store.statements import execute_rows, insert_into, select_by
from twoins.node.store.tables import (
    CatalogueKnowledgeRow,
    CatalogueNeedRow,
    CatalogueOfferRow,
    CatalogueVersionRow,
)

PUBLISHED = "PUBLISHED"


@dataclass(frozen=True)
class Shelf:
    """One kind of catalogue entry and the table that keeps it."""

    kind: str
    row_type: type[Any]
    key: str
    #: The column of the time it was published (the order of search results).
    time_column: str
    visible_states: tuple[str, ...]
    #: The columns of an entry this node never saw published (a tombstone).
    tombstone: Mapping[str, Any]
    entry: Callable[[Any], IndexedEntry]

    @property
    def table(self) -> Table:
        return cast(Table, self.row_type.__table__)


NEEDS = Shelf(
    "need",
    CatalogueNeedRow,
    "need_id",
    "publish_time",
    (PUBLISHED, "MATCHED"),
    {
        "type": "",
        "title": "",
        "description": "",
        "nace_divisions": [],
        "target_countries": [],
        "languages": [],
        "keywords": [],
    },
    need_entry,
)
OFFERS = Shelf(
    "offer",
    CatalogueOfferRow,
    "offer_id",
    "publish_time",
    (PUBLISHED,),
    {"nace_divisions": [], "countries": [], "languages": [], "service_types": []},
    offer_entry,
)
KNOWLEDGE = Shelf(
    "knowledge",
    CatalogueKnowledgeRow,
    "id",
    "create_time",
    (PUBLISHED,),
    {"kind": "", "languages": []},
    knowledge_entry,
)
SHELVES = (NEEDS, OFFERS, KNOWLEDGE)
#: The kinds that have text embeddings, matched one against the other.
_MATCHED = {NEEDS.kind: NEEDS, OFFERS.kind: OFFERS}
#: Ids asked for in one query at most (SQLite's default limit of bound values is far above).
_IDS_PER_QUERY = 500


#: Rows read at a time when the index loads.
_LOAD_BATCH = 1_000


class CatalogueRepository:
    """The catalogue's tables, bound to one transaction; `changes` lists what it changed."""

    def __init__(self, session: Session) -> None:
        self._session = session
        self.changes: list[CatalogueChange] = []
        #: The catalogue version this transaction's changes carry, once it has changed one.
        self._changing_version: int | None = None

    def message_of(self, shelf: Shelf, entry_id: str) -> bytes | None:
        """The entry's anonymised message as published; None for a tombstone or no entry."""
        row = self._session.execute(
            select_by(shelf.table, shelf.key), {shelf.key: entry_id}
        ).first()
        if row is None or row.state not in shelf.visible_states:
            return None
        return bytes(row.message)

    def _owned_and_older(
        self, shelf: Shelf, entry_id: str, origin_region: str, version_time: datetime
    ) -> tuple[bool, dict[str, Any] | None]:
        """Whether the event may change the entry, and its columns (None if there is none)."""
        row = self._session.execute(
            select_by(shelf.table, shelf.key), {shelf.key: entry_id}
        ).first()
        if row is None:
            return True, None
        columns = dict(row._mapping)
        applies = (
            columns["origin_region"] == origin_region and columns["version_time"] <= version_time
        )
        return applies, columns

    def publish(
        self,
        shelf: Shelf,
        entry_id: str,
        origin_region: str,
        values: Mapping[str, Any],
        message: bytes,
        version_time: datetime,
    ) -> bool:
        """Stores the entry as published unless a newer event came first; whether it changed."""
        applies, current = self._owned_and_older(shelf, entry_id, origin_region, version_time)
        if not applies:
            return False
        changed = {
            **values,
            "message": message,
            "state": PUBLISHED,
            "version_time": version_time,
            "change_version": self._raised_version(),
        }
        self._write(shelf, entry_id, origin_region, current, changed)
        return True

    def set_state(
        self, shelf: Shelf, entry_id: str, origin_region: str, state: str, version_time: datetime
    ) -> bool:
        """Moves the entry to `state` (an end, or a need's MATCHED) unless a newer event came
        first; an entry not seen yet is kept as a tombstone. Whether it changed."""
        applies, current = self._owned_and_older(shelf, entry_id, origin_region, version_time)
        if not applies:
            return False
        changed: dict[str, Any] = {}
        if current is None:
            changed = {
                "search_text": "",
                "message": b"",
                shelf.time_column: version_time,
                **shelf.tombstone,
            }
        elif state not in shelf.visible_states:
            # An end keeps no content: the text, its words and its embedding go.
            changed = {**shelf.tombstone, "search_text": "", "message": b""}
            if "embedding" in current:
                changed["embedding"] = b""
        changed.update(
            state=state, version_time=version_time, change_version=self._raised_version()
        )
        self._write(shelf, entry_id, origin_region, current, changed)
        return True

    def _write(
        self,
        shelf: Shelf,
        entry_id: str,
        origin_region: str,
        current: dict[str, Any] | None,
        changed: dict[str, Any],
    ) -> None:
        """Inserts the entry (`current` None) or updates the `changed` columns of it, with one
        Core statement (a catalogue row needs none of the ORM's unit of work), and records
        the change from the columns as they now are."""
        table = shelf.table
        if current is None:
            columns = {
                column.name: column.default.arg
                for column in table.columns
                if isinstance(column.default, ScalarElementColumnDefault)
            }
            columns.update({shelf.key: entry_id, "origin_region": origin_region, **changed})
            execute_rows(self._session, insert_into(table), [columns])
        else:
            columns = {**current, **changed}
            self._session.execute(
                update(table).where(table.c[shelf.key] == entry_id).values(**changed)
            )
        row = SimpleNamespace(**columns)
        self.changes.append(
            CatalogueChange(shelf.kind, entry_id, _entry(shelf, row), row.change_version)
        )

    def _raised_version(self) -> int:
        """The catalogue's version, raised by one for this transaction at its first change
        (the row lock orders concurrent writers)."""
        if self._changing_version is None:
            self._changing_version = self._session.execute(_raise_version()).scalar_one()
        return self._changing_version

    def version(self) -> int:
        """The catalogue's version: every entry changed so far has this one or an older."""
        found = self._session.scalar(
            select(CatalogueVersionRow.version).where(CatalogueVersionRow.id == 1)
        )
        return found or 0

    def embeddings(self, kind: str, entry_ids: Collection[str]) -> dict[str, bytes]:
        """The text embeddings (float32 bytes, as published) of those of the entries of
        `kind` ("need" or "offer") that are visible and have one."""
        shelf = _MATCHED[kind]
        key = getattr(shelf.row_type, shelf.key)
        found: dict[str, bytes] = {}
        ids = list(dict.fromkeys(entry_ids))
        for start in range(0, len(ids), _IDS_PER_QUERY):
            rows = self._session.execute(
                select(key, shelf.row_type.embedding).where(
                    key.in_(ids[start : start + _IDS_PER_QUERY]),
                    shelf.row_type.state.in_(shelf.visible_states),
                    shelf.row_type.embedding != b"",
                )
            )
            found.update((entry_id, bytes(embedding)) for entry_id, embedding in rows)
        return found

    def visible_counts(self) -> dict[str, int]:
        """How many entries the network can see now, per kind."""
        return {
            shelf.kind: self._session.scalar(
                select(func.count())
                .select_from(shelf.row_type)
                .where(
                    shelf.row_type.state.in_(shelf.visible_states), shelf.row_type.message != b""
                )
            )
            or 0
            for shelf in SHELVES
        }

    def changed_since(self, version: int) -> Iterator[CatalogueChange]:
        """Every entry changed by a version newer than `version`, oldest change first, as the
        index keeps it now (None when the network no longer sees it)."""
        for shelf in SHELVES:
            rows = self._session.scalars(
                select(shelf.row_type)
                .where(shelf.row_type.change_version > version)
                .order_by(shelf.row_type.change_version)
                .execution_options(yield_per=_LOAD_BATCH)
            )
            for row in rows:
                yield CatalogueChange(
                    shelf.kind, getattr(row, shelf.key), _entry(shelf, row), row.change_version
                )

    def visible(self) -> Iterator[CatalogueChange]:
        """Every entry the network can see now, on every shelf, as the index keeps it; read in
        batches, so that only what the index keeps stays in memory."""
        for shelf in SHELVES:
            rows = self._session.scalars(
                select(shelf.row_type)
                .where(shelf.row_type.state.in_(shelf.visible_states))
                .execution_options(yield_per=_LOAD_BATCH)
            )
            for row in rows:
                if row.message:
                    yield CatalogueChange(
                        shelf.kind, getattr(row, shelf.key), shelf.entry(row), row.change_version
                    )


@cache
def _raise_version() -> Any:
    table = cast(Table, CatalogueVersionRow.__table__)
    return (
        update(table)
        .where(table.c.id == 1)
        .values(version=table.c.version + 1)
        .returning(table.c.version)
    )


def _entry(shelf: Shelf, row: Any) -> IndexedEntry | None:
    """What the index keeps of the row: its entry, or None when the network does not see it."""
    return shelf.entry(row) if row.state in shelf.visible_states and row.message else None
