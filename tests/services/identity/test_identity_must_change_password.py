"""After an admin reset the account may log in, but every service refuses it until it changes the password."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import grpc
import jwt
import pytest

from kinerja.identity.v1 import identity_pb2, identity_pb2_grpc
from kinerja.org.v1 import org_pb2, org_pb2_grpc
from kinerja.skp.v1 import skp_pb2, skp_pb2_grpc
from kinerja_kit.context import ROLE_ADMIN_INSTANSI, ROLE_PEGAWAI
from kinerja_kit.ids import new_id
from kinerja_testing.identity import Factory, login, md, rpc_error
from kinerja_testing.platform import Platform

pytestmark = pytest.mark.integration

Stub = identity_pb2_grpc.IdentityServiceStub
TokenFor = Callable[..., str]
NEW_PASSWORD = "Gunung-Merbabu-Sejuk-77"


def claims(token: str) -> dict[str, object]:
    decoded: dict[str, object] = jwt.decode(token, options={"verify_signature": False})
    return decoded


def reset_and_login(stub: Stub, factory: Factory, token_for: TokenFor, roles: set[str]) -> tuple[str, str]:
    """An account the admin has just reset, logged in with its temporary password: (username, temp)."""
    instansi = new_id()
    account = factory.account(instansi, roles=roles)
    reset = stub.ResetPassword(
        identity_pb2.ResetPasswordRequest(account_id=str(account.id)),
        metadata=md(token_for(instansi, role=ROLE_ADMIN_INSTANSI)),
    )
    return account.username, reset.temporary_password


def test_a_reset_account_may_only_change_its_password(
    stub: Stub, factory: Factory, token_for: TokenFor
) -> None:
    username, temporary = reset_and_login(stub, factory, token_for, {ROLE_PEGAWAI, ROLE_ADMIN_INSTANSI})
    session = login(stub, username, temporary)
    token = session.tokens.access_token
    assert session.account.must_change_password
    assert claims(token)["pwd_change"] is True

    # Its own account and a refresh are allowed; the refreshed token is just as restricted.
    assert (
        stub.GetCurrentAccount(identity_pb2.GetCurrentAccountRequest(), metadata=md(token)).username
        == username
    )
    refreshed = stub.RefreshToken(
        identity_pb2.RefreshTokenRequest(refresh_token=session.tokens.refresh_token)
    )
    assert claims(refreshed.tokens.access_token)["pwd_change"] is True
    for call, request in [
        (stub.ListAccounts, identity_pb2.ListAccountsRequest()),
        (stub.GetAccountByUsername, identity_pb2.GetAccountByUsernameRequest(username=username)),
        (stub.ResetPassword, identity_pb2.ResetPasswordRequest(account_id=session.account.id)),
    ]:
        for access in (token, refreshed.tokens.access_token):
            code, error = rpc_error(call, request, metadata=md(access))
            assert (code, error.reason) == (grpc.StatusCode.PERMISSION_DENIED, "PASSWORD_CHANGE_REQUIRED")
            assert error.message == "Anda harus mengganti kata sandi sebelum melanjutkan."

    changed = stub.ChangePassword(
        identity_pb2.ChangePasswordRequest(old_password=temporary, new_password=NEW_PASSWORD),
        metadata=md(refreshed.tokens.access_token),
    )
    assert not changed.account.must_change_password
    assert "pwd_change" not in claims(changed.tokens.access_token)
    assert stub.ListAccounts(identity_pb2.ListAccountsRequest(), metadata=md(changed.tokens.access_token))
    assert stub.RefreshToken(identity_pb2.RefreshTokenRequest(refresh_token=changed.tokens.refresh_token))
    # The restricted sessions ended with the change.
    _, ended = rpc_error(
        stub.RefreshToken, identity_pb2.RefreshTokenRequest(refresh_token=refreshed.tokens.refresh_token)
    )
    assert ended.reason == "REFRESH_TOKEN_INVALID"
    assert "pwd_change" not in claims(login(stub, username, NEW_PASSWORD).tokens.access_token)


@pytest.fixture(scope="module")
def platform_stubs(
    platform: Platform,
) -> Iterator[tuple[Stub, org_pb2_grpc.OrgServiceStub, skp_pb2_grpc.SkpServiceStub]]:
    channels = [
        grpc.insecure_channel(a) for a in (platform.identity_addr, platform.org_addr, platform.skp_addr)
    ]
    yield (
        identity_pb2_grpc.IdentityServiceStub(channels[0]),
        org_pb2_grpc.OrgServiceStub(channels[1]),
        skp_pb2_grpc.SkpServiceStub(channels[2]),
    )
    for channel in channels:
        channel.close()


def test_every_service_refuses_the_token_until_the_password_changes(
    platform_stubs: tuple[Stub, org_pb2_grpc.OrgServiceStub, skp_pb2_grpc.SkpServiceStub],
    factory: Factory,
    token_for: TokenFor,
) -> None:
    """org and skp know nothing of passwords: the kit's interceptor refuses the token's claim."""
    identity, org, skp = platform_stubs
    username, temporary = reset_and_login(identity, factory, token_for, {ROLE_PEGAWAI})
    token = login(identity, username, temporary).tokens.access_token

    for call, request in [
        (org.ListUnor, org_pb2.ListUnorRequest()),
        (skp.ListPeriode, skp_pb2.ListPeriodeRequest()),
    ]:
        code, error = rpc_error(call, request, metadata=md(token))
        assert (code, error.reason) == (grpc.StatusCode.PERMISSION_DENIED, "PASSWORD_CHANGE_REQUIRED")

    changed = identity.ChangePassword(
        identity_pb2.ChangePasswordRequest(old_password=temporary, new_password=NEW_PASSWORD),
        metadata=md(token),
    )
    fresh = changed.tokens.access_token
    assert list(org.ListUnor(org_pb2.ListUnorRequest(), metadata=md(fresh)).unor) == []
    skp.ListPeriode(skp_pb2.ListPeriodeRequest(), metadata=md(fresh))
