"""gRPC server kit: create_server with health and reflection, and the interceptor that verifies callers."""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable, Iterable
from concurrent import futures
from typing import Any

import grpc
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection

from kinerja_kit.auth import TokenVerifier
from kinerja_kit.context import IDEMPOTENCY_METADATA, Principal, bind, check_idempotency_key
from kinerja_kit.errors import DomainError, PermissionDenied, Unauthenticated, to_status
from kinerja_kit.logging import redacted_traceback

log = logging.getLogger(__name__)

AUTHORIZATION = "authorization"
REQUEST_ID = "x-request-id"
INSTANSI = "x-instansi-id"

_END = object()
_ALWAYS_PUBLIC = ("/grpc.health.v1.Health/", "/grpc.reflection.")


class CallerInterceptor(grpc.ServerInterceptor):
    """Verifies the caller's JWT into the principal context variable and maps errors to statuses.

    The `idempotency-key` metadata, when sent, is checked (INVALID_IDEMPOTENCY_KEY) and bound to
    `current_idempotency_key`; the methods that opt in (`kinerja_kit.idempotency`) act on it.

    Methods in `public_methods` may be called without a token (login, public keys). Every other
    method refuses a call without a valid token before the servicer runs. A token that says its
    account must change the password (after an admin reset) is refused as well, with
    PASSWORD_CHANGE_REQUIRED, except on public methods and on `password_change_methods` (identity's
    ChangePassword and GetCurrentAccount): every service enforces it without knowing about passwords.
    """

    def __init__(
        self,
        verifier: TokenVerifier | None,
        public_methods: Iterable[str] = (),
        password_change_methods: Iterable[str] = (),
    ) -> None:
        self._verifier = verifier
        self._public = set(public_methods)
        self._password_change = set(password_change_methods)

    def intercept_service(
        self,
        continuation: Callable[[grpc.HandlerCallDetails], grpc.RpcMethodHandler | None],
        handler_call_details: grpc.HandlerCallDetails,
    ) -> grpc.RpcMethodHandler | None:
        handler = continuation(handler_call_details)
        method = handler_call_details.method
        if handler is None or method.startswith(_ALWAYS_PUBLIC):
            return handler
        metadata = {k: v for k, v in (handler_call_details.invocation_metadata or ()) if isinstance(v, str)}
        public = method in self._public

        def run(inner: Callable[[], Any], context: grpc.ServicerContext, request_id: str) -> Any:
            try:
                principal = self._principal(metadata, public)
                if (
                    principal is not None
                    and principal.password_change_required
                    and not public
                    and method not in self._password_change
                ):
                    raise password_change_required()
                key = metadata.get(IDEMPOTENCY_METADATA)
                if key is not None:
                    check_idempotency_key(key)
                # What is left of the caller's deadline bounds every call this one makes.
                remaining = context.time_remaining()
                deadline = time.monotonic() + remaining if remaining is not None else None
                with bind(
                    principal=principal, request_id=request_id, idempotency_key=key or "", deadline=deadline
                ):
                    return inner()
            except DomainError as err:
                with bind(request_id=request_id):
                    log.info("rpc refused", extra={"method": method, "reason": err.reason})
                context.abort_with_status(to_status(err))
            except Exception as exc:
                if _already_aborted(context):
                    raise  # the handler set its own status with context.abort()
                trace_id = uuid.uuid4().hex[:16]
                with bind(request_id=request_id):
                    log.error(
                        "rpc failed",
                        extra={"method": method, "trace_id": trace_id, "error": redacted_traceback(exc)},
                    )
                context.abort(
                    grpc.StatusCode.INTERNAL,
                    f"Terjadi kesalahan pada sistem. Kode pelacakan: {trace_id}",
                )

        def guarded(inner: Callable[[Any, grpc.ServicerContext], Any]) -> Callable[..., Any]:
            def behaviour(request: Any, context: grpc.ServicerContext) -> Any:
                request_id = metadata.get(REQUEST_ID) or uuid.uuid4().hex
                return run(lambda: inner(request, context), context, request_id)

            return behaviour

        def guarded_stream(inner: Callable[[Any, grpc.ServicerContext], Any]) -> Callable[..., Any]:
            def behaviour(request: Any, context: grpc.ServicerContext) -> Any:
                request_id = metadata.get(REQUEST_ID) or uuid.uuid4().hex
                responses = run(lambda: inner(request, context), context, request_id)
                while True:
                    # each response is produced with the caller bound, errors mapped as for unary calls
                    item = run(lambda: next(responses, _END), context, request_id)
                    if item is _END:
                        return
                    yield item

            return behaviour

        if handler.unary_unary is not None:
            return grpc.unary_unary_rpc_method_handler(
                guarded(handler.unary_unary),
                request_deserializer=handler.request_deserializer,
                response_serializer=handler.response_serializer,
            )
        # Streaming methods: the same check before the servicer runs.
        for kind, factory in (
            ("unary_stream", grpc.unary_stream_rpc_method_handler),
            ("stream_unary", grpc.stream_unary_rpc_method_handler),
            ("stream_stream", grpc.stream_stream_rpc_method_handler),
        ):
            inner = getattr(handler, kind)
            if inner is not None:
                wrap = guarded_stream if kind.endswith("_stream") else guarded
                return factory(  # type: ignore[operator]
                    wrap(inner),
                    request_deserializer=handler.request_deserializer,
                    response_serializer=handler.response_serializer,
                )
        return handler

    def _principal(self, metadata: dict[str, str], public: bool) -> Principal | None:
        header = metadata.get(AUTHORIZATION, "")
        if not header:
            if public:
                return None
            raise Unauthenticated()
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token or self._verifier is None:
            if public:
                return None
            raise Unauthenticated("TOKEN_INVALID", "Token tidak valid.")
        try:
            principal = self._verifier.verify(token)
        except Unauthenticated:
            if public:
                return None
            raise
        acting = metadata.get(INSTANSI, "")
        if acting:
            try:
                acting_id = uuid.UUID(acting)
            except ValueError as exc:
                raise PermissionDenied("INSTANSI_INVALID", "Instansi tidak valid.") from exc
            if principal.is_admin_bkn:
                principal = Principal(**{**principal.__dict__, "acting_instansi_id": acting_id})
            elif acting_id != principal.instansi_id:
                raise PermissionDenied(
                    "INSTANSI_FORBIDDEN", "Anda hanya dapat mengakses data instansi Anda sendiri."
                )
        return principal


