"""Tenant isolation: instansi A can read or change nothing of instansi B through any identity RPC,
and row-level security hides B's rows even from a query that forgets its filter."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import grpc
import pytest
import sqlalchemy as sa

from kinerja.identity.v1 import identity_pb2, identity_pb2_grpc
from kinerja_kit.context import ROLE_ADMIN_INSTANSI, ROLE_PEGAWAI
from kinerja_kit.db import ServiceDatabase
from kinerja_kit.ids import new_id
from kinerja_testing.identity import PASSWORD, Factory, login, md, rpc_error

pytestmark = pytest.mark.integration

Stub = identity_pb2_grpc.IdentityServiceStub
TokenFor = Callable[..., str]
DENIED = {grpc.StatusCode.NOT_FOUND, grpc.StatusCode.PERMISSION_DENIED}


def test_no_rpc_of_instansi_a_reaches_instansi_b(stub: Stub, factory: Factory, token_for: TokenFor) -> None:
    a, b = new_id(), new_id()
    admin_a = factory.account(a, roles={ROLE_PEGAWAI, ROLE_ADMIN_INSTANSI})
    pegawai_a = factory.account(a)
    victim = factory.account(b, nama="Korban")
    other_b = factory.account(b, roles={ROLE_PEGAWAI, ROLE_ADMIN_INSTANSI})
    b_session = login(stub, victim.username)
    before = factory.load(victim)
    tokens = {
        "admin": login(stub, admin_a.username).tokens.access_token,
        "pegawai": login(stub, pegawai_a.username).tokens.access_token,
        "signed_admin": token_for(a, role=ROLE_ADMIN_INSTANSI),
    }
    covered: set[str] = set()

    def refused(method: str, request: Any, token: str, instansi: object = None) -> None:
        covered.add(method)
        code, _ = rpc_error(getattr(stub, method), request, metadata=md(token, instansi))  # type: ignore[arg-type]
        assert code in DENIED, method

    for token in tokens.values():
        refused("GetAccount", identity_pb2.GetAccountRequest(account_id=str(victim.id)), token)
        refused(
            "GetAccountByUsername", identity_pb2.GetAccountByUsernameRequest(username=victim.username), token
        )
        # A batch of B's usernames finds nothing (skipped, as unknown ones are).
        batch = stub.BatchGetAccounts(
            identity_pb2.BatchGetAccountsRequest(usernames=[victim.username, other_b.username]),
            metadata=md(token),
        )
        assert list(batch.accounts) == [], token
        covered.add("BatchGetAccounts")
        refused("ResetPassword", identity_pb2.ResetPasswordRequest(account_id=str(victim.id)), token)
        refused(
            "SetRoles",
            identity_pb2.SetRolesRequest(account_id=str(victim.id), roles=[identity_pb2.ROLE_ADMIN_INSTANSI]),
            token,
        )
        # Naming B explicitly is refused before anything runs.
        for method, request in [
            ("GetCurrentAccount", identity_pb2.GetCurrentAccountRequest()),
            ("ListAccounts", identity_pb2.ListAccountsRequest()),
            ("GetAccount", identity_pb2.GetAccountRequest(account_id=str(victim.id))),
            ("BatchGetAccounts", identity_pb2.BatchGetAccountsRequest(usernames=[victim.username])),
            ("ResetPassword", identity_pb2.ResetPasswordRequest(account_id=str(victim.id))),
            (
                "ChangePassword",
                identity_pb2.ChangePasswordRequest(
                    old_password=PASSWORD, new_password="Lampu-Teras-Redup-12"
                ),
            ),
        ]:
            code, error = rpc_error(getattr(stub, method), request, metadata=md(token, b))
            assert (code, error.reason) == (grpc.StatusCode.PERMISSION_DENIED, "INSTANSI_FORBIDDEN")

    # Own-account and list methods only ever see A.
    listed = stub.ListAccounts(identity_pb2.ListAccountsRequest(page_size=200), metadata=md(tokens["admin"]))
    assert {acc.instansi_id for acc in listed.accounts} == {str(a)}
    by_query = stub.ListAccounts(
        identity_pb2.ListAccountsRequest(query="Korban"), metadata=md(tokens["admin"])
    )
    assert list(by_query.accounts) == []
    covered.add("ListAccounts")
    mixed = stub.BatchGetAccounts(
        identity_pb2.BatchGetAccountsRequest(usernames=[victim.username, pegawai_a.username]),
        metadata=md(tokens["admin"]),
    )
    assert [acc.id for acc in mixed.accounts] == [str(pegawai_a.id)]
    me = stub.GetCurrentAccount(identity_pb2.GetCurrentAccountRequest(), metadata=md(tokens["admin"]))
    assert me.id == str(admin_a.id)
    covered.add("GetCurrentAccount")
    stub.ChangePassword(
        identity_pb2.ChangePasswordRequest(old_password=PASSWORD, new_password="Lampu-Teras-Redup-12"),
        metadata=md(tokens["pegawai"]),
    )
    covered.add("ChangePassword")

    # Public methods carry no tenant of the caller: a refresh token routed to B with a made-up secret
    # finds nothing, logging it out touches nothing, and the public keys are not tenant data.
    forged = f"rt1.{b.hex}.{'A' * 43}"
    code, _ = rpc_error(stub.RefreshToken, identity_pb2.RefreshTokenRequest(refresh_token=forged))
    assert code == grpc.StatusCode.UNAUTHENTICATED
    stub.Logout(identity_pb2.LogoutRequest(refresh_token=forged))
    code, _ = rpc_error(stub.Login, identity_pb2.LoginRequest(username=victim.username, password="Lain12345"))
    assert code == grpc.StatusCode.UNAUTHENTICATED
    assert "instansi" not in stub.GetPublicKeys(identity_pb2.GetPublicKeysRequest()).jwks_json
    covered |= {"RefreshToken", "Logout", "Login", "GetPublicKeys"}

    methods = {m.name for m in identity_pb2.DESCRIPTOR.services_by_name["IdentityService"].methods}
    assert covered == methods
    after = factory.load(victim)
    assert (after.roles, after.password_hash, after.version) == (
        before.roles,
        before.password_hash,
        before.version,
    )
    assert after.failed_attempts == 1  # only the wrong-password login above, which B's user could see
    assert stub.RefreshToken(identity_pb2.RefreshTokenRequest(refresh_token=b_session.tokens.refresh_token))


def test_rls_hides_b_even_without_the_application_filter(
    identity_db: ServiceDatabase, factory: Factory, stub: Stub
) -> None:
    a, b = new_id(), new_id()
    factory.account(a)
    victim = factory.account(b)
    login(stub, victim.username)
    rpc_error(stub.Login, identity_pb2.LoginRequest(username=victim.username, password="Salah12345"))
    engine = sa.create_engine(identity_db.app_url)
    try:
        with engine.connect() as conn:
            with conn.begin():
                role = conn.execute(
                    sa.text("select rolsuper, rolbypassrls from pg_roles where rolname = current_user")
                ).one()
            assert tuple(role) == (False, False)
            # accounts_search: the view ListAccounts searches, confined by itself (migration 0004)
            for table in ("accounts", "accounts_search", "refresh_tokens", "login_audit"):
                with conn.begin():
                    conn.execute(sa.text("select set_config('app.instansi_id', :t, true)"), {"t": str(a)})
                    hidden = conn.execute(
                        sa.text(f"select count(*) from {table} where instansi_id = :b"), {"b": b}
                    )
                    assert hidden.scalar_one() == 0, table
                    tenants = (
                        conn.execute(sa.text(f"select distinct instansi_id from {table}")).scalars().all()
                    )
                    assert set(tenants) <= {a}, table
                with conn.begin():  # no tenant set: nothing at all
                    assert conn.execute(sa.text(f"select count(*) from {table}")).scalar_one() == 0, table
            with conn.begin():
                conn.execute(sa.text("select set_config('app.instansi_id', :t, true)"), {"t": str(a)})
                changed = conn.execute(
                    sa.text("update accounts set nama = 'x' where id = :v"), {"v": victim.id}
                )
                assert changed.rowcount == 0
            with pytest.raises(sa.exc.ProgrammingError, match="permission denied"), conn.begin():
                conn.execute(sa.text("delete from accounts_search"))
            with pytest.raises(sa.exc.ProgrammingError, match="row-level security"), conn.begin():
                conn.execute(sa.text("select set_config('app.instansi_id', :t, true)"), {"t": str(a)})
                conn.execute(
                    sa.text(
                        "insert into accounts (instansi_id, id, username, nama, roles) "
                        "values (:b, :id, '1', 'x', '{pegawai}')"
                    ),
                    {"b": b, "id": new_id()},
                )
    finally:
        engine.dispose()
    with factory.deps.uow.transaction(tenant=b) as tx:
        count = tx.session.execute(
            sa.text("select count(*) from login_audit where account_id = :v"), {"v": victim.id}
        )
        assert count.scalar_one() == 2
