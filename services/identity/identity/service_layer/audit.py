"""Recording login outcomes: the counter and lock on the account, the audit row and the event."""

from __future__ import annotations

from datetime import datetime

from identity.adapters.repository import AccountRepository, LoginAuditRepository
from identity.domain.lockout import LockoutPolicy
from identity.domain.model import Account
from identity.service_layer.messages import TOPIC, emit_account_event
from kinerja.identity.v1 import identity_pb2
from kinerja_kit.context import current_request_id
from kinerja_kit.db import Transaction
from kinerja_kit.ids import NATIONAL_INSTANSI_ID

FAILURE = "failure"
SUCCESS = "success"


def _failed_event(
    account: Account | None, username: str, reason: str, failures: int, until: datetime | None
) -> identity_pb2.LoginFailed:
    event = identity_pb2.LoginFailed(
        account_id=str(account.id) if account else "",
        username=username,
        reason=reason,
        consecutive_failures=failures,
    )
    if until is not None:
        event.locked_until.FromDatetime(until)
    return event


def record_unknown_username(tx: Transaction, username: str, now: datetime) -> None:
    """A failed attempt on a username nobody has: audited under the national tenant."""
    tx.set_tenant(NATIONAL_INSTANSI_ID)
    LoginAuditRepository(tx.session).record(
        instansi_id=NATIONAL_INSTANSI_ID,
        account_id=None,
        username=username,
        outcome=FAILURE,
        reason="UNKNOWN_USERNAME",
        consecutive_failures=0,
        locked_until=None,
        request_id=current_request_id.get(),
        now=now,
    )
    tx.emit(
        TOPIC,
        _failed_event(None, username, "UNKNOWN_USERNAME", 0, None),
        aggregate_type="login",
        aggregate_id=username[:64],
        aggregate_version=0,
        instansi_id=NATIONAL_INSTANSI_ID,
    )


def record_failure(
    tx: Transaction,
    account: Account,
    reason: str,
    now: datetime,
    policy: LockoutPolicy,
    *,
    counts: bool = True,
) -> None:
    """A failed attempt on a known account: counts towards the lock (unless `counts` is false)."""
    if counts:
        account.failed_attempts += 1
        account.locked_until = policy.after_failure(account.failed_attempts, now)
        AccountRepository(tx.session).save(account)
    _audit(tx, account, FAILURE, reason, now)
    emit_account_event(
        tx,
        account,
        _failed_event(account, account.username, reason, account.failed_attempts, account.locked_until),
    )


def record_success(tx: Transaction, account: Account, now: datetime) -> None:
    """A successful login: resets the counter (the caller saves the account) and audits it."""
    account.record_success(now)
    _audit(tx, account, SUCCESS, "OK", now)
    emit_account_event(
        tx, account, identity_pb2.LoginSucceeded(account_id=str(account.id), username=account.username)
    )


def _audit(tx: Transaction, account: Account, outcome: str, reason: str, now: datetime) -> None:
    LoginAuditRepository(tx.session).record(
        instansi_id=account.instansi_id,
        account_id=account.id,
        username=account.username,
        outcome=outcome,
        reason=reason,
        consecutive_failures=account.failed_attempts,
        locked_until=account.locked_until,
        request_id=current_request_id.get(),
        now=now,
    )
