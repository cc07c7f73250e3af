"""Entry slots (`twoins.node.store.slots`): kept while an entry stays, reused once it goes."""

from __future__ import annotations

from twoins.node.store.slots import Slots


def test_slots_are_kept_freed_and_given_out_again() -> None:
    slots = Slots()
    assert [slots.take(entry_id) for entry_id in ("a", "b", "c")] == [0, 1, 2]
    assert slots.take("b") == 1  # the one it holds
    assert slots.release("b") == 1
    assert slots.release("b") is None
    assert slots.get("b") is None
    assert slots.ids == ["a", None, "c"]
    assert len(slots) == 2
    assert slots.take("d") == 1  # the freed one before a new one
    assert slots.take("e") == 3
    assert slots.ids == ["a", "d", "c", "e"]
    assert slots.get("d") == 1
