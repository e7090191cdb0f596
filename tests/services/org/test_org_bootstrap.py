"""Wiring and schema: build() adds the outbox relay; migrations are idempotent and match the ORM models."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import Engine, inspect, text

from kinerja_kit.db import ServiceDatabase, make_engine
from kinerja_kit.relay import OutboxRelay
from org.adapters.orm import TENANT_TABLES, Base
from org.bootstrap import build, migrate
from org.settings import OrgSettings

pytestmark = pytest.mark.integration


def test_build_wires_the_relay(
    org_settings: OrgSettings, jwks_provider: Callable[[], str], kafka_bootstrap: str
) -> None:
    settings = org_settings.model_copy(update={"kafka_bootstrap_servers": kafka_bootstrap})
    runtime = build(settings, jwks_provider=jwks_provider)
    try:
        assert runtime.name == "org" and runtime.port > 0
        assert [type(w) for w in runtime.workers] == [OutboxRelay]
    finally:
        runtime.server.stop(0)
        runtime.engine.dispose()


def test_migrations_are_idempotent_and_match_the_models(
    org_db: ServiceDatabase, inspect_engine: Engine
) -> None:
    migrate(org_db.owner_url)  # a second run is a no-op
    inspector = inspect(inspect_engine)
    for table in Base.metadata.sorted_tables:
        columns = {c["name"]: c for c in inspector.get_columns(table.name)}
        for column in table.columns:
            assert column.name in columns, (table.name, column.name)
            assert columns[column.name]["nullable"] == column.nullable, (table.name, column.name)
        primary = inspector.get_pk_constraint(table.name)["constrained_columns"]
        assert primary == [c.name for c in table.primary_key.columns], table.name
    with inspect_engine.connect() as conn:
        forced = dict(
            conn.execute(
                text("select relname, relforcerowsecurity from pg_class where relname = any(:t)"),
                {"t": list(TENANT_TABLES)},
            ).all()
        )
    assert forced == dict.fromkeys(TENANT_TABLES, True)


def test_runtime_role_cannot_bypass_rls(org_db: ServiceDatabase) -> None:
    engine = make_engine(org_db.app_url, pool_size=1)
    try:
        with engine.connect() as conn:
            row = conn.execute(
                text("select rolsuper, rolbypassrls from pg_roles where rolname = current_user")
            ).one()
        assert tuple(row) == (False, False)
    finally:
        engine.dispose()
