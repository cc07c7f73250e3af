"""Alembic migrations of the node's database."""
