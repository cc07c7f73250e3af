"""the catalogue's version: a number raised by every transaction that changes the catalogue,
and on each entry the version that last changed it, so the in-memory index can start from
its snapshot and read only what changed since (rows before this revision have version 0)

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07 05:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: Sequence[str] | None = None
depends_on: Sequence[str] | None = None

_TABLES = ("catalogue_needs", "catalogue_offers", "catalogue_knowledge")


def upgrade() -> None:
    version = op.create_table(
        "catalogue_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.bulk_insert(version, [{"id": 1, "version": 0}])
    for table in _TABLES:
        op.add_column(
            table,
            sa.Column("change_version", sa.BigInteger(), nullable=False, server_default="0"),
        )
        op.create_index(f"ix_{table}_change_version", table, ["change_version"])


def downgrade() -> None:
    for table in _TABLES:
        op.drop_index(f"ix_{table}_change_version", table_name=table)
        op.drop_column(table, "change_version")
    op.drop_table("catalogue_version")
