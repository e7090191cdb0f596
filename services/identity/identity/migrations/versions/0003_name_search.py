"""A trigram index on the account's name: the admin's account list searches part of a name (ILIKE
'%x%'), which without it reads every account of the instansi that sorts before the page's end.

pg_trgm is a trusted extension: the database's owner may create it.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("create extension if not exists pg_trgm")
    op.execute("create index accounts_nama_trgm on accounts using gin (nama gin_trgm_ops)")


def downgrade() -> None:
    op.execute("drop index if exists accounts_nama_trgm")
