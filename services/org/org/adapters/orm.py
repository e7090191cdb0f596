"""SQLAlchemy 2 models of the org tables (the schema itself is created by the Alembic migration)."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKeyConstraint,
    MetaData,
    Table,
    Text,
    func,
)
from sqlalchemy.dialects.postgresql import ARRAY, UUID
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    """Declarative base of the org service only."""


class InstansiRow(Base):
    """An instansi; not tenant-scoped (the tenants themselves)."""

    __tablename__ = "instansi"

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    kode: Mapped[str] = mapped_column(Text, unique=True)
    nama: Mapped[str] = mapped_column(Text)
    jenis: Mapped[str] = mapped_column(Text)
    version: Mapped[int] = mapped_column(BigInteger, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class UnorRow(Base):
    """A unit of an instansi; soft-deleted (deleted_at) so history keeps its references."""

    __tablename__ = "unor"
    __table_args__ = (
        ForeignKeyConstraint(["instansi_id", "parent_id"], ["unor.instansi_id", "unor.id"]),
        ForeignKeyConstraint(["instansi_id", "induk_id"], ["unor.instansi_id", "unor.id"]),
        ForeignKeyConstraint(["instansi_id"], ["instansi.id"]),
    )

    instansi_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    nama: Mapped[str] = mapped_column(Text)
    jenis: Mapped[str] = mapped_column(Text)
    eselon: Mapped[str] = mapped_column(Text, default="")
    parent_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    induk_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    mandiri: Mapped[bool] = mapped_column(Boolean, default=False)
    kota: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(BigInteger, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class PegawaiRow(Base):
    """A pegawai; removal is soft (active false)."""

    __tablename__ = "pegawai"
    __table_args__ = (ForeignKeyConstraint(["instansi_id", "unor_id"], ["unor.instansi_id", "unor.id"]),)

    instansi_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    nip: Mapped[str | None] = mapped_column(Text)
    nik: Mapped[str | None] = mapped_column(Text)
    nama: Mapped[str] = mapped_column(Text)
    unor_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    pimpinan: Mapped[bool] = mapped_column(Boolean, default=False)
    jabatan_nama: Mapped[str] = mapped_column(Text)
    jabatan_jenis: Mapped[str] = mapped_column(Text)
    jabatan_jenjang: Mapped[str] = mapped_column(Text, default="")
    golongan: Mapped[str] = mapped_column(Text, default="")
    pangkat: Mapped[str] = mapped_column(Text, default="")
    tmt_jabatan: Mapped[date | None] = mapped_column(Date)
    non_asn: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    version: Mapped[int] = mapped_column(BigInteger, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    removed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class PltRow(Base):
    """A PLT/PLH assignment."""

    __tablename__ = "plt"
    __table_args__ = (
        ForeignKeyConstraint(["instansi_id", "pegawai_id"], ["pegawai.instansi_id", "pegawai.id"]),
        ForeignKeyConstraint(["instansi_id", "unor_id"], ["unor.instansi_id", "unor.id"]),
    )

    instansi_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    pegawai_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    unor_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    jabatan: Mapped[str] = mapped_column(Text)
    jenis: Mapped[str] = mapped_column(Text)
    tanggal_mulai: Mapped[date] = mapped_column(Date)
    tanggal_selesai: Mapped[date] = mapped_column(Date)
    aktif: Mapped[bool] = mapped_column(Boolean, default=True)
    version: Mapped[int] = mapped_column(BigInteger, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class ProfileRelationsRow(Base):
    """A pegawai's profile overrides of their relations (001 "Ubah Profile")."""

    __tablename__ = "profile_relations"
    __table_args__ = (
        ForeignKeyConstraint(["instansi_id", "pegawai_id"], ["pegawai.instansi_id", "pegawai.id"]),
    )

    instansi_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    pegawai_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    atasan_langsung_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    atasan_ii_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    atasan_iii_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    rekan_kerja_ids: Mapped[list[uuid.UUID]] = mapped_column(ARRAY(UUID(as_uuid=True)), default=list)
    bawahan_ids: Mapped[list[uuid.UUID]] = mapped_column(ARRAY(UUID(as_uuid=True)), default=list)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


TENANT_TABLES = ("unor", "pegawai", "plt", "profile_relations")

pegawai_search = Table(
    "pegawai_search",
    MetaData(),
    Column("instansi_id", UUID(as_uuid=True)),
    Column("id", UUID(as_uuid=True)),
    Column("nama", Text),
    Column("nomor", Text),
    Column("unor_id", UUID(as_uuid=True)),
    Column("pimpinan", Boolean),
    Column("jabatan_jenis", Text),
)
"""The view SearchPegawai reads (migration 0005): the current tenant's active pegawai, confined by the view
itself so that a name fragment and a NIP prefix reach their indexes; `nomor` is the NIP (or NIK) in byte
order. Not part of `Base`: a view, not a table of the model."""
