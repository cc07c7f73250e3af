"""referrals and their moves

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 14:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: Sequence[str] | None = None
depends_on: Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "referrals",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("need_id", sa.String(length=36), nullable=False),
        sa.Column("offer_id", sa.String(length=36), nullable=False),
        sa.Column("need_region", sa.String(length=40), nullable=False),
        sa.Column("offer_region", sa.String(length=40), nullable=False),
        sa.Column("initiator", sa.String(length=10), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("answer_due", sa.DateTime(timezone=True), nullable=True),
        sa.Column("outcome", sa.String(length=30), nullable=False),
        sa.Column("hours", sa.Integer(), nullable=False),
        sa.Column("first_answer_time", sa.DateTime(timezone=True), nullable=True),
        sa.Column("create_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("update_time", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_referrals_create_time", "referrals", ["create_time", "id"])
    op.create_index("ix_referrals_state_due", "referrals", ["state", "answer_due"])
    op.create_table(
        "referral_moves",
        sa.Column("move_id", sa.String(length=36), nullable=False),
        sa.Column("referral_id", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("side", sa.String(length=10), nullable=False),
        sa.Column("occur_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("outcome", sa.String(length=30), nullable=False),
        sa.Column("hours", sa.Integer(), nullable=False),
        sa.Column("answer_due", sa.DateTime(timezone=True), nullable=True),
        sa.Column("receive_time", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("move_id"),
    )
    op.create_index("ix_referral_moves_referral", "referral_moves", ["referral_id", "version"])


def downgrade() -> None:
    op.drop_index("ix_referral_moves_referral", table_name="referral_moves")
    op.drop_table("referral_moves")
    op.drop_index("ix_referrals_state_due", table_name="referrals")
    op.drop_index("ix_referrals_create_time", table_name="referrals")
    op.drop_table("referrals")
