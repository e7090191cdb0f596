"""SQLAlchemy 2 models of the skp tables (the schema itself is created by the Alembic migration)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Integer,
    MetaData,
    Numeric,
    Table,
    Text,
    func,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    """Declarative base of the skp service only."""


def _uuid(primary_key: bool = False, nullable: bool = False) -> Mapped[Any]:
    return mapped_column(UUID(as_uuid=True), primary_key=primary_key, nullable=nullable)


class PeriodeRow(Base):
    __tablename__ = "periode"

    instansi_id: Mapped[uuid.UUID] = _uuid(primary_key=True)
    id: Mapped[uuid.UUID] = _uuid(primary_key=True)
    nama: Mapped[str] = mapped_column(Text)
    mulai: Mapped[str] = mapped_column(Text)
    selesai: Mapped[str] = mapped_column(Text)
    batas_pengisian: Mapped[str] = mapped_column(Text)
    jenis: Mapped[str] = mapped_column(Text)
    version: Mapped[int] = mapped_column(BigInteger, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class PerjanjianKinerjaRow(Base):
    """A JPT's perjanjian kinerja of one year; its sasaran strategis (with indikator) as a document."""

    __tablename__ = "perjanjian_kinerja"

    instansi_id: Mapped[uuid.UUID] = _uuid(primary_key=True)
    id: Mapped[uuid.UUID] = _uuid(primary_key=True)
    pegawai_id: Mapped[uuid.UUID] = _uuid()
    tahun: Mapped[int] = mapped_column(Integer)
    sasaran: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list)
    version: Mapped[int] = mapped_column(BigInteger, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class SkpRow(Base):
    """One SKP: header columns that lists filter on, snapshots, and the content document `isi`."""

    __tablename__ = "skp"

    instansi_id: Mapped[uuid.UUID] = _uuid(primary_key=True)
    id: Mapped[uuid.UUID] = _uuid(primary_key=True)
    pegawai_id: Mapped[uuid.UUID] = _uuid()
    unor_id: Mapped[uuid.UUID] = _uuid()
    plt_id: Mapped[uuid.UUID | None] = _uuid(nullable=True)
    tahun: Mapped[int] = mapped_column(Integer)
    tanggal_mulai: Mapped[date] = mapped_column(Date)
    tanggal_selesai: Mapped[date] = mapped_column(Date)
    pendekatan: Mapped[str] = mapped_column(Text)
    model: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(Text)
    mandiri: Mapped[bool] = mapped_column(Boolean, default=False)
    pegawai_nip: Mapped[str] = mapped_column(Text, default="")
    pegawai_nama: Mapped[str] = mapped_column(Text, default="")
    pegawai: Mapped[dict[str, Any]] = mapped_column(JSONB)
    penilai: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    penilai_pegawai_id: Mapped[uuid.UUID | None] = _uuid(nullable=True)
    penilai_unor_id: Mapped[uuid.UUID | None] = _uuid(nullable=True)
    atasan_penilai: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    isi: Mapped[dict[str, Any]] = mapped_column(JSONB)
    alasan_dikembalikan: Mapped[str] = mapped_column(Text, default="")
    diajukan_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    disetujui_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    dikembalikan_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    version: Mapped[int] = mapped_column(BigInteger, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # ImportSkp: the digest of the item the SKP was imported from (a repeat is recognised by it).
    import_digest: Mapped[str | None] = mapped_column(Text, nullable=True)


class MphRow(Base):
    """The matriks peran hasil of one RHK: its columns (produk / layanan) as a document."""

    __tablename__ = "mph"

    instansi_id: Mapped[uuid.UUID] = _uuid(primary_key=True)
    id: Mapped[uuid.UUID] = _uuid(primary_key=True)
    skp_id: Mapped[uuid.UUID] = _uuid()
    rhk_id: Mapped[uuid.UUID] = _uuid()
    pemilik_pegawai_id: Mapped[uuid.UUID] = _uuid()
    tahun: Mapped[int] = mapped_column(Integer)
    unor_id: Mapped[uuid.UUID] = _uuid()
    rhk_teks: Mapped[str] = mapped_column(Text)
    pemilik: Mapped[dict[str, Any]] = mapped_column(JSONB)
    kolom: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list)
    version: Mapped[int] = mapped_column(BigInteger, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class MphAnggotaRow(Base):
    """A bawahan on a matriks peran hasil: ketua or anggota tim, with a peran per column."""

    __tablename__ = "mph_anggota"

    instansi_id: Mapped[uuid.UUID] = _uuid(primary_key=True)
    id: Mapped[uuid.UUID] = _uuid(primary_key=True)
    mph_id: Mapped[uuid.UUID] = _uuid()
    pegawai_id: Mapped[uuid.UUID] = _uuid()
    pegawai: Mapped[dict[str, Any]] = mapped_column(JSONB)
    peran_tim: Mapped[str] = mapped_column(Text)
    # kolom id -> peran text
    peran: Mapped[dict[str, str]] = mapped_column(JSONB, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class KinerjaHarianRow(Base):
    __tablename__ = "kinerja_harian"

    instansi_id: Mapped[uuid.UUID] = _uuid(primary_key=True)
    id: Mapped[uuid.UUID] = _uuid(primary_key=True)
    skp_id: Mapped[uuid.UUID] = _uuid()
    pegawai_id: Mapped[uuid.UUID] = _uuid()
    tanggal: Mapped[date] = mapped_column(Date)
    uraian: Mapped[str] = mapped_column(Text)
    indikator_id: Mapped[uuid.UUID] = _uuid()
    rhk_id: Mapped[uuid.UUID] = _uuid()
    realisasi: Mapped[Decimal] = mapped_column(Numeric(20, 4))
    satuan: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(BigInteger, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


skp_search = Table(
    "skp_search",
    MetaData(),
    Column("instansi_id", UUID(as_uuid=True)),
    Column("id", UUID(as_uuid=True)),
    Column("pegawai_id", UUID(as_uuid=True)),
    Column("unor_id", UUID(as_uuid=True)),
    Column("plt_id", UUID(as_uuid=True)),
    Column("tahun", Integer),
    Column("tanggal_mulai", Date),
    Column("tanggal_selesai", Date),
    Column("status", Text),
    Column("pegawai_nama", Text),
    Column("nip", Text),
    Column("penilai_pegawai_id", UUID(as_uuid=True)),
    Column("penilai_unor_id", UUID(as_uuid=True)),
)
"""The view ListSkp reads (migration 0006): the current tenant's live SKPs, confined by the view itself so
that a name fragment and a NIP prefix reach their indexes under forced RLS; `nip` in byte order. Not part
of `Base`: a view, not a table of the model."""


TENANT_TABLES = ("periode", "perjanjian_kinerja", "skp", "mph", "mph_anggota", "kinerja_harian")
