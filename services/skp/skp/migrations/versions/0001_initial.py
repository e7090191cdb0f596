"""Initial skp schema: periode, perjanjian_kinerja, skp, mph, mph_anggota, kinerja_harian, outbox; RLS.

Revision ID: 0001
Revises:
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB, UUID

from kinerja_kit.migrations import create_outbox_tables, create_tenant_function, enable_tenant_rls

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TENANT_TABLES = ("periode", "perjanjian_kinerja", "skp", "mph", "mph_anggota", "kinerja_harian")


def _uuid(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, UUID(as_uuid=True), nullable=nullable)


def _stamps(updated: bool = True) -> list[sa.Column]:
    columns: list[sa.Column] = [
        sa.Column("version", sa.BigInteger, nullable=False, server_default="1"),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    ]
    if updated:
        columns.append(
            sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now())
        )
    return columns


def upgrade() -> None:
    create_tenant_function(op)
    create_outbox_tables(op)

    op.create_table(
        "periode",
        _uuid("instansi_id"),
        _uuid("id"),
        sa.Column("nama", sa.Text, nullable=False),
        sa.Column("mulai", sa.Text, nullable=False),
        sa.Column("selesai", sa.Text, nullable=False),
        sa.Column("batas_pengisian", sa.Text, nullable=False),
        sa.Column("jenis", sa.Text, nullable=False),
        *_stamps(),
        sa.PrimaryKeyConstraint("instansi_id", "id"),
        sa.CheckConstraint(
            "mulai ~ '^[0-9]{2}-[0-9]{2}$' and selesai ~ '^[0-9]{2}-[0-9]{2}$'", name="periode_days"
        ),
        sa.CheckConstraint("mulai <= selesai", name="periode_order"),
        sa.CheckConstraint("jenis in ('BIASA', 'FINAL')", name="periode_jenis_check"),
    )

    op.create_table(
        "perjanjian_kinerja",
        _uuid("instansi_id"),
        _uuid("id"),
        _uuid("pegawai_id"),
        sa.Column("tahun", sa.Integer, nullable=False),
        sa.Column("sasaran", JSONB, nullable=False, server_default="[]"),
        *_stamps(),
        sa.PrimaryKeyConstraint("instansi_id", "id"),
    )
    op.create_index(
        "perjanjian_kinerja_one_per_year",
        "perjanjian_kinerja",
        ["instansi_id", "pegawai_id", "tahun"],
        unique=True,
    )

    op.create_table(
        "skp",
        _uuid("instansi_id"),
        _uuid("id"),
        _uuid("pegawai_id"),
        _uuid("unor_id"),
        _uuid("plt_id", nullable=True),
        sa.Column("tahun", sa.Integer, nullable=False),
        sa.Column("tanggal_mulai", sa.Date, nullable=False),
        sa.Column("tanggal_selesai", sa.Date, nullable=False),
        sa.Column("pendekatan", sa.Text, nullable=False),
        sa.Column("model", sa.Text, nullable=False),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("mandiri", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("pegawai_nip", sa.Text, nullable=False, server_default=""),
        sa.Column("pegawai_nama", sa.Text, nullable=False, server_default=""),
        sa.Column("pegawai", JSONB, nullable=False),
        sa.Column("penilai", JSONB),
        _uuid("penilai_pegawai_id", nullable=True),
        _uuid("penilai_unor_id", nullable=True),
        sa.Column("atasan_penilai", JSONB),
        sa.Column("isi", JSONB, nullable=False),
        sa.Column("alasan_dikembalikan", sa.Text, nullable=False, server_default=""),
        sa.Column("diajukan_at", sa.DateTime(timezone=True)),
        sa.Column("disetujui_at", sa.DateTime(timezone=True)),
        sa.Column("dikembalikan_at", sa.DateTime(timezone=True)),
        *_stamps(),
        sa.Column("deleted_at", sa.DateTime(timezone=True)),
        sa.PrimaryKeyConstraint("instansi_id", "id"),
        sa.CheckConstraint("tanggal_mulai <= tanggal_selesai", name="skp_period_order"),
        sa.CheckConstraint("extract(year from tanggal_mulai) = tahun", name="skp_tahun"),
        sa.CheckConstraint("extract(year from tanggal_selesai) = tahun", name="skp_one_year"),
        sa.CheckConstraint("status in ('DRAFT', 'DIAJUKAN', 'DISETUJUI')", name="skp_status_check"),
        sa.CheckConstraint("pendekatan in ('KUANTITATIF', 'KUALITATIF')", name="skp_pendekatan_check"),
        sa.CheckConstraint("model in ('JPT', 'JA_JF')", name="skp_model_check"),
    )
    live = "deleted_at is null"
    op.create_index("skp_by_pegawai", "skp", ["instansi_id", "pegawai_id", "tahun"], postgresql_where=live)
    op.create_index(
        "skp_by_penilai", "skp", ["instansi_id", "penilai_pegawai_id", "tahun"], postgresql_where=live
    )
    op.create_index(
        "skp_by_penilai_unor", "skp", ["instansi_id", "penilai_unor_id", "tahun"], postgresql_where=live
    )
    op.create_index("skp_by_nama", "skp", ["instansi_id", "pegawai_nama", "id"], postgresql_where=live)
    op.create_index("skp_by_unor", "skp", ["instansi_id", "unor_id", "tahun"], postgresql_where=live)

    op.create_table(
        "mph",
        _uuid("instansi_id"),
        _uuid("id"),
        _uuid("skp_id"),
        _uuid("rhk_id"),
        _uuid("pemilik_pegawai_id"),
        sa.Column("tahun", sa.Integer, nullable=False),
        _uuid("unor_id"),
        sa.Column("rhk_teks", sa.Text, nullable=False),
        sa.Column("pemilik", JSONB, nullable=False),
        sa.Column("kolom", JSONB, nullable=False, server_default="[]"),
        *_stamps(),
        sa.PrimaryKeyConstraint("instansi_id", "id"),
        sa.ForeignKeyConstraint(["instansi_id", "skp_id"], ["skp.instansi_id", "skp.id"], name="mph_skp_fk"),
    )
    op.create_index("mph_one_per_rhk", "mph", ["instansi_id", "skp_id", "rhk_id"], unique=True)
    op.create_index("mph_by_unor", "mph", ["instansi_id", "unor_id", "tahun"])

    op.create_table(
        "mph_anggota",
        _uuid("instansi_id"),
        _uuid("id"),
        _uuid("mph_id"),
        _uuid("pegawai_id"),
        sa.Column("pegawai", JSONB, nullable=False),
        sa.Column("peran_tim", sa.Text, nullable=False),
        sa.Column("peran", JSONB, nullable=False, server_default="{}"),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.PrimaryKeyConstraint("instansi_id", "id"),
        sa.ForeignKeyConstraint(
            ["instansi_id", "mph_id"],
            ["mph.instansi_id", "mph.id"],
            name="mph_anggota_mph_fk",
            ondelete="CASCADE",
        ),
        sa.CheckConstraint("peran_tim in ('KETUA', 'ANGGOTA')", name="mph_anggota_peran_tim_check"),
    )
    op.create_index("mph_anggota_once", "mph_anggota", ["instansi_id", "mph_id", "pegawai_id"], unique=True)
    op.create_index("mph_anggota_by_pegawai", "mph_anggota", ["instansi_id", "pegawai_id"])

    op.create_table(
        "kinerja_harian",
        _uuid("instansi_id"),
        _uuid("id"),
        _uuid("skp_id"),
        _uuid("pegawai_id"),
        sa.Column("tanggal", sa.Date, nullable=False),
        sa.Column("uraian", sa.Text, nullable=False),
        _uuid("indikator_id"),
        _uuid("rhk_id"),
        sa.Column("realisasi", sa.Numeric(20, 4), nullable=False),
        sa.Column("satuan", sa.Text, nullable=False, server_default=""),
        *_stamps(),
        sa.PrimaryKeyConstraint("instansi_id", "id"),
        sa.ForeignKeyConstraint(
            ["instansi_id", "skp_id"], ["skp.instansi_id", "skp.id"], name="kinerja_harian_skp_fk"
        ),
        sa.CheckConstraint("realisasi >= 0", name="kinerja_harian_realisasi"),
    )
    op.create_index("kinerja_harian_by_skp", "kinerja_harian", ["instansi_id", "skp_id", "tanggal"])

    for table in TENANT_TABLES:
        enable_tenant_rls(op, table)


def downgrade() -> None:
    for table in ("kinerja_harian", "mph_anggota", "mph", "skp", "perjanjian_kinerja", "periode"):
        op.drop_table(table)
