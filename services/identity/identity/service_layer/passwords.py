"""Password change by the account holder and password reset by an admin."""

from __future__ import annotations

from dataclasses import dataclass

from identity.adapters.repository import AccountRepository, RefreshTokenRepository
from identity.domain.lockout import locked_message
from identity.domain.model import Account
from identity.domain.passwords import temporary_password
from identity.domain.roles import check_may_administer
from identity.service_layer.audit import record_failure
from identity.service_layer.auth import Session, new_session
from identity.service_layer.deps import Deps
from identity.service_layer.messages import emit_account_event
from identity.service_layer.permissions import (
    account_id_arg,
    own_account_id,
    require_admin,
    require_principal,
)
from kinerja.identity.v1 import identity_pb2
from kinerja_kit.errors import (
    DomainError,
    FieldViolation,
    InvalidArgument,
    NotFound,
    ResourceExhausted,
    Violations,
)


def account_not_found() -> NotFound:
    return NotFound("ACCOUNT_NOT_FOUND", "Akun tidak ditemukan.")


def change_password(deps: Deps, old_password: str, new_password: str) -> Session:
    """The caller changes their own password; every session of theirs ends and a new one starts.

    The new tokens no longer say the password must be changed (after an admin reset, this is the
    call that lifts the restriction).
    """
    principal = require_principal()
    account_id = own_account_id(principal)
    if account_id is None:
        raise account_not_found()
    now = deps.clock()
    failure: DomainError | None = None
    session: Session | None = None
    # The caller's own account lives in their own instansi, even when an admin BKN acts elsewhere.
    with deps.uow.transaction(tenant=principal.instansi_id) as tx:
        accounts = AccountRepository(tx.session)
        account = accounts.get(account_id, for_update=True)
        if account is None:
            raise account_not_found()
        violations = Violations()
        if not old_password:
            violations.add("old_password", "REQUIRED", "Kata sandi lama wajib diisi.")
        deps.password_policy.check(
            new_password,
            username=account.username,
            violations=violations,
            field="new_password",
            nama=account.nama,
        )
        if old_password and new_password == old_password:
            violations.add(
                "new_password", "PASSWORD_UNCHANGED", "Kata sandi baru harus berbeda dari kata sandi lama."
            )
        violations.raise_if_any()
        if account.is_locked(now):
            assert account.locked_until is not None
            raise ResourceExhausted("ACCOUNT_LOCKED", locked_message(account.locked_until, now))
        if not deps.hasher.verify(account.password_hash, old_password):
            # Guessing the old password with a stolen access token counts like a failed login.
            record_failure(tx, account, "WRONG_OLD_PASSWORD", now, deps.lockout)
            failure = InvalidArgument(
                [FieldViolation("old_password", "WRONG_PASSWORD", "Kata sandi lama salah.")]
            )
        else:
            account.set_password(deps.hasher.hash(new_password), must_change=False)
            accounts.save(account)
            RefreshTokenRepository(tx.session).revoke_account(account.id, now, "password_changed")
            emit_account_event(
                tx, account, identity_pb2.PasswordChanged(account_id=str(account.id), how="self")
            )
            session = new_session(deps, tx, account, now)
        tx.commit()
    if failure is not None:
        raise failure
    assert session is not None
    return session


@dataclass(frozen=True)
class ResetResult:
    """The account after a reset and, when one was generated, the temporary password."""

    account: Account
    temporary_password: str


def reset_password(deps: Deps, account_id: str, new_password: str) -> ResetResult:
    """An admin sets a new (or temporary) password; the holder must change it at the next login."""
    principal = require_principal()
    require_admin(principal)
    target_id = account_id_arg(account_id)
    now = deps.clock()
    with deps.uow.transaction() as tx:
        accounts = AccountRepository(tx.session)
        account = accounts.get(target_id, for_update=True)
        if account is None:
            raise account_not_found()
        check_may_administer(principal.roles, account)
        temporary = ""
        if new_password:
            violations = Violations()
            deps.password_policy.check(
                new_password,
                username=account.username,
                violations=violations,
                field="new_password",
                nama=account.nama,
            )
            violations.raise_if_any()
        else:
            temporary = temporary_password()
        account.set_password(deps.hasher.hash(new_password or temporary), must_change=True)
        accounts.save(account)
        RefreshTokenRepository(tx.session).revoke_account(account.id, now, "admin_reset")
        emit_account_event(
            tx, account, identity_pb2.PasswordChanged(account_id=str(account.id), how="admin_reset")
        )
        tx.commit()
    return ResetResult(account, temporary)
