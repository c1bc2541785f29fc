"""The Alembic migrations create exactly the schema of the models, and downgrade cleanly."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, inspect

from bot.storage.models import metadata
from bot.storage.store import ALEMBIC_INI, TicketStore


def test_migrated_schema_matches_models(store):
    with store.engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), metadata)
    assert diffs == []


def test_upgrade_is_idempotent_and_downgrade_works(tmp_path, profile):
    url = f"sqlite:///{tmp_path / 'm.db'}"
    TicketStore(url, profile).dispose()
    TicketStore(url, profile).dispose()  # second open: already at head
    cfg = Config(str(ALEMBIC_INI))
    cfg.attributes["configure_logging"] = False
    cfg.set_main_option("sqlalchemy.url", url)
    command.downgrade(cfg, "base")
    engine = create_engine(url, future=True)
    assert set(inspect(engine).get_table_names()) == {"alembic_version"}
    command.upgrade(cfg, "head")
    assert "tickets" in inspect(engine).get_table_names()
    engine.dispose()
