"""identity's text inputs over gRPC: a NUL in a login username, a lookup or a list search is a field
error (or skipped in a batch), never a database error; searches are bounded."""

from __future__ import annotations

import base64
from collections.abc import Callable

import grpc
import pytest

from kinerja.identity.v1 import identity_pb2, identity_pb2_grpc
from kinerja_kit.context import ROLE_ADMIN_INSTANSI
from kinerja_kit.ids import new_id
from kinerja_testing.identity import Factory, md, rpc_error

pytestmark = pytest.mark.integration

Stub = identity_pb2_grpc.IdentityServiceStub
TokenFor = Callable[..., str]
NUL = "\x00"


def field_codes(call: Callable[..., object], request: object, metadata: object = None) -> dict[str, str]:
    code, error = rpc_error(call, request, metadata=metadata)
    assert code == grpc.StatusCode.INVALID_ARGUMENT, (code, error)
    return {v.field: v.code for v in error.violations}


def test_a_nul_in_the_login_username_is_a_field_error(stub: Stub, factory: Factory) -> None:
    account = factory.account(new_id())
    for username in (f"{account.username}{NUL}", NUL, f"{account.username[:9]}\x07{account.username[9:]}"):
        request = identity_pb2.LoginRequest(username=username, password="Rahasia2026!")
        assert field_codes(stub.Login, request) == {"username": "INVALID_CHARACTER"}


def test_lookups_and_searches_refuse_a_nul(stub: Stub, factory: Factory, token_for: TokenFor) -> None:
    instansi = new_id()
    account = factory.account(instansi, nama="Dewi Lestari")
    admin = md(token_for(instansi, role=ROLE_ADMIN_INSTANSI))
    request = identity_pb2.GetAccountByUsernameRequest(username=f"{account.username}{NUL}")
    assert field_codes(stub.GetAccountByUsername, request, admin) == {"username": "INVALID_CHARACTER"}
    assert field_codes(stub.ListAccounts, identity_pb2.ListAccountsRequest(query=f"Dewi{NUL}"), admin) == {
        "query": "INVALID_CHARACTER"
    }
    made_up = base64.urlsafe_b64encode(f"1{NUL}".encode()).decode()
    assert field_codes(stub.ListAccounts, identity_pb2.ListAccountsRequest(page_token=made_up), admin) == {
        "page_token": "INVALID"
    }
    batch = stub.BatchGetAccounts(
        identity_pb2.BatchGetAccountsRequest(usernames=[f"{account.username}{NUL}", account.username]),
        metadata=admin,
    )
    assert [a.id for a in batch.accounts] == [str(account.id)]
    found = stub.ListAccounts(identity_pb2.ListAccountsRequest(query="  Dewi   Lestari "), metadata=admin)
    assert [a.id for a in found.accounts] == [str(account.id)]


def test_a_long_search_is_refused(stub: Stub, token_for: TokenFor) -> None:
    admin = md(token_for(new_id(), role=ROLE_ADMIN_INSTANSI))
    assert field_codes(stub.ListAccounts, identity_pb2.ListAccountsRequest(query="a" * 10_000), admin) == {
        "query": "TOO_LONG"
    }
