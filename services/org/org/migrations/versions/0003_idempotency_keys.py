"""The idempotency keys of creates (kinerja_kit.idempotency): a retried create with the same key answers
its first result. Tenant data: RLS forced, `instansi_id` leading the key and the index.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01
"""

from __future__ import annotations

from alembic import op

from kinerja_kit.migrations import create_idempotency_keys_table, drop_idempotency_keys_table

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_idempotency_keys_table(op)


def downgrade() -> None:
    drop_idempotency_keys_table(op)
