"""SQLAlchemy 2 models of the assessment tables (the schema itself is created by the Alembic migration)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import BigInteger, Boolean, Date, DateTime, Integer, SmallInteger, Text, func
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

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


class Base(DeclarativeBase):
    """Declarative base of the assessment service only."""


def _uuid(primary_key: bool = False, nullable: bool = False) -> Mapped[Any]:
    return mapped_column(UUID(as_uuid=True), primary_key=primary_key, nullable=nullable)


def _at(nullable: bool = True) -> Mapped[Any]:
    if nullable:
        return mapped_column(DateTime(timezone=True), nullable=True)
    return mapped_column(DateTime(timezone=True), server_default=func.now())


class PeriodeProyeksiRow(Base):
    __tablename__ = "periode_proyeksi"

    instansi_id: Mapped[uuid.UUID] = _uuid(primary_key=True)
    id: Mapped[uuid.UUID] = _uuid(primary_key=True)
    nama: Mapped[str] = mapped_column(Text, default="")
    mulai: Mapped[str] = mapped_column(Text)
    selesai: Mapped[str] = mapped_column(Text)
    batas_pengisian: Mapped[str] = mapped_column(Text)
    jenis: Mapped[str] = mapped_column(Text)
    version: Mapped[int] = mapped_column(BigInteger)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    applied_at: Mapped[datetime] = _at(nullable=False)


class SkpProyeksiRow(Base):
    """One SKP as skp's last event said it is: header columns to filter on, the plan as JSONB."""

    __tablename__ = "skp_proyeksi"

    instansi_id: Mapped[uuid.UUID] = _uuid(primary_key=True)
    id: Mapped[uuid.UUID] = _uuid(primary_key=True)
    pegawai_id: Mapped[uuid.UUID] = _uuid()
    unor_id: Mapped[uuid.UUID] = _uuid()
    plt_id: Mapped[uuid.UUID | None] = _uuid(nullable=True)
    tahun: Mapped[int] = mapped_column(Integer)
    tanggal_mulai: Mapped[date] = mapped_column(Date)
    tanggal_selesai: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(Text)
    model: Mapped[str] = mapped_column(Text)
    pendekatan: Mapped[str] = mapped_column(Text)
    mandiri: Mapped[bool] = mapped_column(Boolean, default=False)
    penilai_pegawai_id: Mapped[uuid.UUID | None] = _uuid(nullable=True)
    penilai_unor_id: Mapped[uuid.UUID | None] = _uuid(nullable=True)
    atasan_penilai_pegawai_id: Mapped[uuid.UUID | None] = _uuid(nullable=True)
    pegawai_nip: Mapped[str] = mapped_column(Text, default="")
    pegawai_nama: Mapped[str] = mapped_column(Text, default="")
    unit_kerja_id: Mapped[uuid.UUID] = _uuid()
    isi: Mapped[dict[str, Any]] = mapped_column(JSONB)
    version: Mapped[int] = mapped_column(BigInteger)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    source_occurred_at: Mapped[datetime | None] = _at()
    applied_at: Mapped[datetime] = _at(nullable=False)


class UnorProyeksiRow(Base):
    __tablename__ = "unor_proyeksi"

    instansi_id: Mapped[uuid.UUID] = _uuid(primary_key=True)
    id: Mapped[uuid.UUID] = _uuid(primary_key=True)
    nama: Mapped[str] = mapped_column(Text, default="")
    parent_id: Mapped[uuid.UUID | None] = _uuid(nullable=True)
    jenis: Mapped[int] = mapped_column(Integer, default=0)
    mandiri: Mapped[bool] = mapped_column(Boolean, default=False)
    induk_id: Mapped[uuid.UUID | None] = _uuid(nullable=True)
    version: Mapped[int] = mapped_column(BigInteger)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    applied_at: Mapped[datetime] = _at(nullable=False)


class PenilaianRow(Base):
    """A penilaian: header columns lists filter on, and what assessment owns as JSONB `isi`."""

    __tablename__ = "penilaian"

    instansi_id: Mapped[uuid.UUID] = _uuid(primary_key=True)
    id: Mapped[uuid.UUID] = _uuid(primary_key=True)
    skp_id: Mapped[uuid.UUID] = _uuid()
    periode_id: Mapped[uuid.UUID] = _uuid()
    tahun: Mapped[int] = mapped_column(Integer)
    pegawai_id: Mapped[uuid.UUID] = _uuid()
    pegawai_nama: Mapped[str] = mapped_column(Text, default="")
    pegawai_nip: Mapped[str] = mapped_column(Text, default="")
    unit_kerja_id: Mapped[uuid.UUID] = _uuid()
    penilai_pegawai_id: Mapped[uuid.UUID | None] = _uuid(nullable=True)
    # The penilai's unit on the SKP (whoever leads it today rates in their place).
    penilai_unor_id: Mapped[uuid.UUID | None] = _uuid(nullable=True)
    status: Mapped[str] = mapped_column(Text)
    rating_hasil_kerja: Mapped[int | None] = mapped_column(SmallInteger, nullable=True)
    rating_perilaku_kerja: Mapped[int | None] = mapped_column(SmallInteger, nullable=True)
    predikat: Mapped[int | None] = mapped_column(SmallInteger, nullable=True)
    dinilai_at: Mapped[datetime | None] = _at()
    isi: Mapped[dict[str, Any]] = mapped_column(JSONB)
    version: Mapped[int] = mapped_column(BigInteger, default=1)
    created_at: Mapped[datetime] = _at(nullable=False)
    updated_at: Mapped[datetime] = _at(nullable=False)


