"""Migration helpers shared by every service's Alembic scripts: RLS policies, outbox and idempotency
tables, upgrade."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection

from kinerja_kit.idempotency import TABLE as IDEMPOTENCY_TABLE
from kinerja_kit.idempotency import idempotency_metadata
from kinerja_kit.outbox import outbox_metadata

TENANT_FUNCTION = """
create or replace function kinerja_current_instansi() returns uuid
language sql stable as $$
  select nullif(current_setting('app.instansi_id', true), '')::uuid
$$;
"""


def create_tenant_function(op: Any) -> None:
    """The function RLS policies compare instansi_id with: NULL (no rows) when no tenant is set."""
    op.execute(TENANT_FUNCTION)


def enable_tenant_rls(op: Any, table: str, column: str = "instansi_id") -> None:
    """ENABLE + FORCE row-level security on a tenant table; with no tenant set, no row is visible."""
    op.execute(f"alter table {table} enable row level security")
    op.execute(f"alter table {table} force row level security")
    op.execute(
        f"create policy tenant_isolation on {table} "
        f"using ({column} = kinerja_current_instansi()) "
        f"with check ({column} = kinerja_current_instansi())"
    )


def create_tenant_search_view(op: Any, view: str, table: str, columns: str, where: str = "true") -> None:
    """A view of `table` confined to the current tenant by itself, so that a search's conditions reach
    their indexes.

    Under forced row-level security PostgreSQL evaluates the tenant policy before every condition that is
    not leakproof and never makes such a condition an index condition: `ILIKE '%x%'` (and every trigram
    operator) then scans the whole instansi. Marking functions leakproof takes a superuser. The view reads
    the table as its owner (the migrating role), who gets a SELECT-only policy `using (true)`, and confines
    the rows itself with the policies' own function (no tenant set: no rows); it is not a security barrier,
    so the query's conditions are planned with the tenant condition. The runtime role still sees only its
    tenant, in the table and in the view, and gets SELECT on the view only (the view would be updatable).
    Only a service's fixed queries read it, with built-in operators on bound parameters.
    """
    op.execute(f"create policy owner_reads on {table} as permissive for select to current_user using (true)")
    op.execute(
        f"create view {view} as select {columns} from {table} "
        f"where ({where}) and instansi_id = kinerja_current_instansi()"
    )
    op.execute(
        f"""
        do $$
        declare grantee text;
        begin
          for grantee in
            select distinct g.grantee from information_schema.role_table_grants g
            where g.table_name = '{view}' and g.privilege_type <> 'SELECT' and g.grantee <> current_user
          loop
            execute format('revoke insert, update, delete, truncate, references, trigger on {view} from %I', grantee);
          end loop;
        end $$
        """
    )


def drop_tenant_search_view(op: Any, view: str, table: str) -> None:
    """Undoes create_tenant_search_view."""
    op.execute(f"drop view if exists {view}")
    op.execute(f"drop policy if exists owner_reads on {table}")


def create_outbox_tables(op: Any) -> None:
    """Creates the outbox and processed_events tables (not tenant-scoped: infrastructure only)."""
    bind: Connection = op.get_bind()
    outbox_metadata.create_all(bind)
    op.execute("create index if not exists outbox_unsent on outbox (id) where sent_at is null")


def create_outbox_sent_index(op: Any) -> None:
    """The index of sent outbox rows by sent_at: the relay prunes rows past the retention window by it and
    finds the window to publish again when the broker lost its topics."""
    op.execute("create index if not exists outbox_sent on outbox (sent_at) where sent_at is not null")


def drop_outbox_sent_index(op: Any) -> None:
    """Undoes create_outbox_sent_index."""
    op.execute("drop index if exists outbox_sent")


def create_idempotency_keys_table(op: Any) -> None:
    """The idempotency keys of creates (kinerja_kit.idempotency): tenant data, so RLS forced, and
    `instansi_id` leads the primary key and the index the expired keys are pruned by."""
    bind: Connection = op.get_bind()
    idempotency_metadata.create_all(bind)
    enable_tenant_rls(op, IDEMPOTENCY_TABLE)


def drop_idempotency_keys_table(op: Any) -> None:
    """Undoes create_idempotency_keys_table."""
    op.execute(f"drop table if exists {IDEMPOTENCY_TABLE}")


def upgrade(script_location: Path, url: str) -> None:
    """Runs a service's migrations to head against `url` (its owner role)."""
    config = Config()
    config.set_main_option("script_location", str(script_location))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    command.upgrade(config, "head")


def run_migrations_online() -> None:
    """The body of every service's Alembic env.py: migrate online against the configured URL."""
    from alembic import context
    from sqlalchemy import create_engine, pool

    url = context.config.get_main_option("sqlalchemy.url")
    assert url, "sqlalchemy.url must be set"
    engine = create_engine(url, poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(connection=connection)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()
