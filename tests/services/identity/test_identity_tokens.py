"""Refresh-token rotation and reuse detection, logout, and verification with the published keys."""

from __future__ import annotations

import json
import threading
import uuid

import grpc
import jwt
import pytest

from identity.service_layer.deps import Deps
from kinerja.identity.v1 import identity_pb2, identity_pb2_grpc
from kinerja_kit.auth import TokenVerifier
from kinerja_kit.ids import new_id
from kinerja_testing.identity import Factory, login, rpc_error

pytestmark = pytest.mark.integration

Stub = identity_pb2_grpc.IdentityServiceStub


def refresh(stub: Stub, token: str) -> identity_pb2.LoginResponse:
    response: identity_pb2.LoginResponse = stub.RefreshToken(
        identity_pb2.RefreshTokenRequest(refresh_token=token)
    )
    return response


def past_the_grace(factory: Factory, instansi: uuid.UUID, account_id: uuid.UUID) -> None:
    """Moves the account's rotations back beyond the reuse grace (30 s by default)."""
    factory.execute(
        instansi,
        "update refresh_tokens set revoked_at = revoked_at - interval '5 minutes'"
        " where account_id = :a and revoked_reason = 'rotated'",
        a=account_id,
    )


def test_refresh_rotates_and_reuse_ends_the_session(stub: Stub, factory: Factory) -> None:
    instansi = new_id()
    account = factory.account(instansi)
    first = login(stub, account.username).tokens

    second = refresh(stub, first.refresh_token).tokens
    assert second.refresh_token != first.refresh_token
    assert second.access_token != first.access_token
    past_the_grace(factory, instansi, account.id)

    # The first token comes back (stolen copy): refused, and the live token of the family dies too.
    code, reused = rpc_error(
        stub.RefreshToken, identity_pb2.RefreshTokenRequest(refresh_token=first.refresh_token)
    )
    assert (code, reused.reason) == (grpc.StatusCode.UNAUTHENTICATED, "REFRESH_TOKEN_REUSED")
    _, dead = rpc_error(
        stub.RefreshToken, identity_pb2.RefreshTokenRequest(refresh_token=second.refresh_token)
    )
    assert dead.reason == "REFRESH_TOKEN_INVALID"

    rows = factory.query(
        instansi,
        "select revoked_reason from refresh_tokens where account_id = :a order by created_at, id",
        a=account.id,
    )
    assert [r[0] for r in rows] == ["rotated", "reuse_detected"]
    # Only hashes are stored.
    hashes = factory.query(
        instansi, "select token_hash from refresh_tokens where account_id = :a", a=account.id
    )
    assert all(len(bytes(h[0])) == 32 for h in hashes)


def test_other_sessions_survive_a_reuse(stub: Stub, factory: Factory) -> None:
    account = factory.account(new_id())
    phone = login(stub, account.username).tokens
    laptop = login(stub, account.username).tokens
    refresh(stub, phone.refresh_token)
    past_the_grace(factory, account.instansi_id, account.id)
    _, reused = rpc_error(
        stub.RefreshToken, identity_pb2.RefreshTokenRequest(refresh_token=phone.refresh_token)
    )
    assert reused.reason == "REFRESH_TOKEN_REUSED"

    assert refresh(stub, laptop.refresh_token).account.id == str(account.id)


def test_a_token_just_rotated_gets_a_pair_of_its_own_within_the_grace(stub: Stub, factory: Factory) -> None:
    """Two tabs refresh with the same token one after the other: both keep the session."""
    instansi = new_id()
    account = factory.account(instansi)
    first = login(stub, account.username).tokens

    tab_a = refresh(stub, first.refresh_token).tokens
    tab_b = refresh(stub, first.refresh_token).tokens
    assert len({first.refresh_token, tab_a.refresh_token, tab_b.refresh_token}) == 3
    # Both tabs go on refreshing in the same session; nothing was revoked as a reuse.
    refresh(stub, tab_a.refresh_token)
    refresh(stub, tab_b.refresh_token)
    rows = factory.query(
        instansi,
        "select count(distinct family_id), count(*) filter (where revoked_reason = 'reuse_detected')"
        " from refresh_tokens where account_id = :a",
        a=account.id,
    )
    assert tuple(rows[0]) == (1, 0)


