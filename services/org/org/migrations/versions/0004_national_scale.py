"""Indexes for national scale: each list's cost bounded by its page, not by the instansi.

- `pegawai_nama_trgm`: GIN trigram on (instansi_id, nama) of active pegawai (btree_gin for the uuid):
  serves a name search `nama ILIKE '%x%'` inside one instansi; a common fragment is walked on
  `pegawai_by_nama` in order instead (the planner picks by the estimated share of matches).
- `pegawai_by_nomor`: btree on (instansi_id, coalesce(nip, nik) COLLATE "C", id) of active pegawai: a NIP
  (or NIK) prefix is a range on it, in the order a NIP search is listed, with its keyset after a page.
  COLLATE "C" so a range of digits is a byte range whatever the database's collation.
- `unor_children_by_nama`: btree on (instansi_id, parent_id, nama, id) of live unor: ListUnorChildren
  walks one parent's children in order.
- `unor_nama_trgm`: GIN trigram on (instansi_id, nama) of live unor: ListUnor's `query`.
- `profile_relations_by_atasan`: the overrides naming an atasan langsung, found from the atasan (their
  bawahan).

Already there since 0001 and used as they are: `pegawai_by_nama` (instansi_id, nama, id) where active,
`pegawai_by_unor` (instansi_id, unor_id) where active, `unor_by_parent` (instansi_id, parent_id) where
live, `plt_by_unor` (instansi_id, unor_id), `pegawai_one_pimpinan` (instansi_id, unor_id) of active heads.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Both are trusted extensions: the database owner may create them.
    op.execute("create extension if not exists pg_trgm")
    op.execute("create extension if not exists btree_gin")
    op.execute(
        "create index pegawai_nama_trgm on pegawai using gin (instansi_id, nama gin_trgm_ops) where active"
    )
    op.execute(
        'create index pegawai_by_nomor on pegawai (instansi_id, (coalesce(nip, nik) collate "C"), id) '
        "where active"
    )
    op.execute(
        "create index unor_children_by_nama on unor (instansi_id, parent_id, nama, id) "
        "where deleted_at is null"
    )
    op.execute(
        "create index unor_nama_trgm on unor using gin (instansi_id, nama gin_trgm_ops) "
        "where deleted_at is null"
    )
    op.execute(
        "create index profile_relations_by_atasan on profile_relations (instansi_id, atasan_langsung_id) "
        "where atasan_langsung_id is not null"
    )


def downgrade() -> None:
    for index in (
        "profile_relations_by_atasan",
        "unor_nama_trgm",
        "unor_children_by_nama",
        "pegawai_by_nomor",
        "pegawai_nama_trgm",
    ):
        op.execute(f"drop index if exists {index}")
