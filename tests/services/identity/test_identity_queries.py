"""GetCurrentAccount, GetAccount, GetAccountByUsername and ListAccounts through the real server."""

from __future__ import annotations

from collections.abc import Callable

import grpc
import pytest

from identity.adapters import repository
from kinerja.identity.v1 import identity_pb2, identity_pb2_grpc
from kinerja_kit.context import ROLE_ADMIN_INSTANSI, ROLE_PEGAWAI
from kinerja_kit.ids import new_id
from kinerja_testing.identity import Factory, login, md, rpc_error

pytestmark = pytest.mark.integration

Stub = identity_pb2_grpc.IdentityServiceStub
TokenFor = Callable[..., str]


def test_pegawai_reads_only_their_own_account(stub: Stub, factory: Factory) -> None:
    instansi = new_id()
    me = factory.account(instansi)
    colleague = factory.account(instansi)
    token = login(stub, me.username).tokens.access_token

    assert stub.GetCurrentAccount(identity_pb2.GetCurrentAccountRequest(), metadata=md(token)).id == str(
        me.id
    )
    assert stub.GetAccount(
        identity_pb2.GetAccountRequest(account_id=str(me.id)), metadata=md(token)
    ).id == str(me.id)
    by_name = stub.GetAccountByUsername(
        identity_pb2.GetAccountByUsernameRequest(username=me.username), metadata=md(token)
    )
    assert by_name.id == str(me.id)
    for call, request in [
        (stub.GetAccount, identity_pb2.GetAccountRequest(account_id=str(colleague.id))),
        (stub.GetAccountByUsername, identity_pb2.GetAccountByUsernameRequest(username=colleague.username)),
        (stub.ListAccounts, identity_pb2.ListAccountsRequest()),
    ]:
        code, _ = rpc_error(call, request, metadata=md(token))
        assert code == grpc.StatusCode.PERMISSION_DENIED


def test_admin_reads_accounts_of_the_instansi(stub: Stub, factory: Factory, token_for: TokenFor) -> None:
    instansi = new_id()
    account = factory.account(instansi, nama="Dewi Lestari")
    admin = md(token_for(instansi, role=ROLE_ADMIN_INSTANSI))

    got = stub.GetAccount(identity_pb2.GetAccountRequest(account_id=str(account.id)), metadata=admin)
    assert (got.nama, got.has_password, got.active) == ("Dewi Lestari", True, True)
    assert stub.GetAccountByUsername(
        identity_pb2.GetAccountByUsernameRequest(username=account.username), metadata=admin
    ).id == str(account.id)
    code, error = rpc_error(
        stub.GetAccount, identity_pb2.GetAccountRequest(account_id=str(new_id())), metadata=admin
    )
    assert (code, error.reason) == (grpc.StatusCode.NOT_FOUND, "ACCOUNT_NOT_FOUND")
    code, error = rpc_error(stub.GetAccount, identity_pb2.GetAccountRequest(account_id="123"), metadata=admin)
    assert code == grpc.StatusCode.INVALID_ARGUMENT


def test_list_accounts_pages_and_filters(stub: Stub, factory: Factory, token_for: TokenFor) -> None:
    instansi = new_id()
    names = ["Andi", "Bambang", "Citra", "Dedi", "Eka"]
    made = [factory.account(instansi, nama=n, username=f"19800101200501{i:04d}") for i, n in enumerate(names)]
    factory.account(new_id(), nama="Andi Lain")  # another instansi: never listed
    admin = md(token_for(instansi, role=ROLE_ADMIN_INSTANSI))

    seen: list[str] = []
    token = ""
    pages = 0
    while True:
        page = stub.ListAccounts(
            identity_pb2.ListAccountsRequest(page_size=2, page_token=token), metadata=admin
        )
        seen += [a.username for a in page.accounts]
        pages += 1
        token = page.next_page_token
        if not token:
            break
    assert seen == [a.username for a in made]
    assert pages == 3

    def query(q: str) -> list[str]:
        return [
            a.nama
            for a in stub.ListAccounts(identity_pb2.ListAccountsRequest(query=q), metadata=admin).accounts
        ]

    assert query("an") == ["Andi", "Bambang"]
    assert query("198001012005010003") == ["Dedi"]
    assert query("1980010120050100") == names
    assert query("%") == []

    code, error = rpc_error(
        stub.ListAccounts, identity_pb2.ListAccountsRequest(page_size=-1, page_token="!!"), metadata=admin
    )
    assert code == grpc.StatusCode.INVALID_ARGUMENT
    assert {v.field for v in error.violations} == {"page_size", "page_token"}


def test_token_of_unknown_subject_has_no_current_account(stub: Stub, token_for: TokenFor) -> None:
    code, error = rpc_error(
        stub.GetCurrentAccount,
        identity_pb2.GetCurrentAccountRequest(),
        metadata=md(token_for(new_id(), role=ROLE_PEGAWAI)),
    )
    assert (code, error.reason) == (grpc.StatusCode.NOT_FOUND, "ACCOUNT_NOT_FOUND")


@pytest.mark.parametrize("limit", [1000, 3])
def test_a_name_fragment_pages_in_username_order_either_way(
    stub: Stub, factory: Factory, token_for: TokenFor, monkeypatch: pytest.MonkeyPatch, limit: int
) -> None:
    """Few matches come sorted from the trigram index, many from the walk in username order (more than
    COUNT_LIMIT, made 3 here): the pages are the same."""
    monkeypatch.setattr(repository, "COUNT_LIMIT", limit)
    instansi = new_id()
    names = ["Sari", "Budi", "Puspasari", "Sarinah", "Dewi", "Kusumasari", "Sari Dewi"]
    made = [
        factory.account(instansi, nama=n, username=f"1980010120050{3 if limit == 3 else 2}{i:04d}")
        for i, n in enumerate(names)
    ]
    admin = md(token_for(instansi, role=ROLE_ADMIN_INSTANSI))
    seen: list[str] = []
    token = ""
    while True:
        page = stub.ListAccounts(
            identity_pb2.ListAccountsRequest(query="sari", page_size=2, page_token=token), metadata=admin
        )
        seen += [a.nama for a in page.accounts]
        token = page.next_page_token
        if not token:
            break
    assert seen == [a.nama for a in made if "sari" in a.nama.casefold()]
