"""Schema: the skp migrations are idempotent and create exactly the ORM's tables and columns, with RLS
forced on every tenant table and `instansi_id` leading every key and index; the runtime role cannot
bypass RLS."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import Engine, inspect, text
from sqlalchemy.dialects import postgresql

from kinerja_kit.db import ServiceDatabase, make_engine
from skp.adapters.orm import TENANT_TABLES, Base
from skp.bootstrap import migrate

pytestmark = pytest.mark.integration

INFRASTRUCTURE = {"outbox", "processed_events", "alembic_version", "idempotency_keys"}
# The kit's tenant tables beside the ORM's (kinerja_kit.idempotency).
KIT_TENANT_TABLES = {"idempotency_keys"}


@pytest.fixture(scope="module")
def skp_db(service_database: Callable[[str], ServiceDatabase]) -> ServiceDatabase:
    db = service_database("skp")
    migrate(db.owner_url)
    migrate(db.owner_url)  # a second run is a no-op
    return db


def _type(value: object) -> str:
    return value.compile(dialect=postgresql.dialect())  # type: ignore[attr-defined,no-any-return]


def test_migrations_create_exactly_the_orm_tables_and_columns(
    skp_db: ServiceDatabase, skp_inspect_engine: Engine
) -> None:
    inspector = inspect(skp_inspect_engine)
    assert set(inspector.get_table_names()) - INFRASTRUCTURE == set(Base.metadata.tables)
    for table in Base.metadata.sorted_tables:
        found = {c["name"]: c for c in inspector.get_columns(table.name)}
        assert set(found) == {c.name for c in table.columns}, table.name
        for column in table.columns:
            stored = found[column.name]
            assert stored["nullable"] == column.nullable, (table.name, column.name)
            assert _type(stored["type"]) == _type(column.type), (table.name, column.name)
        primary = inspector.get_pk_constraint(table.name)["constrained_columns"]
        assert primary == [c.name for c in table.primary_key.columns] == ["instansi_id", "id"], table.name


def test_every_tenant_table_has_forced_rls_and_tenant_led_indexes(
    skp_db: ServiceDatabase, skp_inspect_engine: Engine
) -> None:
    assert set(TENANT_TABLES) == set(Base.metadata.tables)
    with skp_inspect_engine.connect() as conn:
        flags = {
            r.relname: (r.relrowsecurity, r.relforcerowsecurity)
            for r in conn.execute(
                text(
                    "select relname, relrowsecurity, relforcerowsecurity from pg_class "
                    "where relkind = 'r' and relnamespace = 'public'::regnamespace"
                )
            )
        }
        policies = {r.tablename for r in conn.execute(text("select tablename from pg_policies"))}
    tenant_tables = set(TENANT_TABLES) | KIT_TENANT_TABLES
    assert {t for t, on in flags.items() if on != (False, False)} == tenant_tables
    assert all(flags[t] == (True, True) for t in tenant_tables)
    assert policies == tenant_tables
    inspector = inspect(skp_inspect_engine)
    for table in sorted(tenant_tables):
        for index in inspector.get_indexes(table):
            if index["name"] in NOT_LED_BY_INSTANSI:
                continue
            assert index["column_names"][0] == "instansi_id", (table, index["name"])
        for foreign in inspector.get_foreign_keys(table):
            assert foreign["constrained_columns"][0] == "instansi_id", (table, foreign["name"])


# The GIN index of the SKP content: queries on it always filter on instansi_id too (and RLS applies).
NOT_LED_BY_INSTANSI = {"skp_isi_paths"}


def test_runtime_role_cannot_bypass_rls(skp_db: ServiceDatabase) -> None:
    engine = make_engine(skp_db.app_url, pool_size=1)
    try:
        with engine.connect() as conn:
            row = conn.execute(
                text("select current_user, rolsuper, rolbypassrls from pg_roles where rolname = current_user")
            ).one()
            owns = conn.execute(
                text(
                    "select count(*) from pg_tables where schemaname = 'public' and tableowner = current_user"
                )
            ).scalar_one()
        assert tuple(row) == ("kinerja_skp_app", False, False)
        assert owns == 0  # the owner role holds the schema; the runtime role only reads and writes rows
    finally:
        engine.dispose()
