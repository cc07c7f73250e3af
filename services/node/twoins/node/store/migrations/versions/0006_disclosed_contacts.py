"""contacts disclosed between the regions of a referral

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25 14:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: Sequence[str] | None = None
depends_on: Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "disclosed_contacts",
        sa.Column("referral_id", sa.String(length=36), nullable=False),
        sa.Column("counterpart", sa.String(length=40), nullable=False),
        sa.Column("contact", sa.JSON(), nullable=False),
        sa.Column("organisation_name", sa.String(length=200), nullable=False),
        sa.Column("receive_time", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("referral_id"),
    )


def downgrade() -> None:
    op.drop_table("disclosed_contacts")
