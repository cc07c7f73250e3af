"""Transactions over the node's repositories: one `write()` or `read()` block is one transaction."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import TypeVar

from sqlalchemy.exc import IntegrityError

from twoins.node.domain.errors import Conflict
from twoins.node.store.database import Database
from twoins.node.store.repositories import Repositories

ResultT = TypeVar("ResultT")


class NodeStore:
    def __init__(self, database: Database) -> None:
        self.database = database

    @contextmanager
    def write(self) -> Iterator[Repositories]:
        """Commits when the block ends; rolls back everything if it raises."""
        with self.database.writing() as session:
            yield Repositories(session)

    def count_profiles_if_needed(self) -> int | None:
        """Counts the SMEs by profile again when the kept counts do not add up (the upgrade
        that adds them, a restored or hand-edited database); how many SMEs, or None."""
        with self.write() as repositories:
            profiles = repositories.organisations.profiles
            if profiles.is_current():
                return None
            return profiles.rebuild(repositories.organisations.all())

    @contextmanager
    def read(self) -> Iterator[Repositories]:
        with self.database.read_transaction() as transaction:
            yield Repositories(transaction)

    def create_once(
        self,
        request_id: str,
        method: str,
        fingerprint: str,
        create: Callable[[Repositories, str], ResultT],
        load: Callable[[Repositories, str], ResultT],
        clock: Callable[[], datetime],
    ) -> ResultT:
        """`create(repositories, new_id)` in one transaction with the memory of `request_id`;
        a retry with the same key gets `load(repositories, first_id)`."""
        for _attempt in range(2):
            try:
                with self.write() as repositories:
                    first = repositories.idempotency.first_result(request_id, method, fingerprint)
                    if first is not None:
                        return load(repositories, first)
                    new_id = str(uuid.uuid4())
                    result = create(repositories, new_id)
                    repositories.idempotency.remember(
                        request_id, method, fingerprint, new_id, clock()
                    )
                    return result
            except IntegrityError:
                # A concurrent request with the same key won the race (PostgreSQL); read its
                # result on the second pass.
                continue
        raise Conflict(
            "another request with this request_id is being handled; retry",
            reason="REQUEST_IN_PROGRESS",
        )
