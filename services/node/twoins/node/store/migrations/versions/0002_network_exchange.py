"""network exchange

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 11:00:10.306238
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: Sequence[str] | None = None
depends_on: Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "catalogue_needs",
        sa.Column("need_id", sa.String(length=36), nullable=False),
        sa.Column("origin_region", sa.String(length=40), nullable=False),
        sa.Column("type", sa.String(length=30), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("nace_divisions", sa.JSON(), nullable=False),
        sa.Column("target_countries", sa.JSON(), nullable=False),
        sa.Column("languages", sa.JSON(), nullable=False),
        sa.Column("keywords", sa.JSON(), nullable=False),
        sa.Column("search_text", sa.Text(), nullable=False),
        sa.Column("message", sa.LargeBinary(), nullable=False),
        sa.Column("embedding", sa.LargeBinary(), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("publish_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version_time", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("need_id"),
    )
    with op.batch_alter_table("catalogue_needs", schema=None) as batch_op:
        batch_op.create_index(
            "ix_catalogue_needs_publish", ["publish_time", "need_id"], unique=False
        )

    op.create_table(
        "catalogue_offers",
        sa.Column("offer_id", sa.String(length=36), nullable=False),
        sa.Column("origin_region", sa.String(length=40), nullable=False),
        sa.Column("nace_divisions", sa.JSON(), nullable=False),
        sa.Column("countries", sa.JSON(), nullable=False),
        sa.Column("languages", sa.JSON(), nullable=False),
        sa.Column("service_types", sa.JSON(), nullable=False),
        sa.Column("search_text", sa.Text(), nullable=False),
        sa.Column("message", sa.LargeBinary(), nullable=False),
        sa.Column("embedding", sa.LargeBinary(), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("publish_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version_time", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("offer_id"),
    )
    with op.batch_alter_table("catalogue_offers", schema=None) as batch_op:
        batch_op.create_index(
            "ix_catalogue_offers_publish", ["publish_time", "offer_id"], unique=False
        )

    op.create_table(
        "dead_letters",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("reason", sa.String(length=40), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("payload", sa.LargeBinary(), nullable=False),
        sa.Column("receive_time", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "inbox",
        sa.Column("event_id", sa.String(length=36), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("apply_time", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("event_id"),
    )
    op.create_table(
        "outbox",
        sa.Column("sequence", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("event_id", sa.String(length=36), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("envelope", sa.LargeBinary(), nullable=False),
        sa.Column("create_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("publish_time", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("sequence"),
        sa.UniqueConstraint("event_id"),
    )
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.create_index("ix_outbox_unpublished", ["publish_time", "sequence"], unique=False)

    with op.batch_alter_table("needs", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("held_back", sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("needs", schema=None) as batch_op:
        batch_op.drop_column("held_back")

    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_unpublished")

    op.drop_table("outbox")
    op.drop_table("inbox")
    op.drop_table("dead_letters")
    with op.batch_alter_table("catalogue_offers", schema=None) as batch_op:
        batch_op.drop_index("ix_catalogue_offers_publish")

    op.drop_table("catalogue_offers")
    with op.batch_alter_table("catalogue_needs", schema=None) as batch_op:
        batch_op.drop_index("ix_catalogue_needs_publish")

    op.drop_table("catalogue_needs")
