"""gRPC client kit: channels that forward the caller's token and request id and set a deadline.

A call's deadline is the channel's default, or less: when the code serving a request has set
`current_deadline` (a `time.monotonic()` instant: the gateway at a request's arrival, a service's
interceptor from its caller's deadline), every call made for that request gets at most the time left
until then, so no call outlives its request, however many services it crosses.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from typing import Any

import grpc
import grpc.aio

from kinerja_kit.context import Principal, current_deadline, current_principal, current_request_id
from kinerja_kit.grpc_server import AUTHORIZATION, INSTANSI, REQUEST_ID


def call_metadata(principal: Principal | None = None, request_id: str | None = None) -> list[tuple[str, str]]:
    """Metadata for an outgoing call on behalf of `principal` (default: the current one)."""
    principal = principal if principal is not None else current_principal.get()
    metadata = [(REQUEST_ID, request_id or current_request_id.get() or uuid.uuid4().hex)]
    if principal is not None and principal.token:
        metadata.append((AUTHORIZATION, f"Bearer {principal.token}"))
        if principal.acting_instansi_id is not None:
            metadata.append((INSTANSI, str(principal.acting_instansi_id)))
    return metadata


__all__ = ["aio_channel", "call_metadata", "call_timeout", "channel", "current_deadline"]


def call_timeout(given: float | None, default_timeout: float) -> float:
    """A call's timeout: the one given (else the default), cut to the time left of `current_deadline`."""
    timeout = given if given is not None else default_timeout
    deadline = current_deadline.get()
    if deadline is not None:
        timeout = max(0.0, min(timeout, deadline - time.monotonic()))
    return timeout


def _merge(details: Any, default_timeout: float) -> Any:
    present = {k for k, _ in (details.metadata or ())}
    extra = [(k, v) for k, v in call_metadata() if k not in present]
    metadata = list(details.metadata or ()) + extra
    return details._replace(metadata=metadata, timeout=call_timeout(details.timeout, default_timeout))


class _ClientCallDetails(grpc.ClientCallDetails):
    def __init__(
        self,
        method: str,
        timeout: float | None,
        metadata: Any,
        credentials: Any,
        wait_for_ready: Any,
        compression: Any,
    ) -> None:
        self.method = method
        self.timeout = timeout
        self.metadata = metadata
        self.credentials = credentials
        self.wait_for_ready = wait_for_ready
        self.compression = compression

    def _replace(self, **kw: Any) -> _ClientCallDetails:
        values = {**self.__dict__, **kw}
        return _ClientCallDetails(**values)


class ForwardingInterceptor(grpc.UnaryUnaryClientInterceptor):
    """Sync channels: adds token, request id and default deadline to every unary call."""

    def __init__(self, default_timeout: float) -> None:
        self._timeout = default_timeout

    def intercept_unary_unary(
        self,
        continuation: Callable[[Any, Any], Any],
        client_call_details: grpc.ClientCallDetails,
        request: Any,
    ) -> Any:
        details = _ClientCallDetails(
            client_call_details.method,
            client_call_details.timeout,
            client_call_details.metadata,
            client_call_details.credentials,
            getattr(client_call_details, "wait_for_ready", None),
            getattr(client_call_details, "compression", None),
        )
        return continuation(_merge(details, self._timeout), request)


class AioForwardingInterceptor(grpc.aio.UnaryUnaryClientInterceptor):
    """grpc.aio channels: the same as ForwardingInterceptor."""

    def __init__(self, default_timeout: float) -> None:
        self._timeout = default_timeout

    async def intercept_unary_unary(
        self, continuation: Callable[[Any, Any], Any], client_call_details: Any, request: Any
    ) -> Any:
        metadata = grpc.aio.Metadata(*(list(client_call_details.metadata or ())))
        present = {k for k, _ in metadata}
        for key, value in call_metadata():
            if key not in present:
                metadata.add(key, value)
        details = grpc.aio.ClientCallDetails(
            client_call_details.method,
            call_timeout(client_call_details.timeout, self._timeout),
            metadata,
            client_call_details.credentials,
            client_call_details.wait_for_ready,
        )
        return await continuation(details, request)


CHANNEL_OPTIONS = [
    ("grpc.keepalive_time_ms", 30_000),
    ("grpc.max_receive_message_length", 32 * 1024 * 1024),
]


def channel(target: str, default_timeout: float = 10.0) -> grpc.Channel:
    """A sync channel whose calls carry the current caller's identity."""
    raw = grpc.insecure_channel(target, options=CHANNEL_OPTIONS)
    return grpc.intercept_channel(raw, ForwardingInterceptor(default_timeout))


def aio_channel(target: str, default_timeout: float = 10.0) -> grpc.aio.Channel:
    """A grpc.aio channel whose calls carry the current caller's identity."""
    return grpc.aio.insecure_channel(
        target,
        options=CHANNEL_OPTIONS,
        interceptors=[AioForwardingInterceptor(default_timeout)],  # type: ignore[list-item]
    )
