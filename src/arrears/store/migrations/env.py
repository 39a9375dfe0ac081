"""Alembic environment: run programmatically by :mod:`arrears.store.database`, on the
connection it passes in ``config.attributes["connection"]``."""

from __future__ import annotations

from alembic import context

from arrears.store.schema import Base

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata,
                  render_as_batch=True, compare_type=True)
with context.begin_transaction():
    context.run_migrations()