class PerpanjanganRow(Base):
    __tablename__ = "perpanjangan_batas"

    instansi_id: Mapped[uuid.UUID] = _uuid(primary_key=True)
    id: Mapped[uuid.UUID] = _uuid(primary_key=True)
    periode_id: Mapped[uuid.UUID] = _uuid()
    tahun: Mapped[int] = mapped_column(Integer)
    pegawai_id: Mapped[uuid.UUID | None] = _uuid(nullable=True)
    unor_id: Mapped[uuid.UUID | None] = _uuid(nullable=True)
    batas_baru: Mapped[date] = mapped_column(Date)
    alasan: Mapped[str] = mapped_column(Text)
    oleh: Mapped[dict[str, Any]] = mapped_column(JSONB)
    created_at: Mapped[datetime] = _at(nullable=False)


class TugasRow(Base):
    """One open task of one person (the inbox read model)."""

    __tablename__ = "tugas"

    instansi_id: Mapped[uuid.UUID] = _uuid(primary_key=True)
    id: Mapped[uuid.UUID] = _uuid(primary_key=True)
    jenis: Mapped[int] = mapped_column(SmallInteger)
    assignee_pegawai_id: Mapped[uuid.UUID | None] = _uuid(nullable=True)
    assignee_unor_id: Mapped[uuid.UUID | None] = _uuid(nullable=True)
    subject_pegawai_id: Mapped[uuid.UUID] = _uuid()
    penilaian_id: Mapped[uuid.UUID] = _uuid()
    keberatan_id: Mapped[uuid.UUID | None] = _uuid(nullable=True)
    skp_id: Mapped[uuid.UUID] = _uuid()
    periode_id: Mapped[uuid.UUID] = _uuid()
    periode_nama: Mapped[str] = mapped_column(Text, default="")
    batas: Mapped[date | None] = mapped_column(Date, nullable=True)
    selesai: Mapped[bool] = mapped_column(Boolean, default=False)
    keterangan: Mapped[str] = mapped_column(Text, default="")
    sebagai: Mapped[int] = mapped_column(SmallInteger, default=0)
    nilai: Mapped[list[int]] = mapped_column(JSONB, default=list)
    pegawai: Mapped[dict[str, Any]] = mapped_column(JSONB)
    created_at: Mapped[datetime] = _at(nullable=False)


class CapaianRow(Base):
    __tablename__ = "capaian_organisasi"

    instansi_id: Mapped[uuid.UUID] = _uuid(primary_key=True)
    id: Mapped[uuid.UUID] = _uuid(primary_key=True)
    tahun: Mapped[int] = mapped_column(Integer)
    periode_id: Mapped[uuid.UUID] = _uuid()
    unor_id: Mapped[uuid.UUID] = _uuid()
    # The unit's name as org last said it (kept with the capaian: the list is ordered and searched by it).
    unor_nama: Mapped[str] = mapped_column(Text, default="")
    capaian: Mapped[int] = mapped_column(SmallInteger)
    bukti_dukung_url: Mapped[str] = mapped_column(Text, default="")
    final: Mapped[bool] = mapped_column(Boolean, default=False)
    finalised_at: Mapped[datetime | None] = _at()
    diubah_oleh: Mapped[dict[str, Any]] = mapped_column(JSONB)
    version: Mapped[int] = mapped_column(BigInteger, default=1)
    created_at: Mapped[datetime] = _at(nullable=False)
    updated_at: Mapped[datetime] = _at(nullable=False)


class KeberatanRow(Base):
    __tablename__ = "keberatan"

    instansi_id: Mapped[uuid.UUID] = _uuid(primary_key=True)
    id: Mapped[uuid.UUID] = _uuid(primary_key=True)
    penilaian_id: Mapped[uuid.UUID] = _uuid()
    skp_id: Mapped[uuid.UUID] = _uuid()
    periode_id: Mapped[uuid.UUID] = _uuid()
    tahun: Mapped[int] = mapped_column(Integer)
    pegawai_id: Mapped[uuid.UUID] = _uuid()
    pegawai_nama: Mapped[str] = mapped_column(Text, default="")
    pegawai_nip: Mapped[str] = mapped_column(Text, default="")
    penilai_pegawai_id: Mapped[uuid.UUID | None] = _uuid(nullable=True)
    atasan_penilai_pegawai_id: Mapped[uuid.UUID | None] = _uuid(nullable=True)
    status: Mapped[str] = mapped_column(Text)
    alasan: Mapped[str] = mapped_column(Text)
    sebelum: Mapped[dict[str, Any]] = mapped_column(JSONB)
    diminta: Mapped[dict[str, Any]] = mapped_column(JSONB)
    sesudah: Mapped[dict[str, Any] | None] = mapped_column(JSONB, nullable=True)
    penjelasan_penilai: Mapped[str] = mapped_column(Text, default="")
    dijelaskan_oleh: Mapped[dict[str, Any] | None] = mapped_column(JSONB, nullable=True)
    dijelaskan_at: Mapped[datetime | None] = _at()
    keputusan: Mapped[str] = mapped_column(Text, default="")
    diputuskan_oleh: Mapped[dict[str, Any] | None] = mapped_column(JSONB, nullable=True)
    diajukan_at: Mapped[datetime] = _at(nullable=False)
    dicek_at: Mapped[datetime | None] = _at()
    diputuskan_at: Mapped[datetime | None] = _at()
    batas_pengajuan: Mapped[date] = mapped_column(Date)
    version: Mapped[int] = mapped_column(BigInteger, default=1)
    updated_at: Mapped[datetime] = _at(nullable=False)
