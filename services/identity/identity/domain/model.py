"""The Account aggregate: who may log in, with which roles, and its lockout state."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime

from kinerja_kit.context import ROLE_ADMIN_BKN, ROLE_PEGAWAI


@dataclass
class Account:
    """One login of one person (or of an admin BKN) in one instansi."""

    id: uuid.UUID
    instansi_id: uuid.UUID
    username: str
    nama: str
    pegawai_id: uuid.UUID | None = None
    roles: frozenset[str] = field(default_factory=lambda: frozenset({ROLE_PEGAWAI}))
    active: bool = True
    password_hash: str | None = None
    must_change_password: bool = False
    failed_attempts: int = 0
    locked_until: datetime | None = None
    last_login_at: datetime | None = None
    version: int = 1

    @property
    def has_password(self) -> bool:
        return bool(self.password_hash)

    @property
    def is_admin_bkn(self) -> bool:
        return ROLE_ADMIN_BKN in self.roles

    def is_locked(self, now: datetime) -> bool:
        return self.locked_until is not None and self.locked_until > now

    def set_password(self, password_hash: str, *, must_change: bool) -> None:
        """Stores a new hash; any lock is lifted because the credential changed."""
        self.password_hash = password_hash
        self.must_change_password = must_change
        self.failed_attempts = 0
        self.locked_until = None
        self.version += 1

    def record_success(self, now: datetime) -> None:
        """A correct password: the failure counter and any lock start over."""
        self.failed_attempts = 0
        self.locked_until = None
        self.last_login_at = now

    def disable(self) -> None:
        self.active = False
        self.version += 1
