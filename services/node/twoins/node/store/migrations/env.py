"""Alembic environment: runs migrations on the connection the node's Database hands over."""

from alembic import context

from twoins.node.store.tables import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise SystemExit("run migrations through `twoins node migrate`, which opens the database")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
