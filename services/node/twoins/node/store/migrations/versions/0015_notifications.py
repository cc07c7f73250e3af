"""notifications: the region's people and their settings, follows, saved searches and their
hits, and the mail outbox

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-03 19:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: Sequence[str] | None = None
depends_on: Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "people",
        sa.Column("subject", sa.String(length=80), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("roles", sa.String(length=200), nullable=False),
        sa.Column("account_language", sa.String(length=8), nullable=False, server_default=""),
        sa.Column("seen_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False, server_default="1"),
        sa.Column("muted_kinds", sa.JSON(), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False, server_default=""),
        sa.Column("alert_frequency", sa.String(length=20), nullable=False),
        sa.Column("settings_time", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("subject"),
    )
    op.create_table(
        "follows",
        sa.Column("record", sa.String(length=80), nullable=False),
        sa.Column("subject", sa.String(length=80), nullable=False),
        sa.PrimaryKeyConstraint("record", "subject"),
    )
    op.create_table(
        "saved_searches",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("subject", sa.String(length=80), nullable=False),
        sa.Column("target", sa.String(length=20), nullable=False),
        sa.Column("query", sa.String(length=200), nullable=False),
        sa.Column("nace_division", sa.String(length=2), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("language", sa.String(length=3), nullable=False),
        sa.Column("frequency", sa.String(length=20), nullable=False),
        sa.Column("create_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("match_count", sa.Integer(), nullable=False, server_default="0"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_saved_searches_subject", "saved_searches", ["subject"])
    op.create_table(
        "saved_search_hits",
        sa.Column("saved_search_id", sa.String(length=36), nullable=False),
        sa.Column("entry_id", sa.String(length=36), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("origin_region", sa.String(length=40), nullable=False),
        sa.Column("hit_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("mail_id", sa.String(length=36), nullable=True),
        sa.PrimaryKeyConstraint("saved_search_id", "entry_id"),
    )
    op.create_index("ix_saved_search_hits_undigested", "saved_search_hits", ["mail_id", "hit_time"])
    op.create_table(
        "mails",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("cause", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("recipient", sa.String(length=320), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("text_body", sa.Text(), nullable=False),
        sa.Column("html_body", sa.Text(), nullable=False),
        sa.Column("unsubscribe_url", sa.Text(), nullable=False, server_default=""),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("last_error", sa.Text(), nullable=False, server_default=""),
        sa.Column("create_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("next_attempt_time", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sent_time", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("cause"),
    )
    op.create_index("ix_mails_due", "mails", ["state", "next_attempt_time"])
    op.create_index("ix_mails_create_time", "mails", ["create_time", "id"])


def downgrade() -> None:
    op.drop_index("ix_mails_create_time", table_name="mails")
    op.drop_index("ix_mails_due", table_name="mails")
    op.drop_table("mails")
    op.drop_index("ix_saved_search_hits_undigested", table_name="saved_search_hits")
    op.drop_table("saved_search_hits")
    op.drop_index("ix_saved_searches_subject", table_name="saved_searches")
    op.drop_table("saved_searches")
    op.drop_table("follows")
    op.drop_table("people")
