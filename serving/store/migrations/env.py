"""Alembic environment of the ticket store; run programmatically by serving.store.database.migrate."""

from __future__ import annotations

from alembic import context
from sqlalchemy import engine_from_config, pool, text

from serving.store.database import MIGRATION_LOCK, connect_args
from serving.store.tables import Base

config = context.config
target_metadata = Base.metadata


def run_offline() -> None:
    context.configure(
        url=config.get_main_option("sqlalchemy.url"), target_metadata=target_metadata, literal_binds=True
    )
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    connectable = engine_from_config(
        config.get_section(config.config_ini_section, {}), prefix="sqlalchemy.", poolclass=pool.NullPool,
        hide_parameters=True,  # migrations copy stored rows: their errors must not print the values
        connect_args=connect_args(str(config.get_main_option("sqlalchemy.url")),
                                  config.attributes.get("store")),  # settings.store, from migrate()
    )
    with connectable.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
        )
        with context.begin_transaction():
            if connection.dialect.name == "postgresql":
                # one migration at a time (database.migrate): held until this transaction ends, and taken
                # before Alembic reads the current revision, so a second migrator finds the first's work
                connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
            context.run_migrations()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