def password_change_required() -> PermissionDenied:
    """The refusal of a call made with a token whose account must change its password first."""
    return PermissionDenied(
        "PASSWORD_CHANGE_REQUIRED", "Anda harus mengganti kata sandi sebelum melanjutkan."
    )


def _already_aborted(context: grpc.ServicerContext) -> bool:
    code = context.code()  # type: ignore[attr-defined]
    return code is not None and code != grpc.StatusCode.OK


def create_server(
    register: Callable[[grpc.Server], None],
    service_names: Iterable[str],
    *,
    verifier: TokenVerifier | None,
    public_methods: Iterable[str] = (),
    password_change_methods: Iterable[str] = (),
    host: str = "127.0.0.1",
    port: int = 0,
    max_workers: int = 16,
) -> tuple[grpc.Server, int]:
    """Builds a started-ready server (call .start()); returns it with its bound port (port 0 picks one).

    `password_change_methods`: the methods a caller who must change the password may still call
    (only identity names any); every other non-public method refuses them.
    """
    server = grpc.server(
        futures.ThreadPoolExecutor(max_workers=max_workers),
        interceptors=[CallerInterceptor(verifier, public_methods, password_change_methods)],
        options=[("grpc.so_reuseport", 0)],
    )
    register(server)
    names = list(service_names)
    health_servicer = health.HealthServicer()
    health_pb2_grpc.add_HealthServicer_to_server(health_servicer, server)
    for name in [*names, ""]:
        health_servicer.set(name, health_pb2.HealthCheckResponse.SERVING)
    reflection.enable_server_reflection([*names, health.SERVICE_NAME, reflection.SERVICE_NAME], server)
    bound = server.add_insecure_port(f"{host}:{port}")
    if bound == 0:
        raise RuntimeError(f"cannot bind gRPC port {host}:{port}")
    return server, bound
