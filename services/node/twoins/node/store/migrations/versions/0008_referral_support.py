"""the kind of support a completed referral delivered

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-25 14:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: Sequence[str] | None = None
depends_on: Sequence[str] | None = None


def upgrade() -> None:
    for table in ("referrals", "referral_moves"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column("support", sa.String(length=30), server_default="", nullable=False)
            )


def downgrade() -> None:
    for table in ("referrals", "referral_moves"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("support")
