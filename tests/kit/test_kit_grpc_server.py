"""create_server, the CallerInterceptor and the forwarding client channels against a real gRPC server."""

from __future__ import annotations

import contextlib
import dataclasses
import json
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import grpc
import grpc.aio
import jwt
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection_pb2, reflection_pb2_grpc

from kinerja_kit.auth import TokenVerifier
from kinerja_kit.context import (
    ROLE_ADMIN_BKN,
    ROLE_ADMIN_INSTANSI,
    ROLE_PEGAWAI,
    Principal,
    bind,
    current_deadline,
    current_principal,
    current_request_id,
)
from kinerja_kit.errors import DomainError, from_rpc_error
from kinerja_kit.grpc_client import aio_channel, call_metadata, call_timeout, channel
from kinerja_kit.grpc_server import create_server
from kinerja_kit.ids import NATIONAL_INSTANSI_ID, new_id
from kinerja_kit.runtime import full_method_names
from kinerja_kit.tokens import SigningKey, TokenSigner
from kinerja_testing.platform import AUDIENCE, ISSUER

SERVICE = "kittest.Probe"
WHOAMI, PUBLIC, SLOW, WATCH, ABORT = (
    f"/{SERVICE}/{m}" for m in ("Whoami", "Public", "Slow", "Watch", "Abort")
)

TokenFactory = Callable[..., str]


def _seen(context: grpc.ServicerContext) -> dict[str, Any]:
    """What the servicer sees of the call: principal, request id, metadata and remaining deadline."""
    principal = current_principal.get()
    remaining = context.time_remaining()
    return {
        "principal": None
        if principal is None
        else {
            "subject": principal.subject,
            "username": principal.username,
            "instansi_id": str(principal.instansi_id),
            "roles": sorted(principal.roles),
            "pegawai_id": str(principal.pegawai_id) if principal.pegawai_id else None,
            "token": principal.token,
            "acting_instansi_id": str(principal.acting_instansi_id) if principal.acting_instansi_id else None,
            "tenant_id": str(principal.tenant_id),
        },
        "request_id": current_request_id.get(),
        "metadata": [
            [key, value] for key, value in context.invocation_metadata() or () if isinstance(value, str)
        ],
        "time_remaining": remaining,
        # what a call this one makes would get (the channels' default here: a minute)
        "outgoing_timeout": call_timeout(None, 60.0),
    }


