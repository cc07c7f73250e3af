"""The region's SMEs counted by generalised profile at every level of widening, changed in the
same transaction as the SME's record: the k-anonymity guard reads at most one count per level.

Stored SMEs always have a country, so their location never falls back to the region's NUTS 2
code: the profile is computed here without the region."""

from __future__ import annotations

from collections import Counter
from functools import cache
from typing import Any

from sqlalchemy import bindparam, case, delete, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from twoins.node.domain.anonymiser.generalise import generalise
from twoins.node.domain.anonymiser.publication import widened_keys
from twoins.node.domain.organisation import Organisation
from twoins.node.store.statements import execute_rows
from twoins.node.store.tables import OrganisationRow, ProfileCountRow

_SEPARATOR = "\x1f"


def _keys(organisation: Organisation) -> list[tuple[int, str]]:
    return [
        (level, _SEPARATOR.join(key)) for level, key in widened_keys(generalise(organisation, ""))
    ]


@cache
def _upsert(dialect_name: str) -> Any:
    """Adds each row's `change` to its count (never below 0), inserting missing rows."""
    table = ProfileCountRow.__table__
    dialect = sqlite if dialect_name == "sqlite" else postgresql
    statement = dialect.insert(table).values(
        level=bindparam("level"), key=bindparam("key"), count=bindparam("count")
    )
    moved = table.c.count + bindparam("change")
    return statement.on_conflict_do_update(
        index_elements=[table.c.level, table.c.key],
        set_={"count": case((moved < 0, 0), else_=moved)},
    )


class ProfileCounts:
    def __init__(self, session: Session) -> None:
        self._session = session

    def change(self, before: Organisation | None, after: Organisation | None) -> None:
        """Moves one SME from its old profile to its new one (None: added, or erased)."""
        delta: Counter[tuple[int, str]] = Counter()
        for level_key in _keys(before) if before is not None else ():
            delta[level_key] -= 1
        for level_key in _keys(after) if after is not None else ():
            delta[level_key] += 1
        changes = [
            {"level": level, "key": key, "count": max(change, 0), "change": change}
            for (level, key), change in delta.items()
            if change != 0
        ]
        if changes:
            # One upsert for every level, without loading a row: the counts of one profile are
            # the hottest rows of the region, changed by every SME added to it.
            dialect = self._session.get_bind().dialect.name
            execute_rows(self._session, _upsert(dialect), changes)

    def count(self, level: int, key: tuple[str, ...]) -> int:
        row = self._session.get(ProfileCountRow, (level, _SEPARATOR.join(key)))
        return row.count if row is not None else 0

    def is_current(self) -> bool:
        """Whether the counts at the first level add up to the region's SMEs."""
        counted = self._session.scalar(
            select(func.coalesce(func.sum(ProfileCountRow.count), 0)).where(
                ProfileCountRow.level == 0
            )
        )
        smes = self._session.scalar(select(func.count()).select_from(OrganisationRow))
        return int(counted or 0) == int(smes or 0)

    def rebuild(self, organisations: list[Organisation]) -> int:
        """Counts every SME again (after the upgrade that adds the counts, or a restore)."""
        self._session.execute(delete(ProfileCountRow))
        counts = Counter(
            level_key for organisation in organisations for level_key in _keys(organisation)
        )
        self._session.add_all(
            ProfileCountRow(level=level, key=key, count=count)
            for (level, key), count in counts.items()
        )
        return len(organisations)
