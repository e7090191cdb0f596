"""The tables of the angka kredit service (SQLAlchemy Core; the schema itself is the migrations')."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Integer,
    LargeBinary,
    MetaData,
    Table,
    Text,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID

metadata = MetaData()

# Every table with rows of one instansi (RLS forced on each).
TENANT_TABLES = ("pak", "sk_berkas", "pengaturan_pak", "nomor_sk_counter")


def _pak_columns() -> list[Column]:  # type: ignore[type-arg]
    return [
        Column("instansi_id", UUID(as_uuid=True), primary_key=True),
        Column("id", UUID(as_uuid=True), primary_key=True),
        Column("sumber", Text, nullable=False),
        Column("status", Text, nullable=False),
        Column("tahun", Integer, nullable=False),
        Column("pegawai_id", UUID(as_uuid=True), nullable=False),
        Column("nip", Text, nullable=False),
        Column("nama", Text, nullable=False),
        Column("jabatan", Text, nullable=False),
        Column("jenjang", Text, nullable=False),
        Column("golongan", Text, nullable=False),
        Column("tmt_jabatan", Date),
        Column("skp_id", UUID(as_uuid=True)),
        Column("periode_id", UUID(as_uuid=True)),
        Column("penilaian_id", UUID(as_uuid=True)),
        Column("tanggal_mulai", Date, nullable=False),
        Column("tanggal_selesai", Date, nullable=False),
        Column("ak_num", BigInteger, nullable=False),
        Column("ak_den", BigInteger, nullable=False),
        Column("penilai_id", UUID(as_uuid=True)),
        Column("nomor_sk", Text),
        Column("tahun_sk", Integer),
        Column("tempat", Text, nullable=False),
        Column("tanggal_sk", Date),
        Column("perlu_pak_baru", Boolean, nullable=False),
        Column("dokumen", JSONB, nullable=False),
        Column("version", BigInteger, nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False),
        Column("updated_at", DateTime(timezone=True), nullable=False),
    ]


pak = Table("pak", metadata, *_pak_columns())

# The tenant search view of pak (same columns): name and jabatan fragments reach their trigram indexes.
pak_cari = Table("pak_cari", metadata, *_pak_columns())

sk_berkas = Table(
    "sk_berkas",
    metadata,
    Column("instansi_id", UUID(as_uuid=True), primary_key=True),
    Column("pak_id", UUID(as_uuid=True), primary_key=True),
    Column("sha256", Text, nullable=False),
    Column("nama_berkas", Text, nullable=False),
    Column("ukuran", BigInteger, nullable=False),
    Column("isi", LargeBinary, nullable=False),
    Column("uploaded_at", DateTime(timezone=True), nullable=False),
    Column("uploaded_by", JSONB, nullable=False),
)

pengaturan_pak = Table(
    "pengaturan_pak",
    metadata,
    Column("instansi_id", UUID(as_uuid=True), primary_key=True),
    Column("mode", Text, nullable=False),
    Column("format_nomor", Text, nullable=False),
    Column("tempat", Text, nullable=False),
    Column("version", BigInteger, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("diubah_oleh", JSONB),
)

nomor_sk_counter = Table(
    "nomor_sk_counter",
    metadata,
    Column("instansi_id", UUID(as_uuid=True), primary_key=True),
    Column("tahun", Integer, primary_key=True),
    Column("berikutnya", BigInteger, nullable=False),
)
