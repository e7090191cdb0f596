"""TokenSigner/TokenVerifier (claims, refusals, key rotation, combined JWKS), the call context and JSON logs."""

from __future__ import annotations

import io
import json
import logging
import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import jwt
import pytest

import kinerja_kit.auth
from kinerja_kit.auth import TokenVerifier, combined_jwks, principal_from_claims
from kinerja_kit.context import (
    ROLE_ADMIN_BKN,
    ROLE_ADMIN_INSTANSI,
    ROLE_PEGAWAI,
    Principal,
    bind,
    current_principal,
    current_request_id,
    current_tenant,
)
from kinerja_kit.errors import Unauthenticated
from kinerja_kit.ids import NATIONAL_INSTANSI_ID, new_id
from kinerja_kit.logging import JsonFormatter, configure_logging
from kinerja_kit.tokens import SigningKey, TokenSigner, jwks_json
from kinerja_testing.platform import AUDIENCE, ISSUER


class CountingJwks:
    """A JWKS provider over a mutable key list that counts its calls (and can fail like a down identity)."""

    def __init__(self, keys: list[SigningKey]) -> None:
        self.keys = list(keys)
        self.calls = 0
        self.down = False

    def __call__(self) -> str:
        self.calls += 1
        if self.down:
            raise ConnectionError("identity unreachable")
        return jwks_json(self.keys)


@pytest.fixture(scope="module")
def new_key() -> SigningKey:
    """A second key, as after identity rotates its signing key."""
    return SigningKey.generate()


def issue(signer: TokenSigner, **overrides: Any) -> str:
    claims: dict[str, Any] = {
        "subject": "user-1",
        "instansi_id": uuid.UUID("0190a000-0000-7000-8000-0000000000aa"),
        "roles": [ROLE_PEGAWAI],
        "username": "199001012020011001",
    }
    claims.update(overrides)
    return signer.issue(**claims)


def refusal(verifier: TokenVerifier, token: str) -> str:
    with pytest.raises(Unauthenticated) as info:
        verifier.verify(token)
    return info.value.reason


# --- TokenSigner / TokenVerifier ----------------------------------------------------------------


def test_round_trip(signer: TokenSigner, jwks_provider: Callable[[], str]) -> None:
    instansi, pegawai = new_id(), new_id()
    token = signer.issue(
        subject="sub-42",
        instansi_id=instansi,
        roles=[ROLE_PEGAWAI, ROLE_ADMIN_INSTANSI, "superuser"],
        username="198501012010011002",
        pegawai_id=pegawai,
        name="Siti Rahayu",
    )
    header = jwt.get_unverified_header(token)
    assert (header["alg"], header["kid"]) == ("RS256", signer.key.kid)
    principal = TokenVerifier(jwks_provider, ISSUER, AUDIENCE).verify(token)
    assert principal == Principal(
        subject="sub-42",
        username="198501012010011002",
        instansi_id=instansi,
        roles=frozenset({ROLE_PEGAWAI, ROLE_ADMIN_INSTANSI}),  # unknown roles are dropped
        pegawai_id=pegawai,
        nama="Siti Rahayu",
        token=token,
    )
    assert principal.is_admin_instansi and principal.is_admin and not principal.is_admin_bkn
    assert principal.tenant_id == instansi


def test_issued_claims(signer: TokenSigner) -> None:
    token = issue(signer, roles=[ROLE_PEGAWAI, ROLE_ADMIN_INSTANSI], ttl_seconds=60)
    claims = jwt.decode(token, options={"verify_signature": False})
    assert claims["iss"] == ISSUER and claims["aud"] == AUDIENCE
    assert claims["exp"] - claims["iat"] == 60
    assert claims["roles"] == sorted([ROLE_PEGAWAI, ROLE_ADMIN_INSTANSI])
    assert "pegawai_id" not in claims
    assert issue(signer) != issue(signer)  # fresh jti every time


def test_jwks_holds_only_public_keys(signing_key: SigningKey, new_key: SigningKey) -> None:
    keys = json.loads(jwks_json([signing_key, new_key]))["keys"]
    assert [k["kid"] for k in keys] == [signing_key.kid, new_key.kid]
    for key in keys:
        assert (key["kty"], key["use"], key["alg"]) == ("RSA", "sig", "RS256")
        assert not {"d", "p", "q", "dp", "dq", "qi"} & set(key)


@pytest.mark.parametrize(
    ("issuer", "audience"), [(ISSUER, "another-app"), ("https://evil.example/identity", AUDIENCE)]
)
def test_wrong_audience_or_issuer_is_refused(
    signing_key: SigningKey, jwks_provider: Callable[[], str], issuer: str, audience: str
) -> None:
    token = issue(TokenSigner(signing_key, issuer, audience))
    assert refusal(TokenVerifier(jwks_provider, ISSUER, AUDIENCE), token) == "TOKEN_INVALID"


