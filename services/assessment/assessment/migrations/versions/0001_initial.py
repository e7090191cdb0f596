"""Initial assessment schema: projections of skp and org, penilaian, extensions, tugas, capaian, keberatan,
the kit's outbox, processed_events and idempotency keys; RLS on every tenant table.

Revision ID: 0001
Revises:
Create Date: 2026-12-10
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB, UUID

from kinerja_kit.migrations import (
    create_idempotency_keys_table,
    create_outbox_sent_index,
    create_outbox_tables,
    create_tenant_function,
    enable_tenant_rls,
)

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TENANT_TABLES = (
    "periode_proyeksi",
    "skp_proyeksi",
    "unor_proyeksi",
    "penilaian",
    "perpanjangan_batas",
    "tugas",
    "capaian_organisasi",
    "keberatan",
)


def _uuid(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, UUID(as_uuid=True), nullable=nullable)


def _at(name: str, nullable: bool = True) -> sa.Column:
    if nullable:
        return sa.Column(name, sa.DateTime(timezone=True))
    return sa.Column(name, sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now())


def _text(name: str) -> sa.Column:
    return sa.Column(name, sa.Text, nullable=False, server_default="")


def _version() -> sa.Column:
    return sa.Column("version", sa.BigInteger, nullable=False, server_default="1")


def _projections() -> None:
    op.create_table(
        "periode_proyeksi",
        _uuid("instansi_id"),
        _uuid("id"),
        _text("nama"),
        sa.Column("mulai", sa.Text, nullable=False),
        sa.Column("selesai", sa.Text, nullable=False),
        sa.Column("batas_pengisian", sa.Text, nullable=False),
        sa.Column("jenis", sa.Text, nullable=False),
        sa.Column("version", sa.BigInteger, nullable=False),
        sa.Column("deleted", sa.Boolean, nullable=False, server_default=sa.false()),
        _at("applied_at", nullable=False),
        sa.PrimaryKeyConstraint("instansi_id", "id"),
    )
    op.create_table(
        "skp_proyeksi",
        _uuid("instansi_id"),
        _uuid("id"),
        _uuid("pegawai_id"),
        _uuid("unor_id"),
        _uuid("plt_id", nullable=True),
        sa.Column("tahun", sa.Integer, nullable=False),
        sa.Column("tanggal_mulai", sa.Date, nullable=False),
        sa.Column("tanggal_selesai", sa.Date, nullable=False),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("model", sa.Text, nullable=False),
        sa.Column("pendekatan", sa.Text, nullable=False),
        sa.Column("mandiri", sa.Boolean, nullable=False, server_default=sa.false()),
        _uuid("penilai_pegawai_id", nullable=True),
        _uuid("penilai_unor_id", nullable=True),
        _uuid("atasan_penilai_pegawai_id", nullable=True),
        _text("pegawai_nip"),
        _text("pegawai_nama"),
        _uuid("unit_kerja_id"),
        sa.Column("isi", JSONB, nullable=False),
        sa.Column("version", sa.BigInteger, nullable=False),
        sa.Column("deleted", sa.Boolean, nullable=False, server_default=sa.false()),
        _at("source_occurred_at"),
        _at("applied_at", nullable=False),
        sa.PrimaryKeyConstraint("instansi_id", "id"),
    )
    op.create_index("skp_proyeksi_by_pegawai", "skp_proyeksi", ["instansi_id", "pegawai_id", "tahun"])
    op.create_index("skp_proyeksi_by_unor", "skp_proyeksi", ["instansi_id", "unor_id"])
    op.create_index(
        "skp_proyeksi_by_unit_kerja", "skp_proyeksi", ["instansi_id", "unit_kerja_id", "tahun", "status"]
    )
    op.create_table(
        "unor_proyeksi",
        _uuid("instansi_id"),
        _uuid("id"),
        _text("nama"),
        _uuid("parent_id", nullable=True),
        sa.Column("jenis", sa.Integer, nullable=False, server_default="0"),
        sa.Column("mandiri", sa.Boolean, nullable=False, server_default=sa.false()),
        _uuid("induk_id", nullable=True),
        sa.Column("version", sa.BigInteger, nullable=False),
        sa.Column("deleted", sa.Boolean, nullable=False, server_default=sa.false()),
        _at("applied_at", nullable=False),
        sa.PrimaryKeyConstraint("instansi_id", "id"),
    )
    op.create_index("unor_proyeksi_by_nama", "unor_proyeksi", ["instansi_id", "nama", "id"])


def _penilaian() -> None:
    op.create_table(
        "penilaian",
        _uuid("instansi_id"),
        _uuid("id"),
        _uuid("skp_id"),
        _uuid("periode_id"),
        sa.Column("tahun", sa.Integer, nullable=False),
        _uuid("pegawai_id"),
        _text("pegawai_nama"),
        _text("pegawai_nip"),
        _uuid("unit_kerja_id"),
        _uuid("penilai_pegawai_id", nullable=True),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("rating_hasil_kerja", sa.SmallInteger),
        sa.Column("rating_perilaku_kerja", sa.SmallInteger),
        sa.Column("predikat", sa.SmallInteger),
        _at("dinilai_at"),
        sa.Column("isi", JSONB, nullable=False),
        _version(),
        _at("created_at", nullable=False),
        _at("updated_at", nullable=False),
        sa.PrimaryKeyConstraint("instansi_id", "id"),
        sa.CheckConstraint("status in ('DIBUKA', 'DINILAI')", name="penilaian_status_check"),
    )
    op.create_index(
        "penilaian_one_per_periode", "penilaian", ["instansi_id", "skp_id", "periode_id"], unique=True
    )
    op.create_index("penilaian_by_pegawai", "penilaian", ["instansi_id", "pegawai_id", "tahun", "id"])
    op.create_index("penilaian_by_penilai", "penilaian", ["instansi_id", "penilai_pegawai_id", "tahun", "id"])
    op.create_index(
        "penilaian_by_unit",
        "penilaian",
        ["instansi_id", "unit_kerja_id", "periode_id", "tahun", "predikat", "pegawai_nama", "id"],
    )
    op.create_index("penilaian_by_tahun", "penilaian", ["instansi_id", "tahun", "id"])
    op.create_table(
        "perpanjangan_batas",
        _uuid("instansi_id"),
        _uuid("id"),
        _uuid("periode_id"),
        sa.Column("tahun", sa.Integer, nullable=False),
        _uuid("pegawai_id", nullable=True),
        _uuid("unor_id", nullable=True),
        sa.Column("batas_baru", sa.Date, nullable=False),
        sa.Column("alasan", sa.Text, nullable=False),
        sa.Column("oleh", JSONB, nullable=False),
        _at("created_at", nullable=False),
        sa.PrimaryKeyConstraint("instansi_id", "id"),
        sa.CheckConstraint("(pegawai_id is null) <> (unor_id is null)", name="perpanjangan_target"),
    )
    op.create_index(
        "perpanjangan_by_pegawai", "perpanjangan_batas", ["instansi_id", "periode_id", "tahun", "pegawai_id"]
    )
    op.create_index(
        "perpanjangan_by_unor", "perpanjangan_batas", ["instansi_id", "periode_id", "tahun", "unor_id"]
    )
    op.create_table(
        "tugas",
        _uuid("instansi_id"),
        _uuid("id"),
        sa.Column("jenis", sa.SmallInteger, nullable=False),
        _uuid("assignee_pegawai_id", nullable=True),
        _uuid("assignee_unor_id", nullable=True),
        _uuid("subject_pegawai_id"),
        _uuid("penilaian_id"),
        _uuid("keberatan_id", nullable=True),
        _uuid("skp_id"),
        _uuid("periode_id"),
        _text("periode_nama"),
        sa.Column("batas", sa.Date),
        sa.Column("selesai", sa.Boolean, nullable=False, server_default=sa.false()),
        _text("keterangan"),
        sa.Column("sebagai", sa.SmallInteger, nullable=False, server_default="0"),
        sa.Column("nilai", JSONB, nullable=False, server_default="[]"),
        sa.Column("pegawai", JSONB, nullable=False),
        _at("created_at", nullable=False),
        sa.PrimaryKeyConstraint("instansi_id", "id"),
    )
    open_only = sa.text("not selesai")
    op.create_index(
        "tugas_by_assignee",
        "tugas",
        ["instansi_id", "assignee_pegawai_id", "selesai", "jenis", "id"],
        postgresql_where=open_only,
    )
    op.create_index(
        "tugas_by_assignee_unor",
        "tugas",
        ["instansi_id", "assignee_unor_id", "selesai", "jenis", "id"],
        postgresql_where=open_only,
    )
    op.create_index(
        "tugas_by_subject", "tugas", ["instansi_id", "subject_pegawai_id", "selesai", "jenis", "id"]
    )
    op.create_index("tugas_by_penilaian", "tugas", ["instansi_id", "penilaian_id"])


def _capaian_keberatan() -> None:
    op.create_table(
        "capaian_organisasi",
        _uuid("instansi_id"),
        _uuid("id"),
        sa.Column("tahun", sa.Integer, nullable=False),
        _uuid("periode_id"),
        _uuid("unor_id"),
        sa.Column("capaian", sa.SmallInteger, nullable=False),
        _text("bukti_dukung_url"),
        sa.Column("final", sa.Boolean, nullable=False, server_default=sa.false()),
        _at("finalised_at"),
        sa.Column("diubah_oleh", JSONB, nullable=False),
        _version(),
        _at("created_at", nullable=False),
        _at("updated_at", nullable=False),
        sa.PrimaryKeyConstraint("instansi_id", "id"),
    )
    op.create_index(
        "capaian_one_per_unit",
        "capaian_organisasi",
        ["instansi_id", "tahun", "periode_id", "unor_id"],
        unique=True,
    )
    op.create_table(
        "keberatan",
        _uuid("instansi_id"),
        _uuid("id"),
        _uuid("penilaian_id"),
        _uuid("skp_id"),
        _uuid("periode_id"),
        sa.Column("tahun", sa.Integer, nullable=False),
        _uuid("pegawai_id"),
        _text("pegawai_nama"),
        _text("pegawai_nip"),
        _uuid("penilai_pegawai_id", nullable=True),
        _uuid("atasan_penilai_pegawai_id", nullable=True),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("alasan", sa.Text, nullable=False),
        sa.Column("sebelum", JSONB, nullable=False),
        sa.Column("diminta", JSONB, nullable=False),
        sa.Column("sesudah", JSONB),
        _text("penjelasan_penilai"),
        sa.Column("dijelaskan_oleh", JSONB),
        _at("dijelaskan_at"),
        _text("keputusan"),
        sa.Column("diputuskan_oleh", JSONB),
        _at("diajukan_at", nullable=False),
        _at("dicek_at"),
        _at("diputuskan_at"),
        sa.Column("batas_pengajuan", sa.Date, nullable=False),
        _version(),
        _at("updated_at", nullable=False),
        sa.PrimaryKeyConstraint("instansi_id", "id"),
        sa.CheckConstraint(
            "status in ('DIAJUKAN', 'DISETUJUI', 'DITOLAK', 'TERLAMBAT')", name="keberatan_status_check"
        ),
    )
    op.create_index(
        "keberatan_one_open",
        "keberatan",
        ["instansi_id", "penilaian_id"],
        unique=True,
        postgresql_where=sa.text("status = 'DIAJUKAN'"),
    )
    op.create_index("keberatan_by_penilaian", "keberatan", ["instansi_id", "penilaian_id"])
    op.create_index("keberatan_by_pegawai", "keberatan", ["instansi_id", "pegawai_id", "id"])
    op.create_index("keberatan_by_penilai", "keberatan", ["instansi_id", "penilai_pegawai_id", "id"])
    op.create_index("keberatan_by_atasan", "keberatan", ["instansi_id", "atasan_penilai_pegawai_id", "id"])
    op.create_index("keberatan_by_nama", "keberatan", ["instansi_id", "pegawai_nama", "id"])


def upgrade() -> None:
    create_tenant_function(op)
    create_outbox_tables(op)
    create_outbox_sent_index(op)
    create_idempotency_keys_table(op)
    _projections()
    _penilaian()
    _capaian_keberatan()
    for table in TENANT_TABLES:
        enable_tenant_rls(op, table)


def downgrade() -> None:
    for table in reversed(TENANT_TABLES):
        op.drop_table(table)
