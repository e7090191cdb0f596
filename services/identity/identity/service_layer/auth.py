"""Public handlers: login, refresh-token rotation, logout and the public keys."""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime

from identity.adapters.repository import AccountRepository, RefreshTokenRepository
from identity.domain import sessions
from identity.domain.lockout import locked_message
from identity.domain.model import Account
from identity.domain.usernames import normalize_username, username_problem
from identity.service_layer.audit import record_failure, record_success, record_unknown_username
from identity.service_layer.deps import Deps
from kinerja_kit.context import Principal
from kinerja_kit.db import Transaction
from kinerja_kit.errors import DomainError, ResourceExhausted, Unauthenticated, Violations
from kinerja_kit.ids import new_id
from kinerja_kit.tokens import TokenSigner

log = logging.getLogger(__name__)

MAX_LOGIN_PASSWORD = 1024
ROTATED = "rotated"


@dataclass(frozen=True)
class TokenPair:
    """What a successful login or refresh hands out."""

    access_token: str
    expires_in: int
    refresh_token: str
    refresh_expires_in: int


@dataclass(frozen=True)
class Session:
    """Tokens plus the account they were issued for."""

    tokens: TokenPair
    account: Account


def login_failed() -> Unauthenticated:
    """The one answer for an unknown username, a wrong password and an account without password."""
    return Unauthenticated("LOGIN_FAILED", "NIP atau kata sandi salah.")


def account_disabled() -> Unauthenticated:
    return Unauthenticated("ACCOUNT_DISABLED", "Akun Anda dinonaktifkan. Hubungi admin instansi Anda.")


def refresh_invalid() -> Unauthenticated:
    return Unauthenticated("REFRESH_TOKEN_INVALID", "Sesi tidak valid. Silakan masuk kembali.")


def actor_of(account: Account) -> Principal:
    """The account as the actor recorded on the events of its own login."""
    return Principal(
        subject=str(account.id),
        username=account.username,
        instansi_id=account.instansi_id,
        roles=account.roles,
        pegawai_id=account.pegawai_id,
        nama=account.nama,
    )


def login(deps: Deps, username: str, password: str) -> Session:
    """Checks NIP/NIK and password; audits every outcome; locks after repeated failures."""
    name = normalize_username(username)
    violations = Violations()
    if problem := username_problem(name):
        violations.add("username", *problem)
    if not password:
        violations.add("password", "REQUIRED", "Kata sandi wajib diisi.")
    elif len(password) > MAX_LOGIN_PASSWORD:
        violations.add("password", "TOO_LONG", "Kata sandi terlalu panjang.")
    violations.raise_if_any()

    signer = deps.signer()
    now = deps.clock()
    failure: DomainError | None = None
    session: Session | None = None
    with deps.uow.transaction(tenant=None) as tx:
        accounts = AccountRepository(tx.session)
        entry = accounts.directory_entry(name)
        account: Account | None = None
        if entry is not None:
            tx.set_tenant(entry.instansi_id)
            account = accounts.get(entry.account_id, for_update=True)
        if account is None:
            deps.hasher.verify(None, password)  # same cost as a real check: no timing oracle
            record_unknown_username(tx, name, now)
            failure = login_failed()
        else:
            tx.actor = actor_of(account)
            failure = _check_password(deps, tx, account, password, now)
            if failure is None:
                session = _start_session(deps, signer, tx, account, password, now)
        tx.commit()
    if failure is not None:
        raise failure
    assert session is not None
    return session


def _check_password(
    deps: Deps, tx: Transaction, account: Account, password: str, now: datetime
) -> DomainError | None:
    """Records a failed attempt and returns its error, or None when the password is right."""
    if account.is_locked(now):
        assert account.locked_until is not None
        record_failure(tx, account, "ACCOUNT_LOCKED", now, deps.lockout, counts=False)
        return ResourceExhausted("ACCOUNT_LOCKED", locked_message(account.locked_until, now))
    if not deps.hasher.verify(account.password_hash, password):
        reason = "WRONG_PASSWORD" if account.has_password else "PASSWORD_NOT_SET"
        record_failure(tx, account, reason, now, deps.lockout)
        return login_failed()
    if not account.active:
        record_failure(tx, account, "ACCOUNT_DISABLED", now, deps.lockout, counts=False)
        return account_disabled()
    return None


def _start_session(
    deps: Deps, signer: TokenSigner, tx: Transaction, account: Account, password: str, now: datetime
) -> Session:
    if account.password_hash and deps.hasher.needs_rehash(account.password_hash):
        # The argon2 parameters changed since this hash was made: upgrade it while we know the password.
        account.password_hash = deps.hasher.hash(password)
    record_success(tx, account, now)
    AccountRepository(tx.session).save(account)
    tokens, _ = _issue(deps, signer, tx, account, new_id(), now)
    return Session(tokens, account)