def test_concurrent_refreshes_with_one_token_keep_the_session(stub: Stub, factory: Factory) -> None:
    account = factory.account(new_id())
    first = login(stub, account.username).tokens
    start = threading.Barrier(4)
    results: list[str] = []
    errors: list[BaseException] = []

    def tab() -> None:
        start.wait()
        try:
            results.append(refresh(stub, first.refresh_token).tokens.refresh_token)
        except grpc.RpcError as exc:
            errors.append(exc)

    threads = [threading.Thread(target=tab) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert len(set(results)) == 4
    for token in results:
        assert refresh(stub, token).account.id == str(account.id)


def test_the_grace_does_not_reopen_an_ended_session(stub: Stub, factory: Factory) -> None:
    account = factory.account(new_id())
    first = login(stub, account.username).tokens
    second = refresh(stub, first.refresh_token).tokens
    stub.Logout(identity_pb2.LogoutRequest(refresh_token=second.refresh_token))

    _, error = rpc_error(
        stub.RefreshToken, identity_pb2.RefreshTokenRequest(refresh_token=first.refresh_token)
    )
    assert error.reason in ("REFRESH_TOKEN_INVALID", "REFRESH_TOKEN_REUSED")


def test_logout_revokes_and_ignores_unknown_tokens(stub: Stub, factory: Factory) -> None:
    account = factory.account(new_id())
    tokens = login(stub, account.username).tokens

    stub.Logout(identity_pb2.LogoutRequest(refresh_token=tokens.refresh_token))
    stub.Logout(identity_pb2.LogoutRequest(refresh_token="not-a-token"))
    stub.Logout(identity_pb2.LogoutRequest(refresh_token=tokens.refresh_token))

    _, error = rpc_error(
        stub.RefreshToken, identity_pb2.RefreshTokenRequest(refresh_token=tokens.refresh_token)
    )
    assert error.reason == "REFRESH_TOKEN_INVALID"


def test_malformed_expired_and_disabled_refresh(stub: Stub, factory: Factory) -> None:
    instansi = new_id()
    account = factory.account(instansi)
    tokens = login(stub, account.username).tokens
    tampered = "rt1." + new_id().hex + "." + tokens.refresh_token.split(".")[2]
    for bad in ("", "garbage", tampered):
        _, error = rpc_error(stub.RefreshToken, identity_pb2.RefreshTokenRequest(refresh_token=bad))
        assert error.reason == "REFRESH_TOKEN_INVALID"

    factory.execute(
        instansi, "update refresh_tokens set expires_at = now() where account_id = :a", a=account.id
    )
    _, expired = rpc_error(
        stub.RefreshToken, identity_pb2.RefreshTokenRequest(refresh_token=tokens.refresh_token)
    )
    assert expired.reason == "REFRESH_TOKEN_EXPIRED"

    fresh = login(stub, account.username).tokens
    factory.execute(instansi, "update accounts set active = false where id = :a", a=account.id)
    _, disabled = rpc_error(
        stub.RefreshToken, identity_pb2.RefreshTokenRequest(refresh_token=fresh.refresh_token)
    )
    assert disabled.reason == "ACCOUNT_DISABLED"


def test_public_keys_verify_an_issued_token(stub: Stub, factory: Factory) -> None:
    instansi = new_id()
    pegawai = new_id()
    account = factory.account(instansi, pegawai_id=pegawai, nama="Budi Santoso")
    response = login(stub, account.username)

    keys = stub.GetPublicKeys(identity_pb2.GetPublicKeysRequest())
    verifier = TokenVerifier(lambda: keys.jwks_json, keys.issuer, keys.audience)
    principal = verifier.verify(response.tokens.access_token)

    assert principal.subject == str(account.id)
    assert principal.instansi_id == instansi
    assert principal.pegawai_id == pegawai
    assert principal.username == account.username
    assert principal.nama == "Budi Santoso"
    assert principal.roles == {"pegawai"}
    claims = jwt.decode(response.tokens.access_token, options={"verify_signature": False})
    assert claims["exp"] - claims["iat"] == 900
    assert all("d" not in key for key in json.loads(keys.jwks_json)["keys"])  # public halves only


def test_a_retired_key_stays_published_for_the_token_lifetime(stub: Stub, deps: Deps) -> None:
    before = deps.keys.active_key()
    after = deps.keys.rotate()

    kids = {
        k["kid"]
        for k in json.loads(stub.GetPublicKeys(identity_pb2.GetPublicKeysRequest()).jwks_json)["keys"]
    }

    assert {before.kid, after.kid} <= kids
    assert (
        jwt.get_unverified_header(
            deps.signer().issue(subject="x", instansi_id=new_id(), roles=[], username="u")
        )["kid"]
        == after.kid
    )


def test_methods_other_than_the_public_ones_need_a_token(stub: Stub) -> None:
    code, error = rpc_error(stub.GetCurrentAccount, identity_pb2.GetCurrentAccountRequest())
    assert (code, error.reason) == (grpc.StatusCode.UNAUTHENTICATED, "UNAUTHENTICATED")
    code, error = rpc_error(
        stub.ListAccounts, identity_pb2.ListAccountsRequest(), metadata=[("authorization", "Bearer nope")]
    )
    assert (code, error.reason) == (grpc.StatusCode.UNAUTHENTICATED, "TOKEN_INVALID")
