"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-25 10:35:04.347568
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: Sequence[str] | None = None
depends_on: Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "expert_offers",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("region", sa.String(length=40), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("expert", sa.JSON(), nullable=False),
        sa.Column("competences", sa.JSON(), nullable=False),
        sa.Column("nace_codes", sa.JSON(), nullable=False),
        sa.Column("countries", sa.JSON(), nullable=False),
        sa.Column("languages", sa.JSON(), nullable=False),
        sa.Column("service_types", sa.JSON(), nullable=False),
        sa.Column("capacity_hours_per_month", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("create_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("update_time", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("expert_offers", schema=None) as batch_op:
        batch_op.create_index("ix_expert_offers_create_time", ["create_time", "id"], unique=False)

    op.create_table(
        "idempotency_keys",
        sa.Column("request_id", sa.String(length=64), nullable=False),
        sa.Column("method", sa.String(length=100), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("resource_id", sa.String(length=36), nullable=False),
        sa.Column("create_time", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("request_id"),
    )
    op.create_table(
        "organisations",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("region", sa.String(length=40), nullable=False),
        sa.Column("legal_name", sa.String(length=200), nullable=False),
        sa.Column("search_names", sa.Text(), nullable=False),
        sa.Column("trading_names", sa.JSON(), nullable=False),
        sa.Column("vat_id", sa.String(length=20), nullable=False),
        sa.Column("nace_code", sa.String(length=8), nullable=False),
        sa.Column("employees", sa.Integer(), nullable=False),
        sa.Column("turnover_eur", sa.BigInteger(), nullable=False),
        sa.Column("year_founded", sa.Integer(), nullable=False),
        sa.Column("export_status", sa.String(length=20), nullable=False),
        sa.Column("address", sa.JSON(), nullable=False),
        sa.Column("website", sa.String(length=300), nullable=False),
        sa.Column("contacts", sa.JSON(), nullable=False),
        sa.Column("languages", sa.JSON(), nullable=False),
        sa.Column("consents", sa.JSON(), nullable=False),
        sa.Column("create_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("update_time", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.create_index("ix_organisations_create_time", ["create_time", "id"], unique=False)

    op.create_table(
        "assessments",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("organisation_id", sa.String(length=36), nullable=False),
        sa.Column("scores", sa.JSON(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("create_time", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisations.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.create_index(
            "ix_assessments_organisation", ["organisation_id", "create_time"], unique=False
        )

    op.create_table(
        "business_plans",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("organisation_id", sa.String(length=36), nullable=False),
        sa.Column("latest_revision", sa.Integer(), nullable=False),
        sa.Column("create_time", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisations.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("business_plans", schema=None) as batch_op:
        batch_op.create_index(
            "ix_business_plans_organisation", ["organisation_id", "create_time"], unique=False
        )

    op.create_table(
        "needs",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("region", sa.String(length=40), nullable=False),
        sa.Column("organisation_id", sa.String(length=36), nullable=False),
        sa.Column("type", sa.String(length=30), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("nace_codes", sa.JSON(), nullable=False),
        sa.Column("target_countries", sa.JSON(), nullable=False),
        sa.Column("languages", sa.JSON(), nullable=False),
        sa.Column("keywords", sa.JSON(), nullable=False),
        sa.Column("expire_time", sa.DateTime(timezone=True), nullable=True),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("state_reason", sa.Text(), nullable=False),
        sa.Column("create_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("update_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("publish_time", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisations.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("needs", schema=None) as batch_op:
        batch_op.create_index("ix_needs_create_time", ["create_time", "id"], unique=False)
        batch_op.create_index("ix_needs_organisation", ["organisation_id"], unique=False)
        batch_op.create_index("ix_needs_state_expire", ["state", "expire_time"], unique=False)

    op.create_table(
        "business_plan_revisions",
        sa.Column("plan_id", sa.String(length=36), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("sections", sa.JSON(), nullable=False),
        sa.Column("financial_years", sa.JSON(), nullable=False),
        sa.Column("create_time", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["plan_id"], ["business_plans.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("plan_id", "revision"),
    )


def downgrade() -> None:
    op.drop_table("business_plan_revisions")
    with op.batch_alter_table("needs", schema=None) as batch_op:
        batch_op.drop_index("ix_needs_state_expire")
        batch_op.drop_index("ix_needs_organisation")
        batch_op.drop_index("ix_needs_create_time")

    op.drop_table("needs")
    with op.batch_alter_table("business_plans", schema=None) as batch_op:
        batch_op.drop_index("ix_business_plans_organisation")

    op.drop_table("business_plans")
    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.drop_index("ix_assessments_organisation")

    op.drop_table("assessments")
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.drop_index("ix_organisations_create_time")

    op.drop_table("organisations")
    op.drop_table("idempotency_keys")
    with op.batch_alter_table("expert_offers", schema=None) as batch_op:
        batch_op.drop_index("ix_expert_offers_create_time")

    op.drop_table("expert_offers")
