"""ChangePassword and ResetPassword through the real server: policy, permissions, side effects."""

from __future__ import annotations

from collections.abc import Callable

import grpc
import pytest

from identity.settings import IdentitySettings
from kinerja.identity.v1 import identity_pb2, identity_pb2_grpc
from kinerja_kit.context import ROLE_ADMIN_BKN, ROLE_ADMIN_INSTANSI, ROLE_PEGAWAI
from kinerja_kit.ids import NATIONAL_INSTANSI_ID, new_id
from kinerja_testing.identity import PASSWORD, Factory, login, md, rpc_error

pytestmark = pytest.mark.integration

Stub = identity_pb2_grpc.IdentityServiceStub
TokenFor = Callable[..., str]


def change(stub: Stub, token: str, old: str, new: str) -> None:
    stub.ChangePassword(
        identity_pb2.ChangePasswordRequest(old_password=old, new_password=new), metadata=md(token)
    )


def test_change_password_ends_other_sessions(stub: Stub, factory: Factory) -> None:
    instansi = new_id()
    account = factory.account(instansi)
    factory.execute(instansi, "update accounts set must_change_password = true where id = :a", a=account.id)
    session = login(stub, account.username)
    assert session.account.must_change_password

    change(stub, session.tokens.access_token, PASSWORD, "BaruSekali99")

    _, old = rpc_error(stub.Login, identity_pb2.LoginRequest(username=account.username, password=PASSWORD))
    assert old.reason == "LOGIN_FAILED"
    assert not login(stub, account.username, "BaruSekali99").account.must_change_password
    _, revoked = rpc_error(
        stub.RefreshToken, identity_pb2.RefreshTokenRequest(refresh_token=session.tokens.refresh_token)
    )
    assert revoked.reason == "REFRESH_TOKEN_INVALID"
    events = factory.query(
        None,
        "select count(*) from outbox where aggregate_id = :a and event_type = 'kinerja.identity.v1.PasswordChanged'",
        a=str(account.id),
    )
    assert events[0][0] == 1


def test_change_password_reports_every_violation_and_changes_nothing(stub: Stub, factory: Factory) -> None:
    account = factory.account(new_id())
    token = login(stub, account.username).tokens.access_token
    before = factory.load(account)

    code, error = rpc_error(
        stub.ChangePassword,
        identity_pb2.ChangePasswordRequest(old_password="", new_password="abc"),
        metadata=md(token),
    )

    assert code == grpc.StatusCode.INVALID_ARGUMENT
    assert {(v.field, v.code) for v in error.violations} == {
        ("old_password", "REQUIRED"),
        ("new_password", "PASSWORD_TOO_SHORT"),
        ("new_password", "PASSWORD_NEEDS_DIGIT"),
    }
    assert factory.load(account) == before


def test_wrong_old_password_is_refused_and_counted(stub: Stub, factory: Factory) -> None:
    instansi = new_id()
    account = factory.account(instansi)
    token = login(stub, account.username).tokens.access_token

    code, error = rpc_error(
        stub.ChangePassword,
        identity_pb2.ChangePasswordRequest(old_password="Salah12345", new_password="BaruSekali99"),
        metadata=md(token),
    )

    assert code == grpc.StatusCode.INVALID_ARGUMENT
    assert [(v.field, v.code) for v in error.violations] == [("old_password", "WRONG_PASSWORD")]
    assert factory.load(account).failed_attempts == 1
    audit = factory.query(
        instansi, "select reason from login_audit where account_id = :a and outcome = 'failure'", a=account.id
    )
    assert [r[0] for r in audit] == ["WRONG_OLD_PASSWORD"]
    assert login(stub, account.username).account.id == str(account.id)


def test_admin_instansi_resets_with_a_temporary_password(
    stub: Stub, factory: Factory, token_for: TokenFor
) -> None:
    instansi = new_id()
    account = factory.account(instansi)
    factory.execute(
        instansi,
        "update accounts set failed_attempts = 5, locked_until = now() + interval '1 hour' where id = :a",
        a=account.id,
    )
    session = login(stub, factory.account(instansi).username)  # someone else's session is untouched
    admin = token_for(instansi, role=ROLE_ADMIN_INSTANSI)

    reset = stub.ResetPassword(
        identity_pb2.ResetPasswordRequest(account_id=str(account.id)), metadata=md(admin)
    )

    assert len(reset.temporary_password) >= 12
    assert reset.account.must_change_password
    assert not reset.account.HasField("locked_until")
    again = login(stub, account.username, reset.temporary_password)
    assert again.account.must_change_password
    assert stub.RefreshToken(identity_pb2.RefreshTokenRequest(refresh_token=session.tokens.refresh_token))


