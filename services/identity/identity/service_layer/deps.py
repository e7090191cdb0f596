"""What the handlers need, wired once by bootstrap (tests can wire other pieces)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from identity.adapters.hashing import Argon2Hasher
from identity.adapters.keystore import SigningKeyStore
from identity.domain.lockout import LockoutPolicy
from identity.domain.passwords import PasswordPolicy
from kinerja_kit.db import UnitOfWork
from kinerja_kit.tokens import TokenSigner


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class TokenSettings:
    """Issuer, audience and lifetimes of the tokens identity hands out."""

    issuer: str
    audience: str
    access_ttl_seconds: int = 900
    refresh_ttl: timedelta = timedelta(hours=8)
    # How long a just-rotated refresh token may be presented again without ending its session.
    refresh_reuse_grace: timedelta = timedelta(seconds=30)


@dataclass(frozen=True)
class Deps:
    """The unit of work, the hasher, the key store, the policies and the clock."""

    uow: UnitOfWork
    hasher: Argon2Hasher
    keys: SigningKeyStore
    tokens: TokenSettings
    lockout: LockoutPolicy = field(default_factory=LockoutPolicy)
    password_policy: PasswordPolicy = field(default_factory=PasswordPolicy)
    clock: Callable[[], datetime] = utcnow

    def signer(self) -> TokenSigner:
        """A signer over the currently active key."""
        return TokenSigner(
            self.keys.active_key(), self.tokens.issuer, self.tokens.audience, self.tokens.access_ttl_seconds
        )
