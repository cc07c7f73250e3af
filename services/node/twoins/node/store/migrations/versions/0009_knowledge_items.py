"""knowledge items of 2InSNet, and the network's catalogue of them

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-25 16:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: Sequence[str] | None = None
depends_on: Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "knowledge_items",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("region", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("languages", sa.JSON(), nullable=False),
        sa.Column("tags", sa.JSON(), nullable=False),
        sa.Column("nace_codes", sa.JSON(), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("owner", sa.String(length=64), nullable=False),
        sa.Column("author", sa.JSON(), nullable=False),
        sa.Column("create_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("update_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("publish_time", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_knowledge_items_create_time", "knowledge_items", ["create_time", "id"], unique=False
    )
    op.create_index("ix_knowledge_items_owner", "knowledge_items", ["owner"], unique=False)
    op.create_table(
        "catalogue_knowledge",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("origin_region", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("languages", sa.JSON(), nullable=False),
        sa.Column("search_text", sa.Text(), nullable=False),
        sa.Column("message", sa.LargeBinary(), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("create_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version_time", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_catalogue_knowledge_create_time",
        "catalogue_knowledge",
        ["create_time", "id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_catalogue_knowledge_create_time", table_name="catalogue_knowledge")
    op.drop_table("catalogue_knowledge")
    op.drop_index("ix_knowledge_items_owner", table_name="knowledge_items")
    op.drop_index("ix_knowledge_items_create_time", table_name="knowledge_items")
    op.drop_table("knowledge_items")
