"""The gateway's gRPC clients: one grpc.aio channel per service, stubs, error translation and health."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import grpc
import grpc.aio
from grpc_health.v1 import health_pb2, health_pb2_grpc

from gateway.tenancy import Caller
from kinerja.angka_kredit.v1 import angka_kredit_pb2_grpc
from kinerja.assessment.v1 import assessment_pb2_grpc
from kinerja.identity.v1 import identity_pb2_grpc
from kinerja.org.v1 import org_pb2_grpc
from kinerja.skp.v1 import skp_pb2_grpc
from kinerja_kit.errors import DomainError, from_rpc_error

log = logging.getLogger(__name__)

R = TypeVar("R")


DEADLINE_EXCEEDED = "DEADLINE_EXCEEDED"


def deadline_exceeded() -> DomainError:
    return DomainError(
        DEADLINE_EXCEEDED,
        "Permintaan melebihi batas waktu. Silakan coba lagi, atau persempit permintaan (lebih sedikit data).",
        [],
        grpc.StatusCode.DEADLINE_EXCEEDED,
    )


async def call(method: Callable[..., Awaitable[R]], request: Any, caller: Caller) -> R:
    """Calls one RPC for `caller`; a service's DomainError is raised again as itself. The call's deadline
    is what is left of the request's (kinerja_kit.grpc_client.current_deadline); running out of it is
    DEADLINE_EXCEEDED, a typed error rather than INTERNAL."""
    try:
        return await method(request, metadata=caller.metadata)
    except grpc.aio.AioRpcError as exc:
        domain = from_rpc_error(exc)
        if domain is not None:
            raise domain from None
        if exc.code() == grpc.StatusCode.DEADLINE_EXCEEDED:
            raise deadline_exceeded() from None
        raise


@dataclass
class ServiceClients:
    """Stubs over the channels the app opened once at start-up."""

    channels: dict[str, grpc.aio.Channel]
    owned: list[grpc.aio.Channel] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.identity = identity_pb2_grpc.IdentityServiceStub(self.channels["identity"])
        self.org = org_pb2_grpc.OrgServiceStub(self.channels["org"])
        self.skp = skp_pb2_grpc.SkpServiceStub(self.channels["skp"])
        self.assessment = assessment_pb2_grpc.AssessmentServiceStub(self.channels["assessment"])
        self.angka_kredit = angka_kredit_pb2_grpc.AngkaKreditServiceStub(self.channels["angka_kredit"])

    async def health(self, timeout: float) -> dict[str, str]:
        """Each service's health: "SERVING", or why it is not."""
        names = list(self.channels)
        results = await asyncio.gather(*(self._check(self.channels[n], timeout) for n in names))
        return dict(zip(names, results, strict=True))

    @staticmethod
    async def _check(channel: grpc.aio.Channel, timeout: float) -> str:
        stub = health_pb2_grpc.HealthStub(channel)
        try:
            response = await stub.Check(health_pb2.HealthCheckRequest(service=""), timeout=timeout)
        except grpc.aio.AioRpcError as exc:
            return exc.code().name
        except Exception as exc:
            log.warning("health check failed", exc_info=True)
            return type(exc).__name__
        return str(health_pb2.HealthCheckResponse.ServingStatus.Name(response.status))

    async def close(self) -> None:
        """Closes the channels the gateway opened itself (not those handed in)."""
        for channel in self.owned:
            await channel.close(None)
