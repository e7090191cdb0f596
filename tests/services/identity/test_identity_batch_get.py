"""BatchGetAccounts: several accounts in one call, with the visibility of GetAccountByUsername."""

from __future__ import annotations

from collections.abc import Callable

import grpc
import pytest

from kinerja.identity.v1 import identity_pb2, identity_pb2_grpc
from kinerja_kit.context import ROLE_ADMIN_BKN, ROLE_ADMIN_INSTANSI
from kinerja_kit.ids import new_id
from kinerja_testing.identity import Factory, login, md, random_nip, rpc_error

pytestmark = pytest.mark.integration

Stub = identity_pb2_grpc.IdentityServiceStub
TokenFor = Callable[..., str]


def _batch(stub: Stub, usernames: list[str], metadata: list[tuple[str, str]]) -> list[str]:
    response = stub.BatchGetAccounts(
        identity_pb2.BatchGetAccountsRequest(usernames=usernames), metadata=metadata
    )
    return [a.username for a in response.accounts]


def test_admin_gets_several_accounts_in_one_call_in_the_order_asked(
    stub: Stub, factory: Factory, token_for: TokenFor
) -> None:
    instansi = new_id()
    made = [factory.account(instansi, nama=f"Pegawai {i}") for i in range(4)]
    elsewhere = factory.account(new_id())
    admin = md(token_for(instansi, role=ROLE_ADMIN_INSTANSI))
    asked = [made[2].username, random_nip(), made[0].username, elsewhere.username, made[3].username]

    response = stub.BatchGetAccounts(identity_pb2.BatchGetAccountsRequest(usernames=asked), metadata=admin)
    assert [a.username for a in response.accounts] == [made[2].username, made[0].username, made[3].username]
    first = response.accounts[1]
    assert (first.id, first.nama, first.instansi_id, first.has_password) == (
        str(made[0].id),
        "Pegawai 0",
        str(instansi),
        True,
    )
    # duplicates once, spaces typed inside a NIP ignored, blanks and overlong values skipped
    spaced = f"{made[1].username[:8]} {made[1].username[8:]}"
    assert _batch(stub, [made[1].username, spaced, "", "9" * 70, made[1].username], admin) == [
        made[1].username
    ]
    assert _batch(stub, [], admin) == []
    # admin BKN sees the accounts of the instansi it acts on
    bkn = md(token_for(role=ROLE_ADMIN_BKN), instansi)
    assert _batch(stub, asked, bkn) == [made[2].username, made[0].username, made[3].username]


def test_pegawai_gets_only_their_own_account(stub: Stub, factory: Factory) -> None:
    instansi = new_id()
    me = factory.account(instansi)
    colleague = factory.account(instansi)
    token = md(login(stub, me.username).tokens.access_token)

    assert _batch(stub, [colleague.username, me.username, random_nip()], token) == [me.username]
    assert _batch(stub, [colleague.username], token) == []


def test_more_than_1000_usernames_are_refused(stub: Stub, token_for: TokenFor) -> None:
    admin = md(token_for(new_id(), role=ROLE_ADMIN_INSTANSI))
    unknown = [f"{i:018d}" for i in range(1001)]
    assert _batch(stub, unknown[:1000], admin) == []
    code, error = rpc_error(
        stub.BatchGetAccounts,
        identity_pb2.BatchGetAccountsRequest(usernames=unknown),
        metadata=admin,
    )
    assert code == grpc.StatusCode.INVALID_ARGUMENT
    assert [(v.field, v.code) for v in error.violations] == [("usernames", "TOO_MANY_IDS")]