def test_expiry_and_leeway(signer: TokenSigner, jwks_provider: Callable[[], str]) -> None:
    verifier = TokenVerifier(jwks_provider, ISSUER, AUDIENCE, leeway_seconds=5)
    assert refusal(verifier, issue(signer, ttl_seconds=-30)) == "TOKEN_EXPIRED"
    assert verifier.verify(issue(signer, ttl_seconds=-2)).subject == "user-1"  # within the leeway


def test_a_verified_token_is_remembered_until_it_expires(
    signer: TokenSigner, jwks_provider: Callable[[], str], monkeypatch: pytest.MonkeyPatch
) -> None:
    verifier = TokenVerifier(jwks_provider, ISSUER, AUDIENCE)
    token = issue(signer, ttl_seconds=60)
    checks: list[str] = []
    real_decode = jwt.decode

    def counted(*args: Any, **kwargs: Any) -> Any:
        checks.append("decode")
        return real_decode(*args, **kwargs)

    monkeypatch.setattr(kinerja_kit.auth.jwt, "decode", counted)
    assert verifier.verify(token).subject == verifier.verify(token).subject == "user-1"
    assert len(checks) == 1  # the second answer came from memory
    other = issue(signer, subject="user-2")
    assert verifier.verify(other).subject == "user-2" and len(checks) == 2  # one entry per token
    past_expiry = time.time() + 3600
    monkeypatch.setattr(kinerja_kit.auth.time, "time", lambda: past_expiry)
    verifier.verify(token)  # remembered no longer: checked in full again (PyJWT's own clock says valid)
    assert len(checks) == 3


def test_tampered_and_unsigned_tokens_are_refused(
    signer: TokenSigner, signing_key: SigningKey, jwks_provider: Callable[[], str]
) -> None:
    verifier = TokenVerifier(jwks_provider, ISSUER, AUDIENCE)
    token = issue(signer)
    head, _body, sig = token.split(".")
    claims = jwt.decode(token, options={"verify_signature": False})
    claims["roles"] = [ROLE_ADMIN_BKN]
    forged_body = jwt.utils.base64url_encode(json.dumps(claims).encode()).decode()
    assert refusal(verifier, f"{head}.{forged_body}.{sig}") == "TOKEN_INVALID"
    unsigned = jwt.encode(claims, "", algorithm="none", headers={"kid": signing_key.kid})
    assert refusal(verifier, unsigned) == "TOKEN_INVALID"
    assert refusal(verifier, "not-a-jwt") == "TOKEN_INVALID"


@pytest.mark.parametrize(
    "claims",
    [
        {"sub": "s"},  # no instansi
        {"sub": "s", "instansi": "not-a-uuid"},
        {"sub": "s", "instansi": str(uuid.uuid4()), "pegawai_id": "nope"},
    ],
)
def test_bad_custom_claims_are_refused(
    signing_key: SigningKey, jwks_provider: Callable[[], str], claims: dict[str, Any]
) -> None:
    now = int(time.time())
    token = jwt.encode(
        {"iss": ISSUER, "aud": AUDIENCE, "iat": now, "exp": now + 60, **claims},
        signing_key.private_pem,
        algorithm="RS256",
        headers={"kid": signing_key.kid},
    )
    assert refusal(TokenVerifier(jwks_provider, ISSUER, AUDIENCE), token) == "TOKEN_INVALID"
    with pytest.raises(Unauthenticated):
        principal_from_claims(claims)


def test_missing_expiry_is_refused(signing_key: SigningKey, jwks_provider: Callable[[], str]) -> None:
    token = jwt.encode(
        {"iss": ISSUER, "aud": AUDIENCE, "iat": int(time.time()), "sub": "s", "instansi": str(uuid.uuid4())},
        signing_key.private_pem,
        algorithm="RS256",
        headers={"kid": signing_key.kid},
    )
    assert refusal(TokenVerifier(jwks_provider, ISSUER, AUDIENCE), token) == "TOKEN_INVALID"