def _issue(
    deps: Deps, signer: TokenSigner, tx: Transaction, account: Account, family_id: uuid.UUID, now: datetime
) -> tuple[TokenPair, uuid.UUID]:
    """Signs an access token and stores a new refresh token of `family_id`; returns both and its id."""
    refresh = sessions.new_refresh_token(account.instansi_id)
    token_id = RefreshTokenRepository(tx.session).add(
        account=account,
        family_id=family_id,
        token_hash=refresh.token_hash,
        now=now,
        expires_at=now + deps.tokens.refresh_ttl,
    )
    access = signer.issue(
        subject=str(account.id),
        instansi_id=account.instansi_id,
        roles=sorted(account.roles),
        username=account.username,
        pegawai_id=account.pegawai_id,
        name=account.nama,
        # After an admin reset the holder may log in, but every service refuses the token except
        # for changing the password; the change issues tokens without it.
        password_change_required=account.must_change_password,
    )
    pair = TokenPair(
        access_token=access,
        expires_in=signer.ttl_seconds,
        refresh_token=refresh.value,
        refresh_expires_in=int(deps.tokens.refresh_ttl.total_seconds()),
    )
    return pair, token_id


def new_session(deps: Deps, tx: Transaction, account: Account, now: datetime) -> Session:
    """A new session (family) for `account` inside `tx`, e.g. after it changed its password."""
    tokens, _ = _issue(deps, deps.signer(), tx, account, new_id(), now)
    return Session(tokens, account)


def refresh(deps: Deps, refresh_token: str) -> Session:
    """Rotates a refresh token: a new pair for a valid one; reuse of a rotated one ends the session,
    except within the grace after its rotation (two tabs refreshing at once)."""
    instansi = sessions.token_instansi(refresh_token)
    if instansi is None:
        raise refresh_invalid()
    signer = deps.signer()
    now = deps.clock()
    failure: DomainError | None = None
    result: Session | None = None
    with deps.uow.transaction(tenant=instansi) as tx:
        tokens = RefreshTokenRepository(tx.session)
        row = tokens.find(sessions.hash_token(refresh_token))
        account = AccountRepository(tx.session).get(row.account_id, for_update=True) if row else None
        if row is None or account is None:
            failure = refresh_invalid()
        elif (
            row.revoked_reason == ROTATED
            and row.revoked_at is not None
            and now - row.revoked_at <= deps.tokens.refresh_reuse_grace
            and row.expires_at > now
            and account.active
            and tokens.family_alive(row.family_id, now)
        ):
            # The token was rotated a moment ago and its session is still open: another tab or a
            # retry after a lost response raced the rotation (OAuth 2.0 Security BCP, section 4.14.2).
            # It gets a pair of its own in the same session instead of ending it; the row keeps its
            # first rotation time, so the grace is never extended.
            tx.actor = actor_of(account)
            pair, _ = _issue(deps, signer, tx, account, row.family_id, now)
            result = Session(pair, account)
        elif row.revoked_at is not None:
            failure = refresh_invalid()
            if row.revoked_reason == ROTATED:
                # A rotated token came back: it was copied. End the whole session for both holders.
                tokens.revoke_family(row.family_id, now, "reuse_detected")
                log.warning(
                    "refresh token reuse detected",
                    extra={"account_id": str(row.account_id), "family_id": str(row.family_id)},
                )
                failure = Unauthenticated(
                    "REFRESH_TOKEN_REUSED", "Sesi Anda telah diakhiri demi keamanan. Silakan masuk kembali."
                )
        elif row.expires_at <= now:
            failure = Unauthenticated(
                "REFRESH_TOKEN_EXPIRED", "Sesi Anda telah berakhir. Silakan masuk kembali."
            )
        elif not account.active:
            tokens.revoke_family(row.family_id, now, "account_disabled")
            failure = account_disabled()
        else:
            tx.actor = actor_of(account)
            pair, new_token_id = _issue(deps, signer, tx, account, row.family_id, now)
            row.revoked_at = now
            row.revoked_reason = ROTATED
            row.replaced_by = new_token_id
            result = Session(pair, account)
        tx.commit()
    if failure is not None:
        raise failure
    assert result is not None
    return result


def logout(deps: Deps, refresh_token: str) -> None:
    """Ends the session of a refresh token (its whole family); unknown tokens are ignored."""
    instansi = sessions.token_instansi(refresh_token)
    if instansi is None:
        return
    with deps.uow.transaction(tenant=instansi) as tx:
        tokens = RefreshTokenRepository(tx.session)
        row = tokens.find(sessions.hash_token(refresh_token))
        if row is not None:
            tokens.revoke_family(row.family_id, deps.clock(), "logout")
            tx.commit()


@dataclass(frozen=True)
class PublicKeys:
    jwks_json: str
    issuer: str
    audience: str


def public_keys(deps: Deps) -> PublicKeys:
    """The JWKS other services verify access tokens with."""
    return PublicKeys(deps.keys.jwks(), deps.tokens.issuer, deps.tokens.audience)
