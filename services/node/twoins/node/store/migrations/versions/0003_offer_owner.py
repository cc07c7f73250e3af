"""expert offers know the expert who manages them

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 13:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: Sequence[str] | None = None
depends_on: Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("expert_offers", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("owner", sa.String(length=64), server_default="", nullable=False)
        )
        batch_op.create_index("ix_expert_offers_owner", ["owner"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("expert_offers", schema=None) as batch_op:
        batch_op.drop_index("ix_expert_offers_owner")
        batch_op.drop_column("owner")