@dataclass
class Probe:
    """The test servicer: counts how often each method body actually ran."""

    runs: dict[str, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def _ran(self, method: str) -> None:
        with self.lock:
            self.runs[method] = self.runs.get(method, 0) + 1

    def whoami(self, request: bytes, context: grpc.ServicerContext) -> bytes:
        self._ran(WHOAMI)
        return json.dumps(_seen(context)).encode()

    def public(self, request: bytes, context: grpc.ServicerContext) -> bytes:
        self._ran(PUBLIC)
        return json.dumps(_seen(context)).encode()

    def slow(self, request: bytes, context: grpc.ServicerContext) -> bytes:
        self._ran(SLOW)
        deadline = time.monotonic() + 3
        while context.is_active() and time.monotonic() < deadline:
            time.sleep(0.02)
        return b"late"

    def abort(self, request: bytes, context: grpc.ServicerContext) -> bytes:
        self._ran(ABORT)
        context.abort(grpc.StatusCode.NOT_FOUND, "Data tidak ditemukan.")
        raise AssertionError("unreachable")

    def watch(self, request: bytes, context: grpc.ServicerContext) -> Iterator[bytes]:
        self._ran(WATCH)
        yield json.dumps(_seen(context)).encode()

    def register(self, server: grpc.Server) -> None:
        handler = grpc.method_handlers_generic_handler(
            SERVICE,
            {
                "Whoami": grpc.unary_unary_rpc_method_handler(self.whoami),
                "Public": grpc.unary_unary_rpc_method_handler(self.public),
                "Slow": grpc.unary_unary_rpc_method_handler(self.slow),
                "Watch": grpc.unary_stream_rpc_method_handler(self.watch),
                "Abort": grpc.unary_unary_rpc_method_handler(self.abort),
            },
        )
        server.add_generic_rpc_handlers((handler,))


@dataclass
class Served:
    probe: Probe
    port: int
    channel: grpc.Channel

    @property
    def target(self) -> str:
        return f"127.0.0.1:{self.port}"

    def call(self, method: str, metadata: list[tuple[str, str]] | None = None) -> dict[str, Any]:
        response = self.channel.unary_unary(method)(
            b"", metadata=tuple(metadata) if metadata else None, timeout=5
        )
        return dict(json.loads(response))


@pytest.fixture(scope="module")
def verifier(jwks_provider: Callable[[], str]) -> TokenVerifier:
    return TokenVerifier(jwks_provider, ISSUER, AUDIENCE)


@contextlib.contextmanager
def serving(verifier: TokenVerifier, **options: Any) -> Iterator[Served]:
    """The probe servicer behind the kit's `create_server` (public method: PUBLIC), until the block ends."""
    probe = Probe()
    server, port = create_server(
        probe.register, [SERVICE], verifier=verifier, public_methods=[PUBLIC], **options
    )
    server.start()
    raw = grpc.insecure_channel(f"127.0.0.1:{port}")
    try:
        yield Served(probe, port, raw)
    finally:
        raw.close()
        server.stop(None)


@pytest.fixture(scope="module")
def served(verifier: TokenVerifier) -> Iterator[Served]:
    with serving(verifier, max_workers=8) as served:
        yield served


@pytest.fixture(scope="module")
def forger() -> TokenSigner:
    """Signs with a key the server does not trust."""
    return TokenSigner(SigningKey.generate(), ISSUER, AUDIENCE)


def bearer(token: str) -> list[tuple[str, str]]:
    return [("authorization", f"Bearer {token}")]


def refused(
    served: Served, method: str, metadata: list[tuple[str, str]] | None
) -> tuple[grpc.StatusCode, DomainError]:
    """Calls `method` expecting a domain refusal; the servicer must not have run."""
    before = served.probe.runs.get(method, 0)
    with pytest.raises(grpc.RpcError) as info:
        served.call(method, metadata)
    assert served.probe.runs.get(method, 0) == before, "the servicer ran for a refused call"
    error = info.value
    assert isinstance(error, grpc.Call)
    rebuilt = from_rpc_error(error)
    assert rebuilt is not None
    return error.code(), rebuilt


def claims_of(token: str) -> dict[str, Any]:
    return dict(jwt.decode(token, options={"verify_signature": False}))


# --- create_server: port, health, reflection ---------------------------------------------------


def test_calls_a_service_makes_get_what_is_left_of_its_callers_deadline(
    served: Served, signer: TokenSigner
) -> None:
    """skp answering the gateway calls org: that call must not outlive the gateway's request."""
    seen = served.call(
        WHOAMI, bearer(signer.issue(subject="s", instansi_id=new_id(), roles=[ROLE_PEGAWAI], username="u"))
    )
    assert 0 < seen["outgoing_timeout"] <= 5  # Served.call gives the call 5 s; the default is a minute
    assert current_deadline.get() is None  # bound for the call only


def test_create_server_binds_a_port(served: Served) -> None:
    assert served.port > 0
    health = health_pb2_grpc.HealthStub(served.channel)
    assert (
        health.Check(health_pb2.HealthCheckRequest(), timeout=5).status
        == health_pb2.HealthCheckResponse.SERVING
    )


def test_health_serving_for_each_service_without_a_token(served: Served) -> None:
    health = health_pb2_grpc.HealthStub(served.channel)
    response = health.Check(health_pb2.HealthCheckRequest(service=SERVICE), timeout=5)
    assert response.status == health_pb2.HealthCheckResponse.SERVING
    with pytest.raises(grpc.RpcError) as info:
        health.Check(health_pb2.HealthCheckRequest(service="kittest.Unknown"), timeout=5)
    assert isinstance(info.value, grpc.Call)
    assert info.value.code() == grpc.StatusCode.NOT_FOUND


def test_reflection_lists_the_services(served: Served) -> None:
    stub = reflection_pb2_grpc.ServerReflectionStub(served.channel)
    responses = stub.ServerReflectionInfo(
        iter([reflection_pb2.ServerReflectionRequest(list_services="")]), timeout=5
    )
    names = {s.name for r in responses for s in r.list_services_response.service}
    assert {SERVICE, "grpc.health.v1.Health", "grpc.reflection.v1alpha.ServerReflection"} <= names


def test_create_server_refuses_a_taken_port(served: Served) -> None:
    with pytest.raises(RuntimeError, match=r"(?i)bind"):
        create_server(Probe().register, [SERVICE], verifier=None, port=served.port)


def test_full_method_names() -> None:
    assert full_method_names(SERVICE, ["Whoami", "Public"]) == {WHOAMI, PUBLIC}


# --- CallerInterceptor: authentication ----------------------------------------------------------


def test_no_token_is_unauthenticated(served: Served) -> None:
    code, error = refused(served, WHOAMI, None)
    assert code == grpc.StatusCode.UNAUTHENTICATED
    assert error.reason == "UNAUTHENTICATED"
    assert error.message == "Silakan masuk terlebih dahulu."


@pytest.mark.parametrize(
    "header",
    ["Bearer not-a-jwt", "Bearer ", "Basic dXNlcjpwYXNz", "bearer", "Token abc.def.ghi"],
)
def test_malformed_authorization_is_token_invalid(served: Served, header: str) -> None:
    code, error = refused(served, WHOAMI, [("authorization", header)])
    assert code == grpc.StatusCode.UNAUTHENTICATED
    assert error.reason == "TOKEN_INVALID"


def test_expired_token_is_token_expired(served: Served, signer: TokenSigner) -> None:
    token = signer.issue(
        subject="s", instansi_id=new_id(), roles=[ROLE_PEGAWAI], username="u", ttl_seconds=-60
    )
    code, error = refused(served, WHOAMI, bearer(token))
    assert code == grpc.StatusCode.UNAUTHENTICATED
    assert error.reason == "TOKEN_EXPIRED"


def test_token_signed_by_another_key_is_invalid(
    served: Served, signer: TokenSigner, forger: TokenSigner
) -> None:
    claims: dict[str, Any] = {
        "subject": "s",
        "instansi_id": new_id(),
        "roles": [ROLE_ADMIN_BKN],
        "username": "u",
    }
    # Under an unknown key id (the verifier refreshes its keys, still does not find it) ...
    code, error = refused(served, WHOAMI, bearer(forger.issue(**claims)))
    assert (code, error.reason) == (grpc.StatusCode.UNAUTHENTICATED, "TOKEN_INVALID")
    # ... and under the trusted key's id (the signature does not match).
    impostor = dataclasses.replace(forger, key=SigningKey(signer.key.kid, forger.key.private_pem))
    code, error = refused(served, WHOAMI, bearer(impostor.issue(**claims)))
    assert (code, error.reason) == (grpc.StatusCode.UNAUTHENTICATED, "TOKEN_INVALID")


def test_token_for_another_audience_is_invalid(served: Served, signer: TokenSigner) -> None:
    other = dataclasses.replace(signer, audience="another-app")
    token = other.issue(subject="s", instansi_id=new_id(), roles=[ROLE_PEGAWAI], username="u")
    code, error = refused(served, WHOAMI, bearer(token))
    assert (code, error.reason) == (grpc.StatusCode.UNAUTHENTICATED, "TOKEN_INVALID")


def test_public_method_works_without_a_token(served: Served) -> None:
    seen = served.call(PUBLIC)
    assert seen["principal"] is None


def test_public_method_with_a_bad_token_is_anonymous(served: Served) -> None:
    seen = served.call(PUBLIC, [("authorization", "Bearer not-a-jwt")])
    assert seen["principal"] is None


def test_public_method_with_a_valid_token_sees_the_principal(served: Served, token_for: TokenFactory) -> None:
    instansi = new_id()
    seen = served.call(PUBLIC, bearer(token_for(instansi)))
    assert seen["principal"]["instansi_id"] == str(instansi)


def test_handler_sees_the_tokens_claims(served: Served, token_for: TokenFactory) -> None:
    instansi, pegawai = new_id(), new_id()
    token = token_for(instansi, role=ROLE_ADMIN_INSTANSI, pegawai_id=pegawai, username="198501012010011002")
    seen = served.call(WHOAMI, bearer(token))
    principal = seen["principal"]
    assert principal == {
        "subject": claims_of(token)["sub"],
        "username": "198501012010011002",
        "instansi_id": str(instansi),
        "roles": sorted([ROLE_ADMIN_INSTANSI, ROLE_PEGAWAI]),
        "pegawai_id": str(pegawai),
        "token": token,
        "acting_instansi_id": None,
        "tenant_id": str(instansi),
    }


def test_request_id_propagates(served: Served, token_for: TokenFactory) -> None:
    seen = served.call(WHOAMI, [*bearer(token_for()), ("x-request-id", "req-kit-123")])
    assert seen["request_id"] == "req-kit-123"


def test_missing_request_id_gets_a_fresh_one(served: Served, token_for: TokenFactory) -> None:
    first = served.call(WHOAMI, bearer(token_for()))["request_id"]
    second = served.call(WHOAMI, bearer(token_for()))["request_id"]
    assert len(first) == 32 and len(second) == 32
    assert first != second


def test_principal_is_not_left_behind_between_calls(served: Served, token_for: TokenFactory) -> None:
    served.call(WHOAMI, bearer(token_for()))
    assert served.call(PUBLIC)["principal"] is None


# --- CallerInterceptor: acting instansi ---------------------------------------------------------


def test_admin_bkn_acts_on_the_named_instansi(served: Served, token_for: TokenFactory) -> None:
    target = new_id()
    seen = served.call(WHOAMI, [*bearer(token_for(role=ROLE_ADMIN_BKN)), ("x-instansi-id", str(target))])
    principal = seen["principal"]
    assert principal["instansi_id"] == str(NATIONAL_INSTANSI_ID)
    assert principal["acting_instansi_id"] == str(target)
    assert principal["tenant_id"] == str(target)


def test_admin_bkn_without_instansi_stays_national(served: Served, token_for: TokenFactory) -> None:
    principal = served.call(WHOAMI, bearer(token_for(role=ROLE_ADMIN_BKN)))["principal"]
    assert principal["acting_instansi_id"] is None
    assert principal["tenant_id"] == str(NATIONAL_INSTANSI_ID)


@pytest.mark.parametrize("role", [ROLE_PEGAWAI, ROLE_ADMIN_INSTANSI])
def test_non_bkn_naming_another_instansi_is_forbidden(
    served: Served, token_for: TokenFactory, role: str
) -> None:
    metadata = [*bearer(token_for(new_id(), role=role)), ("x-instansi-id", str(new_id()))]
    code, error = refused(served, WHOAMI, metadata)
    assert code == grpc.StatusCode.PERMISSION_DENIED
    assert error.reason == "INSTANSI_FORBIDDEN"


@pytest.mark.parametrize("role", [ROLE_PEGAWAI, ROLE_ADMIN_INSTANSI])
def test_non_bkn_naming_its_own_instansi_is_fine(served: Served, token_for: TokenFactory, role: str) -> None:
    own = new_id()
    principal = served.call(WHOAMI, [*bearer(token_for(own, role=role)), ("x-instansi-id", str(own))])[
        "principal"
    ]
    assert principal["tenant_id"] == str(own)
    assert principal["acting_instansi_id"] is None


@pytest.mark.parametrize("role", [ROLE_PEGAWAI, ROLE_ADMIN_BKN])
@pytest.mark.parametrize("value", ["not-a-uuid", "1234", "' or 1=1 --"])
def test_malformed_instansi_is_refused(
    served: Served, token_for: TokenFactory, role: str, value: str
) -> None:
    code, error = refused(served, WHOAMI, [*bearer(token_for(role=role)), ("x-instansi-id", value)])
    assert code == grpc.StatusCode.PERMISSION_DENIED
    assert error.reason == "INSTANSI_INVALID"


def test_streaming_method_requires_a_token(served: Served) -> None:
    before = served.probe.runs.get(WATCH, 0)
    with pytest.raises(grpc.RpcError) as info:
        list(served.channel.unary_stream(WATCH)(b"", timeout=5))
    assert served.probe.runs.get(WATCH, 0) == before
    assert isinstance(info.value, grpc.Call)
    assert info.value.code() == grpc.StatusCode.UNAUTHENTICATED


def test_handler_abort_keeps_its_status(served: Served, token_for: TokenFactory) -> None:
    with pytest.raises(grpc.RpcError) as info:
        served.call(ABORT, bearer(token_for()))
    assert isinstance(info.value, grpc.Call)
    assert (info.value.code(), info.value.details()) == (grpc.StatusCode.NOT_FOUND, "Data tidak ditemukan.")


# --- client kit: sync channel -------------------------------------------------------------------


def header_values(seen: dict[str, Any], key: str) -> list[str]:
    return [v for k, v in seen["metadata"] if k == key]


def test_call_metadata_without_a_principal_has_only_a_request_id() -> None:
    metadata = call_metadata()
    assert [k for k, _ in metadata] == ["x-request-id"]
    with bind(request_id="req-bound"):
        assert call_metadata() == [("x-request-id", "req-bound")]


def test_sync_channel_forwards_the_bound_caller(
    served: Served, verifier: TokenVerifier, token_for: TokenFactory
) -> None:
    instansi = new_id()
    principal = verifier.verify(token_for(instansi, role=ROLE_ADMIN_INSTANSI))
    client = channel(served.target)
    try:
        with bind(principal=principal, request_id="req-sync-1"):
            seen = json.loads(client.unary_unary(WHOAMI)(b""))
    finally:
        client.close()
    assert header_values(seen, "authorization") == [f"Bearer {principal.token}"]
    assert header_values(seen, "x-request-id") == ["req-sync-1"]
    assert header_values(seen, "x-instansi-id") == []
    assert seen["request_id"] == "req-sync-1"
    assert seen["principal"]["subject"] == principal.subject
    assert seen["principal"]["tenant_id"] == str(instansi)


def test_sync_channel_forwards_the_acting_instansi(
    served: Served, verifier: TokenVerifier, token_for: TokenFactory
) -> None:
    target = new_id()
    admin = dataclasses.replace(verifier.verify(token_for(role=ROLE_ADMIN_BKN)), acting_instansi_id=target)
    client = channel(served.target)
    try:
        with bind(principal=admin):
            seen = json.loads(client.unary_unary(WHOAMI)(b""))
    finally:
        client.close()
    assert header_values(seen, "x-instansi-id") == [str(target)]
    assert seen["principal"]["tenant_id"] == str(target)
    assert len(header_values(seen, "x-request-id")[0]) == 32


def test_sync_channel_keeps_explicit_metadata(
    served: Served, verifier: TokenVerifier, token_for: TokenFactory
) -> None:
    principal = verifier.verify(token_for())
    client = channel(served.target)
    try:
        with bind(principal=principal, request_id="req-from-context"):
            seen = json.loads(client.unary_unary(WHOAMI)(b"", metadata=(("x-request-id", "req-explicit"),)))
    finally:
        client.close()
    assert header_values(seen, "x-request-id") == ["req-explicit"]
    assert header_values(seen, "authorization") == [f"Bearer {principal.token}"]


def test_sync_channel_without_a_principal_sends_no_token(served: Served) -> None:
    client = channel(served.target)
    try:
        with pytest.raises(grpc.RpcError) as info:
            client.unary_unary(WHOAMI)(b"")
        seen = json.loads(client.unary_unary(PUBLIC)(b""))
    finally:
        client.close()
    assert isinstance(info.value, grpc.Call)
    assert info.value.code() == grpc.StatusCode.UNAUTHENTICATED
    assert header_values(seen, "authorization") == []
    assert len(header_values(seen, "x-request-id")) == 1


def test_sync_channel_applies_the_default_deadline(served: Served) -> None:
    client = channel(served.target, default_timeout=2.0)
    try:
        seen = json.loads(client.unary_unary(PUBLIC)(b""))
        explicit = json.loads(client.unary_unary(PUBLIC)(b"", timeout=30))
    finally:
        client.close()
    assert 0 < seen["time_remaining"] <= 2.1
    assert 2.0 < explicit["time_remaining"] <= 30.5


def test_sync_channel_default_deadline_cuts_a_slow_call(
    served: Served, verifier: TokenVerifier, token_for: TokenFactory
) -> None:
    client = channel(served.target, default_timeout=0.3)
    started = time.monotonic()
    try:
        with bind(principal=verifier.verify(token_for())), pytest.raises(grpc.RpcError) as info:
            client.unary_unary(SLOW)(b"")
    finally:
        client.close()
    assert isinstance(info.value, grpc.Call)
    assert info.value.code() == grpc.StatusCode.DEADLINE_EXCEEDED
    assert time.monotonic() - started < 2


# --- client kit: grpc.aio channel ---------------------------------------------------------------


async def test_aio_channel_forwards_the_bound_caller(
    served: Served, verifier: TokenVerifier, token_for: TokenFactory
) -> None:
    target = new_id()
    admin: Principal = dataclasses.replace(
        verifier.verify(token_for(role=ROLE_ADMIN_BKN)), acting_instansi_id=target
    )
    client = aio_channel(served.target, default_timeout=2.0)
    try:
        with bind(principal=admin, request_id="req-aio-1"):
            seen = json.loads(await client.unary_unary(WHOAMI)(b""))
    finally:
        await client.close()
    assert header_values(seen, "authorization") == [f"Bearer {admin.token}"]
    assert header_values(seen, "x-request-id") == ["req-aio-1"]
    assert header_values(seen, "x-instansi-id") == [str(target)]
    assert seen["request_id"] == "req-aio-1"
    assert seen["principal"]["subject"] == admin.subject
    assert seen["principal"]["tenant_id"] == str(target)
    assert 0 < seen["time_remaining"] <= 2.1


async def test_aio_channel_keeps_explicit_metadata_and_timeout(
    served: Served, verifier: TokenVerifier, token_for: TokenFactory
) -> None:
    principal = verifier.verify(token_for())
    client = aio_channel(served.target, default_timeout=2.0)
    try:
        with bind(principal=principal, request_id="req-from-context"):
            seen = json.loads(
                await client.unary_unary(WHOAMI)(
                    b"", metadata=(("x-request-id", "req-explicit"),), timeout=30
                )
            )
    finally:
        await client.close()
    assert header_values(seen, "x-request-id") == ["req-explicit"]
    assert header_values(seen, "authorization") == [f"Bearer {principal.token}"]
    assert 2.0 < seen["time_remaining"] <= 30.5


async def test_aio_channel_default_deadline_cuts_a_slow_call(
    served: Served, verifier: TokenVerifier, token_for: TokenFactory
) -> None:
    client = aio_channel(served.target, default_timeout=0.3)
    started = time.monotonic()
    try:
        with bind(principal=verifier.verify(token_for())), pytest.raises(grpc.aio.AioRpcError) as info:
            await client.unary_unary(SLOW)(b"")
    finally:
        await client.close()
    assert info.value.code() == grpc.StatusCode.DEADLINE_EXCEEDED
    assert time.monotonic() - started < 2


async def test_aio_channel_without_a_principal_is_unauthenticated(served: Served) -> None:
    client = aio_channel(served.target)
    try:
        with pytest.raises(grpc.aio.AioRpcError) as info:
            await client.unary_unary(WHOAMI)(b"")
    finally:
        await client.close()
    assert info.value.code() == grpc.StatusCode.UNAUTHENTICATED
    rebuilt = from_rpc_error(info.value)
    assert rebuilt is not None and rebuilt.reason == "UNAUTHENTICATED"


def test_unknown_method_is_unimplemented(served: Served, token_for: TokenFactory) -> None:
    with pytest.raises(grpc.RpcError) as info:
        served.channel.unary_unary(f"/{SERVICE}/Nope")(b"", metadata=tuple(bearer(token_for())), timeout=5)
    assert isinstance(info.value, grpc.Call)
    assert info.value.code() == grpc.StatusCode.UNIMPLEMENTED


# --- CallerInterceptor: an account that must change its password ----------------------------------


def must_change_token(signer: TokenSigner) -> str:
    """A token as identity issues it after an admin reset (claim pwd_change)."""
    token = signer.issue(
        subject=str(new_id()),
        instansi_id=new_id(),
        roles=[ROLE_PEGAWAI, ROLE_ADMIN_INSTANSI],
        username="199001012020011001",
        password_change_required=True,
    )
    assert claims_of(token)["pwd_change"] is True
    return token


@pytest.fixture(scope="module")
def served_with_password_change(verifier: TokenVerifier) -> Iterator[Served]:
    """A server where Whoami stands for identity's ChangePassword / GetCurrentAccount."""
    with serving(verifier, password_change_methods=[WHOAMI], max_workers=4) as served:
        yield served


def test_a_token_that_must_change_the_password_is_refused_everywhere_by_default(
    served: Served, signer: TokenSigner
) -> None:
    """A service that names no method (org, skp) refuses it on every method but the public ones."""
    token = must_change_token(signer)
    for method in (WHOAMI, SLOW, ABORT):
        code, error = refused(served, method, bearer(token))
        assert (code, error.reason) == (grpc.StatusCode.PERMISSION_DENIED, "PASSWORD_CHANGE_REQUIRED")
        assert error.message == "Anda harus mengganti kata sandi sebelum melanjutkan."
    assert served.call(PUBLIC, bearer(token))["principal"]["subject"] == claims_of(token)["sub"]


def test_a_token_that_must_change_the_password_reaches_the_allowed_methods(
    served_with_password_change: Served, signer: TokenSigner
) -> None:
    token = must_change_token(signer)
    seen = served_with_password_change.call(WHOAMI, bearer(token))
    assert seen["principal"]["subject"] == claims_of(token)["sub"]
    code, error = refused(served_with_password_change, SLOW, bearer(token))
    assert (code, error.reason) == (grpc.StatusCode.PERMISSION_DENIED, "PASSWORD_CHANGE_REQUIRED")
    with pytest.raises(grpc.RpcError) as info:
        list(
            served_with_password_change.channel.unary_stream(WATCH)(
                b"", metadata=tuple(bearer(token)), timeout=5
            )
        )
    assert isinstance(info.value, grpc.Call)
    rebuilt = from_rpc_error(info.value)
    assert rebuilt is not None and rebuilt.reason == "PASSWORD_CHANGE_REQUIRED"


def test_the_claim_reaches_the_principal(signer: TokenSigner, verifier: TokenVerifier) -> None:
    assert verifier.verify(must_change_token(signer)).password_change_required
    plain = signer.issue(subject="s", instansi_id=new_id(), roles=[ROLE_PEGAWAI], username="u")
    assert "pwd_change" not in claims_of(plain)
    assert not verifier.verify(plain).password_change_required
