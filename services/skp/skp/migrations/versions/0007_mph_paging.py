"""Indexes for ListMatriksPeranHasil a page at a time, newest first (tahun, id descending).

- `mph_by_tahun`: btree on (instansi_id, tahun, id), walked backwards: the instansi's matriks (of a year,
  or all years) in the list's order with its keyset (`(tahun, id) < (t, i)`, a row comparison of
  leakproof operators: an index condition under RLS).
- `mph_by_unor_tahun`: btree on (instansi_id, unor_id, tahun, id): a unit's matriks in the same order; it
  replaces `mph_by_unor` (instansi_id, unor_id, tahun), whose columns lead it.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01
"""

from __future__ import annotations

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("mph_by_tahun", "mph", ["instansi_id", "tahun", "id"])
    op.create_index("mph_by_unor_tahun", "mph", ["instansi_id", "unor_id", "tahun", "id"])
    op.drop_index("mph_by_unor", "mph")


def downgrade() -> None:
    op.create_index("mph_by_unor", "mph", ["instansi_id", "unor_id", "tahun"])
    op.drop_index("mph_by_unor_tahun", "mph")
    op.drop_index("mph_by_tahun", "mph")
