"""Initial angka kredit schema: pak, sk_berkas, pengaturan_pak, nomor_sk_counter, the kit's outbox,
processed_events and idempotency keys; RLS on every tenant table; the indexes of the lists and the tenant
search view of the name search.

Revision ID: 0001
Revises:
Create Date: 2027-01-05
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
    create_tenant_search_view,
    drop_idempotency_keys_table,
    drop_tenant_search_view,
    enable_tenant_rls,
)

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TENANT_TABLES = ("pak", "sk_berkas", "pengaturan_pak", "nomor_sk_counter")
MAX_BERKAS = 1_048_576


def _uuid(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, UUID(as_uuid=True), nullable=nullable)


def _text(name: str) -> sa.Column:
    return sa.Column(name, sa.Text, nullable=False, server_default="")


def _at(name: str) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now())


def upgrade() -> None:
    create_tenant_function(op)
    op.execute("create extension if not exists pg_trgm")
    op.execute("create extension if not exists btree_gin")
    op.create_table(
        "pak",
        _uuid("instansi_id"),
        _uuid("id"),
        sa.Column("sumber", sa.Text, nullable=False),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("tahun", sa.Integer, nullable=False),
        _uuid("pegawai_id"),
        _text("nip"),
        _text("nama"),
        _text("jabatan"),
        _text("jenjang"),
        _text("golongan"),
        sa.Column("tmt_jabatan", sa.Date),
        _uuid("skp_id", nullable=True),
        _uuid("periode_id", nullable=True),
        _uuid("penilaian_id", nullable=True),
        sa.Column("tanggal_mulai", sa.Date, nullable=False),
        sa.Column("tanggal_selesai", sa.Date, nullable=False),
        sa.Column("ak_num", sa.BigInteger, nullable=False),
        sa.Column("ak_den", sa.BigInteger, nullable=False),
        _uuid("penilai_id", nullable=True),
        sa.Column("nomor_sk", sa.Text),
        # The year the SK number is unique in: the year of tanggal_sk (or the PAK's tahun).
        sa.Column("tahun_sk", sa.Integer),
        _text("tempat"),
        sa.Column("tanggal_sk", sa.Date),
        sa.Column("perlu_pak_baru", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("dokumen", JSONB, nullable=False),
        sa.Column("version", sa.BigInteger, nullable=False, server_default="1"),
        _at("created_at"),
        _at("updated_at"),
        sa.PrimaryKeyConstraint("instansi_id", "id"),
        sa.CheckConstraint("ak_den > 0 and ak_num >= 0", name="pak_ak_positive"),
    )
    op.create_index(
        "pak_penilaian",
        "pak",
        ["instansi_id", "penilaian_id"],
        unique=True,
        postgresql_where=sa.text("penilaian_id is not null"),
    )
    op.create_index(
        "pak_nomor_sk",
        "pak",
        ["instansi_id", "tahun_sk", "nomor_sk"],
        unique=True,
        postgresql_where=sa.text("nomor_sk is not null"),
    )
    # A pegawai's PAKs in their order (kumulatif, cascade, forecast, the SAYA list).
    op.create_index("pak_pegawai", "pak", ["instansi_id", "pegawai_id", "tanggal_selesai", "id"])
    # INSTANSI lists of a year, by name or by NIP.
    op.create_index("pak_tahun_nama", "pak", ["instansi_id", "tahun", "nama", "id"])
    op.create_index("pak_tahun_nip", "pak", ["instansi_id", "tahun", "nip", "id"])
    # PERSETUJUAN: the submitted PAK a penilai approves, by name.
    op.create_index(
        "pak_persetujuan",
        "pak",
        ["instansi_id", "penilai_id", "nama", "id"],
        postgresql_where=sa.text("status = 'DIAJUKAN'"),
    )
    op.create_index(
        "pak_perlu_baru",
        "pak",
        ["instansi_id", "tahun", "nama", "id"],
        postgresql_where=sa.text("perlu_pak_baru"),
    )
    op.execute("create index pak_nama_trgm on pak using gin (instansi_id, nama gin_trgm_ops)")
    op.execute("create index pak_jabatan_trgm on pak using gin (instansi_id, jabatan gin_trgm_ops)")
    op.create_table(
        "sk_berkas",
        _uuid("instansi_id"),
        _uuid("pak_id"),
        sa.Column("sha256", sa.Text, nullable=False),
        sa.Column("nama_berkas", sa.Text, nullable=False),
        sa.Column("ukuran", sa.BigInteger, nullable=False),
        sa.Column("isi", sa.LargeBinary, nullable=False),
        _at("uploaded_at"),
        sa.Column("uploaded_by", JSONB, nullable=False),
        sa.PrimaryKeyConstraint("instansi_id", "pak_id"),
        sa.ForeignKeyConstraint(["instansi_id", "pak_id"], ["pak.instansi_id", "pak.id"], ondelete="cascade"),
        sa.CheckConstraint(f"octet_length(isi) <= {MAX_BERKAS}", name="sk_berkas_ukuran"),
    )
    op.create_table(
        "pengaturan_pak",
        _uuid("instansi_id"),
        sa.Column("mode", sa.Text, nullable=False),
        sa.Column("format_nomor", sa.Text, nullable=False),
        _text("tempat"),
        sa.Column("version", sa.BigInteger, nullable=False, server_default="1"),
        _at("updated_at"),
        sa.Column("diubah_oleh", JSONB),
        sa.PrimaryKeyConstraint("instansi_id"),
    )
    op.create_table(
        "nomor_sk_counter",
        _uuid("instansi_id"),
        sa.Column("tahun", sa.Integer, nullable=False),
        sa.Column("berikutnya", sa.BigInteger, nullable=False),
        sa.PrimaryKeyConstraint("instansi_id", "tahun"),
    )
    for table in TENANT_TABLES:
        enable_tenant_rls(op, table)
    # The name and jabatan search reads through this view, so that the trigram conditions reach their
    # indexes under forced RLS (kinerja_kit.migrations.create_tenant_search_view).
    create_tenant_search_view(op, "pak_cari", "pak", "*")
    create_outbox_tables(op)
    create_outbox_sent_index(op)
    create_idempotency_keys_table(op)


def downgrade() -> None:
    drop_tenant_search_view(op, "pak_cari", "pak")
    drop_idempotency_keys_table(op)
    for table in ("sk_berkas", "nomor_sk_counter", "pengaturan_pak", "pak", "outbox", "processed_events"):
        op.execute(f"drop table if exists {table}")
