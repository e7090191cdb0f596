"""National scale: every list's cost bounded by its page (or by the caller's own bawahan), not the instansi.

Each list walks an index that serves its filters and its order (keyset by pegawai or unit name, id),
so a page reads its rows and stops, and its count (bounded at the kit's COUNT_LIMIT) reads at most that
many index entries:

- `penilaian`: by name (the admin's list without filters), by year and name (it replaces
  penilaian_by_tahun, whose columns lead it), by periode and year and name, by periode, year, status
  and name, by unit kerja, periode, year and name (kalibrasi without a predikat, the unit's list), by
  penilai, year, periode and name (the bawahan list's own penilai; it replaces penilaian_by_penilai),
  and by pegawai, year, periode and name (one probe per bawahan org names, answered from the index;
  it replaces penilaian_by_pegawai).
- `penilaian.penilai_unor_id`: the unit of the penilai named on the SKP (as `skp_proyeksi` holds it,
  following every SKP event with the penilai's other header columns), so the bawahan list of whoever
  leads that unit today walks its own index too (by penilai unit, year, periode and name).
- `capaian_organisasi.unor_nama`: the unit's name kept with the capaian (filled from unor_proyeksi,
  renamed with it by org's unor events), so the capaian list walks its own index by name (all, and
  by year and periode), and a trigram GIN (instansi_id leading, btree_gin) serves the unit name search.
- `keberatan`: a trigram GIN on the pegawai's name for the name search, and a btree on the NIP in byte
  order (COLLATE "C") for the NIP prefix search, walked in NIP order.
- `perpanjangan_batas` by periode, year and id: the extensions of a periode in the list's order.

pg_trgm and btree_gin are trusted extensions: the database's owner may create them.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-15
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import UUID

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

PENILAIAN = {
    "penilaian_by_nama": ["instansi_id", "pegawai_nama", "id"],
    "penilaian_by_tahun_nama": ["instansi_id", "tahun", "pegawai_nama", "id"],
    "penilaian_by_periode_nama": ["instansi_id", "periode_id", "tahun", "pegawai_nama", "id"],
    "penilaian_by_periode_status_nama": [
        "instansi_id",
        "periode_id",
        "tahun",
        "status",
        "pegawai_nama",
        "id",
    ],
    "penilaian_by_unit_nama": ["instansi_id", "unit_kerja_id", "periode_id", "tahun", "pegawai_nama", "id"],
    "penilaian_by_penilai_nama": [
        "instansi_id",
        "penilai_pegawai_id",
        "tahun",
        "periode_id",
        "pegawai_nama",
        "id",
    ],
    "penilaian_by_pegawai_nama": ["instansi_id", "pegawai_id", "tahun", "periode_id", "pegawai_nama", "id"],
    "penilaian_by_penilai_unor_nama": [
        "instansi_id",
        "penilai_unor_id",
        "tahun",
        "periode_id",
        "pegawai_nama",
        "id",
    ],
}
REPLACED = {
    "penilaian_by_pegawai": ["instansi_id", "pegawai_id", "tahun", "id"],
    "penilaian_by_tahun": ["instansi_id", "tahun", "id"],
    "penilaian_by_penilai": ["instansi_id", "penilai_pegawai_id", "tahun", "id"],
}


# The rows kept so far get the copied columns from the projections. RLS, forced on these tables, would
# show the owner no row: it is lifted for the copy and forced again in the same transaction.
FILLED = ("penilaian", "skp_proyeksi", "capaian_organisasi", "unor_proyeksi")


def upgrade() -> None:
    op.execute("create extension if not exists pg_trgm")
    op.execute("create extension if not exists btree_gin")
    op.add_column("penilaian", sa.Column("penilai_unor_id", UUID(as_uuid=True), nullable=True))
    op.add_column("capaian_organisasi", sa.Column("unor_nama", sa.Text, nullable=False, server_default=""))
    for table in FILLED:
        op.execute(f"alter table {table} no force row level security")
    op.execute(
        "update penilaian p set penilai_unor_id = s.penilai_unor_id from skp_proyeksi s "
        "where s.instansi_id = p.instansi_id and s.id = p.skp_id and s.penilai_unor_id is not null"
    )
    op.execute(
        "update capaian_organisasi c set unor_nama = u.nama from unor_proyeksi u "
        "where u.instansi_id = c.instansi_id and u.id = c.unor_id"
    )
    for table in FILLED:
        op.execute(f"alter table {table} force row level security")

    for name, columns in PENILAIAN.items():
        op.create_index(name, "penilaian", columns)
    for name in REPLACED:
        op.drop_index(name, "penilaian")
    op.create_index("capaian_by_nama", "capaian_organisasi", ["instansi_id", "unor_nama", "id"])
    op.create_index(
        "capaian_by_periode_nama",
        "capaian_organisasi",
        ["instansi_id", "tahun", "periode_id", "unor_nama", "id"],
    )
    op.create_index("capaian_by_unor", "capaian_organisasi", ["instansi_id", "unor_id"])
    op.execute(
        "create index capaian_unor_nama_trgm on capaian_organisasi using gin (instansi_id, unor_nama gin_trgm_ops)"
    )

    op.execute(
        "create index keberatan_nama_trgm on keberatan using gin (instansi_id, pegawai_nama gin_trgm_ops)"
    )
    op.execute('create index keberatan_by_nip on keberatan (instansi_id, (pegawai_nip collate "C"), id)')
    op.create_index(
        "perpanjangan_by_periode", "perpanjangan_batas", ["instansi_id", "periode_id", "tahun", "id"]
    )


def downgrade() -> None:
    op.drop_index("perpanjangan_by_periode", "perpanjangan_batas")
    op.drop_index("keberatan_by_nip", "keberatan")
    op.drop_index("keberatan_nama_trgm", "keberatan")
    for name in ("capaian_unor_nama_trgm", "capaian_by_unor", "capaian_by_periode_nama", "capaian_by_nama"):
        op.drop_index(name, "capaian_organisasi")
    op.drop_column("capaian_organisasi", "unor_nama")
    for name, columns in REPLACED.items():
        op.create_index(name, "penilaian", columns)
    for name in PENILAIAN:
        op.drop_index(name, "penilaian")
    op.drop_column("penilaian", "penilai_unor_id")
