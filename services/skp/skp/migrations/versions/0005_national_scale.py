"""National scale: the SKP list's cost bounded by its page, and the digest of imported SKPs.

- A trigram GIN index on the pegawai's name, led by instansi_id (btree_gin), for the name search
  (ILIKE '%x%'), which without it reads the whole instansi's name index up to the page.
- A btree on the NIP in byte order (COLLATE "C") for the NIP prefix search, which then walks the
  matches in NIP order (the list's order when it searches a NIP) instead of sorting all of them.
- Ordered walks for the year filter (by year, and by year and status) and for a unit's list (by unit
  and year; it replaces skp_by_unor, whose columns lead it).
- `import_digest`: an SKP made by ImportSkp keeps the digest of the item it came from, so that the same
  item sent again is counted unchanged and another item with its id is refused.

pg_trgm and btree_gin are trusted extensions: the database's owner may create them.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

LIVE = sa.text("deleted_at is null")


def upgrade() -> None:
    op.execute("create extension if not exists pg_trgm")
    op.execute("create extension if not exists btree_gin")
    op.add_column("skp", sa.Column("import_digest", sa.Text(), nullable=True))
    op.execute(
        "create index skp_nama_trgm on skp using gin (instansi_id, pegawai_nama gin_trgm_ops) "
        "where deleted_at is null"
    )
    op.execute(
        'create index skp_by_nip on skp (instansi_id, (pegawai_nip collate "C"), id) where deleted_at is null'
    )
    op.create_index(
        "skp_by_tahun_nama", "skp", ["instansi_id", "tahun", "pegawai_nama", "id"], postgresql_where=LIVE
    )
    op.create_index(
        "skp_by_tahun_status_nama",
        "skp",
        ["instansi_id", "tahun", "status", "pegawai_nama", "id"],
        postgresql_where=LIVE,
    )
    op.create_index(
        "skp_by_unor_nama",
        "skp",
        ["instansi_id", "unor_id", "tahun", "pegawai_nama", "id"],
        postgresql_where=LIVE,
    )
    op.drop_index("skp_by_unor", "skp")


def downgrade() -> None:
    op.create_index("skp_by_unor", "skp", ["instansi_id", "unor_id", "tahun"], postgresql_where=LIVE)
    for name in (
        "skp_by_unor_nama",
        "skp_by_tahun_status_nama",
        "skp_by_tahun_nama",
        "skp_by_nip",
        "skp_nama_trgm",
    ):
        op.drop_index(name, "skp")
    op.drop_column("skp", "import_digest")
