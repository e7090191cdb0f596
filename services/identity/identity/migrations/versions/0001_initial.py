"""Identity's tables: accounts (RLS), account directory, refresh tokens (RLS), login audit (RLS), keys.

Revision ID: 0001
Revises:
Create Date: 2026-11-20
"""

from __future__ import annotations

from alembic import op

from kinerja_kit.migrations import create_outbox_tables, create_tenant_function, enable_tenant_rls

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_tenant_function(op)
    op.execute(
        """
        create table accounts (
          instansi_id uuid not null,
          id uuid not null,
          username text not null check (length(username) between 1 and 64),
          nama text not null check (length(nama) <= 200),
          pegawai_id uuid,
          roles text[] not null,
          active boolean not null default true,
          password_hash text,
          must_change_password boolean not null default false,
          failed_attempts integer not null default 0,
          locked_until timestamptz,
          last_login_at timestamptz,
          created_at timestamptz not null default now(),
          updated_at timestamptz not null default now(),
          version bigint not null default 1,
          primary key (instansi_id, id),
          unique (instansi_id, username)
        )
        """
    )
    op.execute(
        "create unique index accounts_pegawai on accounts (instansi_id, pegawai_id) "
        "where pegawai_id is not null"
    )
    op.execute("create index accounts_username_prefix on accounts (instansi_id, username text_pattern_ops)")
    enable_tenant_rls(op, "accounts")

    # Login comes without an instansi: this national table routes a username to its tenant.
    # Deliberately minimal (no name, no hash) since it is not protected by RLS.
    op.execute(
        """
        create table account_directory (
          username text primary key,
          account_id uuid not null unique,
          instansi_id uuid not null
        )
        """
    )

    op.execute(
        """
        create table refresh_tokens (
          instansi_id uuid not null,
          id uuid not null,
          account_id uuid not null,
          family_id uuid not null,
          token_hash bytea not null,
          created_at timestamptz not null,
          expires_at timestamptz not null,
          revoked_at timestamptz,
          revoked_reason text,
          replaced_by uuid,
          primary key (instansi_id, id),
          unique (instansi_id, token_hash),
          foreign key (instansi_id, account_id) references accounts (instansi_id, id) on delete cascade
        )
        """
    )
    op.execute("create index refresh_tokens_account on refresh_tokens (instansi_id, account_id)")
    op.execute("create index refresh_tokens_family on refresh_tokens (instansi_id, family_id)")
    enable_tenant_rls(op, "refresh_tokens")

    op.execute(
        """
        create table login_audit (
          instansi_id uuid not null,
          id uuid not null,
          account_id uuid,
          username text not null,
          outcome text not null check (outcome in ('success', 'failure')),
          reason text not null,
          consecutive_failures integer not null default 0,
          locked_until timestamptz,
          request_id text not null default '',
          occurred_at timestamptz not null,
          primary key (instansi_id, id)
        )
        """
    )
    op.execute("create index login_audit_account on login_audit (instansi_id, account_id, occurred_at)")
    enable_tenant_rls(op, "login_audit")

    op.execute(
        """
        create table signing_keys (
          kid text primary key,
          private_pem text not null,
          created_at timestamptz not null,
          retired_at timestamptz
        )
        """
    )
    create_outbox_tables(op)


def downgrade() -> None:
    for table in ("signing_keys", "login_audit", "refresh_tokens", "account_directory", "accounts"):
        op.execute(f"drop table if exists {table}")
