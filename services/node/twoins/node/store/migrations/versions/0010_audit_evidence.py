"""the audit log's evidence: a signed head, the counterparts' heads and countersignatures

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 20:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: Sequence[str] | None = None
depends_on: Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("audit_head") as table:
        table.add_column(
            sa.Column("key_id", sa.String(length=80), nullable=False, server_default="")
        )
        table.add_column(sa.Column("signature", sa.LargeBinary(), nullable=True))
    op.create_table(
        "audit_counterpart_heads",
        sa.Column("counterpart", sa.String(length=40), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("entry_hash", sa.String(length=64), nullable=False),
        sa.Column("key_id", sa.String(length=80), nullable=False),
        sa.Column("signature", sa.LargeBinary(), nullable=False),
        sa.Column("receive_time", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("counterpart"),
    )
    op.create_table(
        "audit_countersignatures",
        sa.Column("counterpart", sa.String(length=40), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("entry_hash", sa.String(length=64), nullable=False),
        sa.Column("key_id", sa.String(length=80), nullable=False),
        sa.Column("signature", sa.LargeBinary(), nullable=False),
        sa.Column("receive_time", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("counterpart", "sequence"),
    )


def downgrade() -> None:
    op.drop_table("audit_countersignatures")
    op.drop_table("audit_counterpart_heads")
    with op.batch_alter_table("audit_head") as table:
        table.drop_column("signature")
        table.drop_column("key_id")
