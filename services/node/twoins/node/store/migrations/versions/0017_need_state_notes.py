"""a need's state note: the node's own reason as a code with its values, for consoles to
translate (empty for needs whose reason a person gave, and for needs before this revision)

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07 02:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: Sequence[str] | None = None
depends_on: Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "needs",
        sa.Column("state_note", sa.JSON(), nullable=False, server_default=sa.text("'{}'")),
    )


def downgrade() -> None:
    op.drop_column("needs", "state_note")
