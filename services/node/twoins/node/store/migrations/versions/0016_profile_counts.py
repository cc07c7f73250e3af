"""the region's SMEs counted by generalised profile, for the k-anonymity guard (filled from
the organisations at the node's next start)

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-03 20:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: Sequence[str] | None = None
depends_on: Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "profile_counts",
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("level", "key"),
    )


def downgrade() -> None:
    op.drop_table("profile_counts")
