"""SetRoles through the real server: who may grant what, and what a refreshed token then carries."""

from __future__ import annotations

from collections.abc import Callable

import grpc
import pytest

from kinerja.identity.v1 import identity_pb2, identity_pb2_grpc
from kinerja_kit.context import ROLE_ADMIN_INSTANSI, ROLE_PEGAWAI
from kinerja_kit.ids import new_id
from kinerja_testing.identity import Factory, login, md, rpc_error

pytestmark = pytest.mark.integration

Stub = identity_pb2_grpc.IdentityServiceStub
TokenFor = Callable[..., str]
P, AI, AB = identity_pb2.ROLE_PEGAWAI, identity_pb2.ROLE_ADMIN_INSTANSI, identity_pb2.ROLE_ADMIN_BKN


def set_roles(
    stub: Stub, token: str, account_id: object, roles: list[int], instansi: object = None
) -> identity_pb2.Account:
    result: identity_pb2.Account = stub.SetRoles(
        identity_pb2.SetRolesRequest(account_id=str(account_id), roles=roles),  # type: ignore[arg-type]
        metadata=md(token, instansi),  # type: ignore[arg-type]
    )
    return result


def test_admin_instansi_grants_admin_instansi_and_the_next_token_has_it(
    stub: Stub, factory: Factory, token_for: TokenFor
) -> None:
    instansi = new_id()
    account = factory.account(instansi, pegawai_id=new_id())
    session = login(stub, account.username)

    updated = set_roles(stub, token_for(instansi, role=ROLE_ADMIN_INSTANSI), account.id, [AI])

    assert list(updated.roles) == [AI, P]  # pegawai kept: the account belongs to a pegawai
    assert updated.version == account.version + 1
    refreshed = stub.RefreshToken(
        identity_pb2.RefreshTokenRequest(refresh_token=session.tokens.refresh_token)
    )
    listed = stub.ListAccounts(identity_pb2.ListAccountsRequest(), metadata=md(refreshed.tokens.access_token))
    assert str(account.id) in {a.id for a in listed.accounts}
    events = factory.query(
        None,
        "select count(*) from outbox where aggregate_id = :a and event_type = 'kinerja.identity.v1.RolesChanged'",
        a=str(account.id),
    )
    assert events[0][0] == 1


def test_only_admin_bkn_grants_admin_bkn(stub: Stub, factory: Factory, token_for: TokenFor) -> None:
    instansi = new_id()
    account = factory.account(instansi)

    code, error = rpc_error(
        stub.SetRoles,
        identity_pb2.SetRolesRequest(account_id=str(account.id), roles=[P, AB]),
        metadata=md(token_for(instansi, role=ROLE_ADMIN_INSTANSI)),
    )
    assert (code, error.reason) == (grpc.StatusCode.PERMISSION_DENIED, "ROLE_FORBIDDEN")
    assert factory.load(account).roles == {ROLE_PEGAWAI}

    updated = set_roles(stub, token_for(role="admin_bkn"), account.id, [P, AB], instansi)
    assert set(updated.roles) == {P, AB}

    code, error = rpc_error(
        stub.SetRoles,
        identity_pb2.SetRolesRequest(account_id=str(account.id), roles=[P]),
        metadata=md(token_for(instansi, role=ROLE_ADMIN_INSTANSI)),
    )
    assert (code, error.reason) == (grpc.StatusCode.PERMISSION_DENIED, "ACCOUNT_PROTECTED")


def test_pegawai_may_not_set_roles_and_bad_roles_are_rejected(
    stub: Stub, factory: Factory, token_for: TokenFor
) -> None:
    instansi = new_id()
    account = factory.account(instansi)
    request = identity_pb2.SetRolesRequest(account_id=str(account.id), roles=[AI])

    code, error = rpc_error(stub.SetRoles, request, metadata=md(token_for(instansi, role=ROLE_PEGAWAI)))
    assert (code, error.reason) == (grpc.StatusCode.PERMISSION_DENIED, "ADMIN_REQUIRED")

    code, error = rpc_error(
        stub.SetRoles,
        identity_pb2.SetRolesRequest(account_id=str(account.id), roles=[identity_pb2.ROLE_UNSPECIFIED]),
        metadata=md(token_for(instansi, role=ROLE_ADMIN_INSTANSI)),
    )
    assert code == grpc.StatusCode.INVALID_ARGUMENT
    assert {v.code for v in error.violations} == {"ROLE_UNKNOWN"}


def test_unchanged_roles_emit_nothing(stub: Stub, factory: Factory, token_for: TokenFor) -> None:
    instansi = new_id()
    account = factory.account(instansi)

    same = set_roles(stub, token_for(instansi, role=ROLE_ADMIN_INSTANSI), account.id, [P])

    assert same.version == account.version
    events = factory.query(None, "select count(*) from outbox where aggregate_id = :a", a=str(account.id))
    assert events[0][0] == 0
