"""Transactions over the node's repositories: one `write()` or `read()` block is one transaction."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from twoins.node.store.database import Database
from twoins.node.store.repositories import Repositories


class NodeStore:
    def __init__(self, database: Database) -> None:
        self.database = database

    @contextmanager
    def write(self) -> Iterator[Repositories]:
        """Commits when the block ends; rolls back everything if it raises."""
        with self.database.writing() as session:
            yield Repositories(session)

    @contextmanager
    def read(self) -> Iterator[Repositories]:
        with self.database.reading() as session:
            yield Repositories(session)
