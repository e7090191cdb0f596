"""SQLAlchemy 2 models of identity's tables (the migration in migrations/versions creates them)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import (
    ARRAY,
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Integer,
    LargeBinary,
    MetaData,
    Table,
    Text,
    func,
)
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    """Identity's own declarative base."""


class AccountRow(Base):
    """Tenant table (RLS): one account per person per instansi."""

    __tablename__ = "accounts"

    instansi_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    username: Mapped[str] = mapped_column(Text)
    nama: Mapped[str] = mapped_column(Text)
    pegawai_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    roles: Mapped[list[str]] = mapped_column(ARRAY(Text))
    active: Mapped[bool] = mapped_column(Boolean)
    password_hash: Mapped[str | None] = mapped_column(Text)
    must_change_password: Mapped[bool] = mapped_column(Boolean)
    failed_attempts: Mapped[int] = mapped_column(Integer)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    version: Mapped[int] = mapped_column(BigInteger)


class AccountDirectoryRow(Base):
    """Not tenant data: routes a username (unique nationally) to its account and instansi for login."""

    __tablename__ = "account_directory"

    username: Mapped[str] = mapped_column(Text, primary_key=True)
    account_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), unique=True)
    instansi_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))


class RefreshTokenRow(Base):
    """Tenant table (RLS): refresh tokens by SHA-256 hash; a family is one login session."""

    __tablename__ = "refresh_tokens"

    instansi_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    account_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    family_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    token_hash: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_reason: Mapped[str | None] = mapped_column(Text)
    replaced_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))


class LoginAuditRow(Base):
    """Tenant table (RLS): every login attempt; unknown usernames are kept under the national tenant."""

    __tablename__ = "login_audit"

    instansi_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    account_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    username: Mapped[str] = mapped_column(Text)
    outcome: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text)
    consecutive_failures: Mapped[int] = mapped_column(Integer)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    request_id: Mapped[str] = mapped_column(Text)
    occurred_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class SigningKeyRow(Base):
    """Not tenant data: the RSA keys access tokens are signed with (kid rotation ready)."""

    __tablename__ = "signing_keys"

    kid: Mapped[str] = mapped_column(Text, primary_key=True)
    private_pem: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    retired_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


accounts_search = Table(
    "accounts_search",
    MetaData(),
    Column("instansi_id", UUID(as_uuid=True)),
    Column("id", UUID(as_uuid=True)),
    Column("username", Text),
    Column("nama", Text),
)
"""The view ListAccounts searches (migration 0004): the current tenant's accounts, confined by the view
itself so that a name fragment and a NIP prefix reach their indexes. Not part of `Base`: a view."""
