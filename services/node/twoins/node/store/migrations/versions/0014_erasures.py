"""erasures and their reports; audit notes hashed by digest, so a note can be erased

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03 15:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: Sequence[str] | None = None
depends_on: Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "erasures",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("organisation_id", sa.String(length=36), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("requested_by", sa.String(length=80), nullable=False),
        sa.Column("create_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("erased", sa.JSON(), nullable=False),
        sa.Column("withdrawn_need_ids", sa.JSON(), nullable=False),
        sa.Column("referral_ids", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_erasures_create_time", "erasures", ["create_time", "id"])
    op.create_table(
        "erased_referrals",
        sa.Column("referral_id", sa.String(length=36), nullable=False),
        sa.Column("erasure_id", sa.String(length=36), nullable=False),
        sa.PrimaryKeyConstraint("referral_id"),
    )
    with op.batch_alter_table("audit_log") as table:
        table.add_column(
            sa.Column("note_digest", sa.String(length=64), nullable=False, server_default="")
        )


def downgrade() -> None:
    with op.batch_alter_table("audit_log") as table:
        table.drop_column("note_digest")
    op.drop_table("erased_referrals")
    op.drop_index("ix_erasures_create_time", table_name="erasures")
    op.drop_table("erasures")
