"""The signing keys in identity's database: generated on first start, cached, published as a JWKS."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import or_, select, text
from sqlalchemy.orm import Session

from identity.adapters.orm import SigningKeyRow
from kinerja_kit.db import UnitOfWork
from kinerja_kit.tokens import SigningKey, jwks_json

# Any constant shared by every identity replica: serialises the first key generation.
_KEYGEN_LOCK = 0x1D_E471


class SigningKeyStore:
    """Reads keys through the unit of work (no tenant: keys are not tenant data).

    The newest key that is not retired signs. Retired keys stay published for `publish_after_retire`
    (the access-token lifetime), so tokens signed just before a rotation still verify.
    """

    def __init__(self, uow: UnitOfWork, publish_after_retire: timedelta, refresh_seconds: float = 60) -> None:
        self._uow = uow
        self._grace = publish_after_retire
        self._refresh = refresh_seconds
        self._lock = threading.Lock()
        self._active: SigningKey | None = None
        self._loaded_at = 0.0

    def ensure_key(self) -> SigningKey:
        """Returns the active key, generating and storing one when there is none (idempotent)."""
        with self._uow.transaction(tenant=None) as tx:
            tx.session.execute(text("select pg_advisory_xact_lock(:k)"), {"k": _KEYGEN_LOCK})
            row = self._newest_active(tx.session)
            if row is None:
                key = SigningKey.generate()
                tx.session.add(
                    SigningKeyRow(
                        kid=key.kid,
                        private_pem=key.private_pem.decode("ascii"),
                        created_at=datetime.now(UTC),
                        retired_at=None,
                    )
                )
                tx.commit()
            else:
                key = SigningKey(kid=row.kid, private_pem=row.private_pem.encode("ascii"))
        with self._lock:
            self._active, self._loaded_at = key, time.monotonic()
        return key

    def rotate(self) -> SigningKey:
        """Retires the active key(s) and makes a new one (a step towards OIDC-style key rollover)."""
        key = SigningKey.generate()
        now = datetime.now(UTC)
        with self._uow.transaction(tenant=None) as tx:
            tx.session.execute(text("select pg_advisory_xact_lock(:k)"), {"k": _KEYGEN_LOCK})
            for row in tx.session.scalars(select(SigningKeyRow).where(SigningKeyRow.retired_at.is_(None))):
                row.retired_at = now
            tx.session.add(
                SigningKeyRow(
                    kid=key.kid, private_pem=key.private_pem.decode("ascii"), created_at=now, retired_at=None
                )
            )
            tx.commit()
        with self._lock:
            self._active, self._loaded_at = key, time.monotonic()
        return key

    def active_key(self) -> SigningKey:
        """The key to sign with (re-read every `refresh_seconds` to follow rotations by other replicas)."""
        with self._lock:
            fresh = self._active is not None and time.monotonic() - self._loaded_at < self._refresh
            if fresh and self._active is not None:
                return self._active
        return self.ensure_key()

    def published_keys(self) -> list[SigningKey]:
        """Keys a verifier should trust now: active ones and those retired within the grace period."""
        since = datetime.now(UTC) - self._grace
        with self._uow.transaction(tenant=None) as tx:
            rows = tx.session.scalars(
                select(SigningKeyRow)
                .where(or_(SigningKeyRow.retired_at.is_(None), SigningKeyRow.retired_at > since))
                .order_by(SigningKeyRow.created_at.desc())
            ).all()
            return [SigningKey(kid=r.kid, private_pem=r.private_pem.encode("ascii")) for r in rows]

    def jwks(self) -> str:
        """The JWKS (public halves only) of the published keys."""
        return jwks_json(self.published_keys())

    @staticmethod
    def _newest_active(session: Session) -> SigningKeyRow | None:
        return session.scalars(
            select(SigningKeyRow)
            .where(SigningKeyRow.retired_at.is_(None))
            .order_by(SigningKeyRow.created_at.desc())
            .limit(1)
        ).first()
