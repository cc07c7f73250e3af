"""reminders and escalations of unanswered referral proposals

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25 14:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: Sequence[str] | None = None
depends_on: Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("referrals", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reminded_time", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("escalated_time", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("referrals", schema=None) as batch_op:
        batch_op.drop_column("escalated_time")
        batch_op.drop_column("reminded_time")
