"""Login through the real gRPC server: success, the one failure answer, lockout and its audit."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import grpc
import pytest

from identity.adapters.hashing import Argon2Hasher
from identity.adapters.repository import AccountRepository
from identity.service_layer.admin_bootstrap import ensure_bootstrap_admin
from identity.service_layer.deps import Deps
from kinerja.identity.v1 import identity_pb2, identity_pb2_grpc
from kinerja_kit.context import ROLE_ADMIN_BKN
from kinerja_kit.ids import NATIONAL_INSTANSI_ID, new_id
from kinerja_testing.identity import (
    ADMIN_BKN_NIP,
    ADMIN_BKN_PASSWORD,
    PASSWORD,
    Factory,
    login,
    random_nip,
    rpc_error,
)

pytestmark = pytest.mark.integration

Stub = identity_pb2_grpc.IdentityServiceStub


def outbox_events(factory: Factory, account_id: object, event_type: str) -> int:
    rows = factory.query(
        None,
        "select count(*) from outbox where aggregate_id = :a and event_type = :t",
        a=str(account_id),
        t=event_type,
    )
    return int(rows[0][0])


def test_login_returns_tokens_account_and_audits(stub: Stub, factory: Factory) -> None:
    instansi = new_id()
    account = factory.account(instansi, nama="Siti Aminah")

    response = login(stub, account.username)

    assert response.tokens.token_type == "Bearer"
    assert response.tokens.expires_in == 900
    assert response.tokens.refresh_token.startswith("rt1.")
    assert response.account.id == str(account.id)
    assert response.account.instansi_id == str(instansi)
    assert list(response.account.roles) == [identity_pb2.ROLE_PEGAWAI]
    assert response.account.has_password
    current = stub.GetCurrentAccount(
        identity_pb2.GetCurrentAccountRequest(),
        metadata=[("authorization", f"Bearer {response.tokens.access_token}")],
    )
    assert current.nama == "Siti Aminah"
    audit = factory.query(
        instansi, "select outcome, reason from login_audit where account_id = :a", a=account.id
    )
    assert [tuple(r) for r in audit] == [("success", "OK")]
    assert outbox_events(factory, account.id, "kinerja.identity.v1.LoginSucceeded") == 1


def test_unknown_username_and_wrong_password_answer_the_same(stub: Stub, factory: Factory) -> None:
    account = factory.account(new_id())
    no_password = factory.account(new_id(), password=None)
    unknown = random_nip()

    answers = [
        rpc_error(stub.Login, identity_pb2.LoginRequest(username=account.username, password="Salah12345")),
        rpc_error(stub.Login, identity_pb2.LoginRequest(username=unknown, password="Salah12345")),
        rpc_error(stub.Login, identity_pb2.LoginRequest(username=no_password.username, password="Apa12345")),
    ]

    for code, error in answers:
        assert code == grpc.StatusCode.UNAUTHENTICATED
        assert (error.reason, error.message) == ("LOGIN_FAILED", "NIP atau kata sandi salah.")
    national = factory.query(
        NATIONAL_INSTANSI_ID,
        "select reason, account_id from login_audit where username = :u",
        u=unknown,
    )
    assert [tuple(r) for r in national] == [("UNKNOWN_USERNAME", None)]
    assert outbox_events(factory, unknown, "kinerja.identity.v1.LoginFailed") == 1


def test_empty_credentials_are_reported_together(stub: Stub) -> None:
    code, error = rpc_error(stub.Login, identity_pb2.LoginRequest(username=" ", password=""))
    assert code == grpc.StatusCode.INVALID_ARGUMENT
    assert {(v.field, v.code) for v in error.violations} == {
        ("username", "REQUIRED"),
        ("password", "REQUIRED"),
    }


def test_disabled_account_is_refused_only_with_the_right_password(stub: Stub, factory: Factory) -> None:
    account = factory.account(new_id(), active=False)

    _, wrong = rpc_error(
        stub.Login, identity_pb2.LoginRequest(username=account.username, password="x1yz5678")
    )
    code, right = rpc_error(
        stub.Login, identity_pb2.LoginRequest(username=account.username, password=PASSWORD)
    )

    assert wrong.reason == "LOGIN_FAILED"
    assert (code, right.reason) == (grpc.StatusCode.UNAUTHENTICATED, "ACCOUNT_DISABLED")


def test_lockout_after_five_failures_is_audited_and_lifted_later(stub: Stub, factory: Factory) -> None:
    instansi = new_id()
    account = factory.account(instansi)
    bad = identity_pb2.LoginRequest(username=account.username, password="Salah12345")

    reasons = [rpc_error(stub.Login, bad)[1].reason for _ in range(5)]
    code, locked = rpc_error(
        stub.Login, identity_pb2.LoginRequest(username=account.username, password=PASSWORD)
    )

    assert reasons == ["LOGIN_FAILED"] * 5
    assert code == grpc.StatusCode.RESOURCE_EXHAUSTED
    assert locked.reason == "ACCOUNT_LOCKED"
    assert locked.message.startswith("Akun terkunci sementara karena terlalu banyak percobaan masuk.")
    stored = factory.load(account)
    assert stored.failed_attempts == 5
    assert stored.locked_until is not None
    assert timedelta(minutes=14) < stored.locked_until - datetime.now(UTC) <= timedelta(minutes=15)
    audit = factory.query(
        instansi,
        "select reason, consecutive_failures from login_audit where account_id = :a order by occurred_at, id",
        a=account.id,
    )
    assert [tuple(r) for r in audit] == [
        ("WRONG_PASSWORD", 1),
        ("WRONG_PASSWORD", 2),
        ("WRONG_PASSWORD", 3),
        ("WRONG_PASSWORD", 4),
        ("WRONG_PASSWORD", 5),
        ("ACCOUNT_LOCKED", 5),
    ]
    assert outbox_events(factory, account.id, "kinerja.identity.v1.LoginFailed") == 6

    # The lock runs out: the next right password logs in and starts the counter over.
    factory.execute(
        instansi, "update accounts set locked_until = now() - interval '1 second' where id = :a", a=account.id
    )
    assert login(stub, account.username).account.id == str(account.id)
    assert factory.load(account).failed_attempts == 0


def test_second_lock_lasts_twice_as_long(stub: Stub, factory: Factory) -> None:
    instansi = new_id()
    account = factory.account(instansi)
    factory.execute(instansi, "update accounts set failed_attempts = 9 where id = :a", a=account.id)

    rpc_error(stub.Login, identity_pb2.LoginRequest(username=account.username, password="Salah12345"))

    locked_until = factory.load(account).locked_until
    assert locked_until is not None
    assert timedelta(minutes=29) < locked_until - datetime.now(UTC) <= timedelta(minutes=30)


def test_login_rehashes_when_parameters_changed(stub: Stub, factory: Factory, deps: Deps) -> None:
    instansi = new_id()
    account = factory.account(instansi, password=None)
    old_hash = Argon2Hasher(time_cost=2, memory_cost_kib=16).hash(PASSWORD)
    factory.execute(
        instansi, "update accounts set password_hash = :h where id = :a", h=old_hash, a=account.id
    )

    login(stub, account.username)

    new_hash = factory.load(account).password_hash
    assert new_hash is not None and new_hash != old_hash
    assert not deps.hasher.needs_rehash(new_hash)


def test_bootstrap_admin_logs_in_and_is_created_once(stub: Stub, deps: Deps) -> None:
    response = login(stub, ADMIN_BKN_NIP, ADMIN_BKN_PASSWORD)

    assert response.account.instansi_id == str(NATIONAL_INSTANSI_ID)
    assert list(response.account.roles) == [identity_pb2.ROLE_ADMIN_BKN]
    assert ensure_bootstrap_admin(deps, ADMIN_BKN_NIP, "LainLagi123", "X") is None
    with deps.uow.transaction(tenant=NATIONAL_INSTANSI_ID) as tx:
        admin = AccountRepository(tx.session).get_by_username(ADMIN_BKN_NIP)
    assert admin is not None and admin.roles == frozenset({ROLE_ADMIN_BKN})
