"""Refresh-token rotation and reuse detection, logout, and verification with the published keys."""

from __future__ import annotations

import json

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


def test_refresh_rotates_and_reuse_ends_the_session(stub: Stub, factory: Factory) -> None:
    instansi = new_id()
    account = factory.account(instansi)
    first = login(stub, account.username).tokens

    second = refresh(stub, first.refresh_token).tokens
    assert second.refresh_token != first.refresh_token
    assert second.access_token != first.access_token

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
    rpc_error(stub.RefreshToken, identity_pb2.RefreshTokenRequest(refresh_token=phone.refresh_token))

    assert refresh(stub, laptop.refresh_token).account.id == str(account.id)


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
