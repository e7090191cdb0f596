"""`accounts_search`: the current tenant's accounts as ListAccounts searches them, confined by the view
itself (kinerja_kit.migrations.create_tenant_search_view) so that a name fragment reaches the trigram
index of 0003 and a NIP prefix `accounts_username_prefix`: under forced row-level security neither
condition can be an index condition on the table.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

from __future__ import annotations

from alembic import op

from kinerja_kit.migrations import create_tenant_search_view, drop_tenant_search_view

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_tenant_search_view(op, "accounts_search", "accounts", "instansi_id, id, username, nama")


def downgrade() -> None:
    drop_tenant_search_view(op, "accounts_search", "accounts")