def test_reset_with_a_chosen_password_checks_the_policy(
    stub: Stub, factory: Factory, token_for: TokenFor
) -> None:
    instansi = new_id()
    account = factory.account(instansi)
    admin = token_for(instansi, role=ROLE_ADMIN_INSTANSI)

    code, error = rpc_error(
        stub.ResetPassword,
        identity_pb2.ResetPasswordRequest(account_id=str(account.id), new_password=account.username),
        metadata=md(admin),
    )
    assert code == grpc.StatusCode.INVALID_ARGUMENT
    assert {v.code for v in error.violations} == {"PASSWORD_NEEDS_LETTER", "PASSWORD_EQUALS_USERNAME"}

    reset = stub.ResetPassword(
        identity_pb2.ResetPasswordRequest(account_id=str(account.id), new_password="Pilihan123"),
        metadata=md(admin),
    )
    assert reset.temporary_password == ""
    assert login(stub, account.username, "Pilihan123").account.must_change_password


def test_who_may_reset(stub: Stub, factory: Factory, token_for: TokenFor) -> None:
    instansi = new_id()
    target = factory.account(instansi)
    bkn_in_instansi = factory.account(instansi, roles={ROLE_ADMIN_BKN})
    request = identity_pb2.ResetPasswordRequest(account_id=str(target.id))

    code, error = rpc_error(stub.ResetPassword, request, metadata=md(token_for(instansi, role=ROLE_PEGAWAI)))
    assert (code, error.reason) == (grpc.StatusCode.PERMISSION_DENIED, "ADMIN_REQUIRED")

    code, error = rpc_error(
        stub.ResetPassword,
        identity_pb2.ResetPasswordRequest(account_id=str(bkn_in_instansi.id)),
        metadata=md(token_for(instansi, role=ROLE_ADMIN_INSTANSI)),
    )
    assert (code, error.reason) == (grpc.StatusCode.PERMISSION_DENIED, "ACCOUNT_PROTECTED")

    bkn = token_for(role=ROLE_ADMIN_BKN)
    code, error = rpc_error(stub.ResetPassword, request, metadata=md(bkn))  # not acting on the instansi
    assert (code, error.reason) == (grpc.StatusCode.NOT_FOUND, "ACCOUNT_NOT_FOUND")
    assert stub.ResetPassword(request, metadata=md(bkn, instansi)).temporary_password

    code, error = rpc_error(
        stub.ResetPassword, identity_pb2.ResetPasswordRequest(account_id="x"), metadata=md(bkn, instansi)
    )
    assert code == grpc.StatusCode.INVALID_ARGUMENT
    assert [v.field for v in error.violations] == ["account_id"]


def test_admin_bkn_resets_another_admin_bkn(
    stub: Stub, factory: Factory, token_for: TokenFor, identity_settings: IdentitySettings
) -> None:
    other = factory.account(NATIONAL_INSTANSI_ID, roles={ROLE_ADMIN_BKN})
    reset = stub.ResetPassword(
        identity_pb2.ResetPasswordRequest(account_id=str(other.id)),
        metadata=md(token_for(role=ROLE_ADMIN_BKN)),
    )
    assert login(stub, other.username, reset.temporary_password).account.roles == [
        identity_pb2.ROLE_ADMIN_BKN
    ]


@pytest.mark.parametrize(
    ("new_password", "code"),
    [
        ("password1", "PASSWORD_TOO_COMMON"),
        ("Password123", "PASSWORD_TOO_COMMON"),
        ("kinerja2026", "PASSWORD_TOO_COMMON"),
        ("Kinerja2026", "PASSWORD_TOO_COMMON"),
        ("Sulastri#77", "PASSWORD_CONTAINS_NAME"),
        ("xyzxyz99", "PASSWORD_TOO_WEAK"),
    ],
)
def test_common_weak_and_personal_passwords_are_refused(
    stub: Stub, factory: Factory, token_for: TokenFor, new_password: str, code: str
) -> None:
    instansi = new_id()
    account = factory.account(instansi, nama="Endang Sulastri, S.Sos.")
    token = login(stub, account.username).tokens.access_token
    before = factory.load(account)

    status, error = rpc_error(
        stub.ChangePassword,
        identity_pb2.ChangePasswordRequest(old_password=PASSWORD, new_password=new_password),
        metadata=md(token),
    )
    assert status == grpc.StatusCode.INVALID_ARGUMENT
    assert [(v.field, v.code) for v in error.violations] == [("new_password", code)]
    assert error.violations[0].message.startswith("Kata sandi")

    _, refused = rpc_error(
        stub.ResetPassword,
        identity_pb2.ResetPasswordRequest(account_id=str(account.id), new_password=new_password),
        metadata=md(token_for(instansi, role=ROLE_ADMIN_INSTANSI)),
    )
    assert [(v.field, v.code) for v in refused.violations] == [("new_password", code)]
    assert factory.load(account) == before
    # The existing password still logs in: the policy applies when a password is set.
    assert login(stub, account.username).account.id == str(account.id)