def test_unknown_kid_refreshes_once_then_follows_key_rotation(
    signer: TokenSigner, new_key: SigningKey, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(kinerja_kit.auth, "MIN_REFRESH_SECONDS", 0.0)  # rotation, not the rate limit
    provider = CountingJwks([signer.key])
    verifier = TokenVerifier(provider, ISSUER, AUDIENCE, cache_seconds=300)
    rotated = TokenSigner(new_key, ISSUER, AUDIENCE)

    assert verifier.verify(issue(signer)).subject == "user-1"
    assert provider.calls == 1
    assert verifier.verify(issue(signer)).subject == "user-1"
    assert provider.calls == 1  # cached

    # A token under a kid identity does not publish yet: one refresh per attempt, still refused.
    assert refusal(verifier, issue(rotated)) == "TOKEN_INVALID"
    assert provider.calls == 2

    # Identity rotates: it now publishes the new key too.
    provider.keys.append(new_key)
    assert verifier.verify(issue(rotated, subject="user-2")).subject == "user-2"
    assert provider.calls == 3
    assert verifier.verify(issue(rotated)).subject == "user-1"
    assert verifier.verify(issue(signer)).subject == "user-1"  # the old key stays trusted while published
    assert provider.calls == 3

    # The old key is withdrawn: after the cache expires its tokens stop verifying.
    provider.keys = [new_key]
    expiring = TokenVerifier(provider, ISSUER, AUDIENCE, cache_seconds=0)
    assert expiring.verify(issue(rotated)).subject == "user-1"
    assert refusal(expiring, issue(signer)) == "TOKEN_INVALID"


def test_identity_down_keeps_known_keys(signer: TokenSigner, new_key: SigningKey) -> None:
    provider = CountingJwks([signer.key])
    verifier = TokenVerifier(provider, ISSUER, AUDIENCE, cache_seconds=0)  # every call refreshes
    assert verifier.verify(issue(signer)).subject == "user-1"
    provider.down = True
    assert verifier.verify(issue(signer)).subject == "user-1"
    assert refusal(verifier, issue(TokenSigner(new_key, ISSUER, AUDIENCE))) == "KEYS_UNAVAILABLE"
    assert refusal(TokenVerifier(provider, ISSUER, AUDIENCE), issue(signer)) == "KEYS_UNAVAILABLE"


def test_combined_jwks_trusts_both_sources(
    signer: TokenSigner, jwks_provider: Callable[[], str], new_key: SigningKey
) -> None:
    other = TokenSigner(new_key, ISSUER, AUDIENCE)
    stranger = TokenSigner(SigningKey(new_id().hex[:16], new_key.private_pem), ISSUER, AUDIENCE)
    combined = combined_jwks(jwks_provider, lambda: jwks_json([new_key]))
    assert {k["kid"] for k in json.loads(combined())["keys"]} == {signer.key.kid, new_key.kid}
    verifier = TokenVerifier(combined, ISSUER, AUDIENCE)
    assert verifier.verify(issue(signer, subject="from-test")).subject == "from-test"
    assert verifier.verify(issue(other, subject="from-identity")).subject == "from-identity"
    assert refusal(verifier, issue(stranger)) == "TOKEN_INVALID"


# --- context ------------------------------------------------------------------------------------


def test_bind_sets_and_restores_the_context() -> None:
    outer, inner = Principal("a", "a", new_id()), Principal("b", "b", new_id())
    tenant = new_id()
    assert current_principal.get() is None and current_request_id.get() == "" and current_tenant.get() is None
    with bind(principal=outer, request_id="r1"):
        with bind(principal=inner, tenant=tenant):
            assert (current_principal.get(), current_request_id.get(), current_tenant.get()) == (
                inner,
                "r1",
                tenant,
            )
        assert (current_principal.get(), current_request_id.get(), current_tenant.get()) == (
            outer,
            "r1",
            None,
        )
        with pytest.raises(RuntimeError), bind(request_id="r2"):
            raise RuntimeError
        assert current_request_id.get() == "r1"
    assert current_principal.get() is None and current_request_id.get() == ""


def test_principal_tenant() -> None:
    own, other = new_id(), new_id()
    bkn = Principal("s", "u", NATIONAL_INSTANSI_ID, frozenset({ROLE_ADMIN_BKN}))
    assert bkn.tenant_id == NATIONAL_INSTANSI_ID
    assert Principal(**{**bkn.__dict__, "acting_instansi_id": other}).tenant_id == other
    # Only an admin BKN may act on another instansi; anyone else stays in their own.
    pegawai = Principal("s", "u", own, frozenset({ROLE_PEGAWAI}), acting_instansi_id=other)
    assert pegawai.tenant_id == own and not pegawai.is_admin


# --- JsonFormatter ------------------------------------------------------------------------------


@pytest.fixture
def log_to_buffer() -> Iterator[tuple[logging.Logger, io.StringIO]]:
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.setFormatter(JsonFormatter("kittest"))
    logger = logging.getLogger(f"kittest.{uuid.uuid4().hex[:8]}")
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    try:
        yield logger, buffer
    finally:
        logger.removeHandler(handler)


def lines(buffer: io.StringIO) -> list[dict[str, Any]]:
    text = buffer.getvalue()
    assert text.endswith("\n")
    return [json.loads(line) for line in text.splitlines()]


def test_json_log_line_without_context(log_to_buffer: tuple[logging.Logger, io.StringIO]) -> None:
    logger, buffer = log_to_buffer
    logger.info("pegawai %s dibuat", "Budi")
    [record] = lines(buffer)
    assert record["msg"] == "pegawai Budi dibuat"
    assert (record["level"], record["service"], record["logger"]) == ("INFO", "kittest", logger.name)
    assert record["ts"].endswith("Z") and "T" in record["ts"]
    assert not {"request_id", "instansi_id", "subject", "exc"} & set(record)


def test_json_log_line_carries_the_bound_call(log_to_buffer: tuple[logging.Logger, io.StringIO]) -> None:
    logger, buffer = log_to_buffer
    instansi, acted_on, tenant = new_id(), new_id(), new_id()
    pegawai = Principal("sub-1", "u", instansi, frozenset({ROLE_PEGAWAI}))
    admin = Principal(
        "sub-bkn", "b", NATIONAL_INSTANSI_ID, frozenset({ROLE_ADMIN_BKN}), acting_instansi_id=acted_on
    )
    with bind(principal=pegawai, request_id="req-log-1"):
        logger.info("satu")
        with bind(tenant=tenant):
            logger.info("dua")
    with bind(principal=admin):
        logger.info("tiga")
    with bind(tenant=tenant):
        logger.info("empat")
    one, two, three, four = lines(buffer)
    assert (one["request_id"], one["instansi_id"], one["subject"]) == ("req-log-1", str(instansi), "sub-1")
    assert (two["request_id"], two["instansi_id"], two["subject"]) == ("req-log-1", str(tenant), "sub-1")
    assert (three["instansi_id"], three["subject"]) == (str(acted_on), "sub-bkn")
    assert "request_id" not in three
    assert four["instansi_id"] == str(tenant) and "subject" not in four


def test_json_log_keeps_extra_fields(log_to_buffer: tuple[logging.Logger, io.StringIO]) -> None:
    logger, buffer = log_to_buffer
    marker = new_id()
    logger.warning(
        "rpc refused",
        extra={
            "method": "/kinerja.org.v1.OrgService/GetPegawai",
            "count": 3,
            "ratio": 0.5,
            "ok": True,
            "id": marker,
            "none": None,
        },
    )
    [record] = lines(buffer)
    assert record["method"] == "/kinerja.org.v1.OrgService/GetPegawai"
    assert (record["count"], record["ratio"], record["ok"], record["none"]) == (3, 0.5, True, None)
    assert record["id"] == str(marker)
    assert not {"args", "levelno", "pathname", "exc_info", "msecs", "taskName"} & set(record)


def test_json_log_exception_stays_one_line(log_to_buffer: tuple[logging.Logger, io.StringIO]) -> None:
    logger, buffer = log_to_buffer
    try:
        raise ValueError("nilai “salah”\nbaris kedua")
    except ValueError:
        logger.exception("gagal")
    assert buffer.getvalue().count("\n") == 1
    [record] = lines(buffer)
    assert record["level"] == "ERROR"
    assert "Traceback" in record["exc"] and "ValueError: nilai “salah”" in record["exc"]
    assert "“salah”" in buffer.getvalue()  # not \\u-escaped


def test_configure_logging_installs_one_json_handler(capsys: pytest.CaptureFixture[str]) -> None:
    root = logging.getLogger()
    saved_handlers, saved_level = root.handlers[:], root.level
    try:
        configure_logging("kittest", level="debug")
        assert root.level == logging.DEBUG
        assert len(root.handlers) == 1 and isinstance(root.handlers[0].formatter, JsonFormatter)
        assert logging.getLogger("kafka").level == logging.WARNING
        configure_logging("kittest", json_format=False)
        assert len(root.handlers) == 1 and not isinstance(root.handlers[0].formatter, JsonFormatter)
    finally:
        root.handlers[:] = saved_handlers
        root.setLevel(saved_level)


def test_unknown_kids_refresh_the_keys_at_most_once_a_second(
    signer: TokenSigner, new_key: SigningKey
) -> None:
    provider = CountingJwks([signer.key])
    verifier = TokenVerifier(provider, ISSUER, AUDIENCE, cache_seconds=300)
    assert verifier.verify(issue(signer)).subject == "user-1"
    forged = issue(TokenSigner(new_key, ISSUER, AUDIENCE))
    for _ in range(20):
        assert refusal(verifier, forged) == "TOKEN_INVALID"
    assert provider.calls == 1  # no call to identity per forged token
