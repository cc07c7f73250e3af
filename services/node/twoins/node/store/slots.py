"""Entry ids given small whole numbers, the rows of a shelf's arrays (its word postings, its
matching columns): an entry keeps its slot while it stays, and a removed entry's slot is the
next one given out, so the arrays never grow past the most entries held at once."""

from __future__ import annotations


class Slots:
    """Not thread-safe: the catalogue index holds its lock around every call."""

    def __init__(self) -> None:
        #: Each slot's entry id, None while the slot is free.
        self.ids: list[str | None] = []
        self._of: dict[str, int] = {}
        self._free: list[int] = []

    def __len__(self) -> int:
        """The entries holding a slot."""
        return len(self._of)

    def get(self, entry_id: str) -> int | None:
        return self._of.get(entry_id)

    def take(self, entry_id: str) -> int:
        """The entry's slot: the one it holds, else a free one, else a new one at the end
        (`len(ids) - 1` after the call)."""
        slot = self._of.get(entry_id)
        if slot is not None:
            return slot
        if self._free:
            slot = self._free.pop()
            self.ids[slot] = entry_id
        else:
            slot = len(self.ids)
            self.ids.append(entry_id)
        self._of[entry_id] = slot
        return slot

    def release(self, entry_id: str) -> int | None:
        """Frees the entry's slot and says which it was; None if it held none."""
        slot = self._of.pop(entry_id, None)
        if slot is not None:
            self.ids[slot] = None
            self._free.append(slot)
        return slot
