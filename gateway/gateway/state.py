"""What the app holds for its lifetime: settings, the service clients and the token authenticator."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from fastapi import Request

from gateway.auth import Authenticator, KeyCache
from gateway.clients import ServiceClients
from gateway.settings import GatewaySettings
from gateway.tenancy import Caller, scoped_caller
from kinerja_kit.grpc_server import REQUEST_ID


@dataclass
class GatewayState:
    """Created once in the app's lifespan; read by every request."""

    settings: GatewaySettings
    clients: ServiceClients
    keys: KeyCache
    auth: Authenticator


def gateway_state(request: Request) -> GatewayState:
    state: GatewayState = request.app.state.gateway
    return state


def request_id(request: Request) -> str:
    """The id RequestIdMiddleware gave this request."""
    given: str | None = getattr(request.state, "request_id", None)
    return given or request.headers.get(REQUEST_ID) or uuid.uuid4().hex


async def tenant_caller(request: Request, instansi_id: str | None) -> Caller:
    """For REST routes: the verified caller, scoped like GraphQL (admin BKN names an instansi)."""
    state = gateway_state(request)
    principal = await state.auth.principal(request.headers.get("authorization"))
    return scoped_caller(principal, request_id(request), instansi_id)
