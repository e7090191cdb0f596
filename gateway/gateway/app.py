"""The FastAPI app: GraphQL at /graphql, health, login, public keys and the typed JSON API."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import grpc.aio
from cross_web import HTTPException
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from strawberry.fastapi import GraphQLRouter
from strawberry.http import GraphQLHTTPResponse
from strawberry.types import ExecutionResult
from strawberry.types.unset import UNSET

from gateway.api.context import Context
from gateway.api.errors import expose_errors
from gateway.api.schema import Limits, build_schema
from gateway.auth import Authenticator, KeyCache
from gateway.clients import ServiceClients
from gateway.edges import BodyLimitMiddleware, RequestRefused, decode_json, graphql_error_body
from gateway.fairness import PrincipalGate
from gateway.middleware import RequestDeadlineMiddleware, RequestIdMiddleware
from gateway.rest import angka_kredit as angka_kredit_routes
from gateway.rest import auth as auth_routes
from gateway.rest import pegawai as pegawai_routes
from gateway.rest import system as system_routes
from gateway.rest.errors import domain_error_response, request_validation_response, unexpected_error_response
from gateway.settings import GatewaySettings
from gateway.state import GatewayState, gateway_state, request_id
from kinerja_kit.errors import DomainError, Unauthenticated
from kinerja_kit.grpc_client import aio_channel

# strawberry's own refusals (no query, an unknown operation name, GET without GraphiQL, ...) keep their
# English reason in `extensions.detail`; the message is one of these.
_HTTP_CODES = {
    400: ("INVALID_REQUEST", "Permintaan GraphQL tidak valid."),
    404: ("NOT_FOUND", "Alamat tidak ditemukan."),
    405: ("METHOD_NOT_ALLOWED", "GraphQL hanya menerima GET dan POST."),
}


class GatewayGraphQLRouter(GraphQLRouter[Context, None]):
    """Every GraphQL response passes the error policy: unexpected failures show only a trace id, and a
    request refused before execution is a GraphQL-shaped JSON error with a stable code."""

    def __init__(self, *args: Any, max_json_depth: int, gate: PrincipalGate, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.max_json_depth = max_json_depth
        self.gate = gate

    def decode_json(self, data: str | bytes) -> object:
        # A POST body arrives as bytes (it must be an object); GET's variables and extensions as text.
        return decode_json(data, self.max_json_depth, body=isinstance(data, bytes))

    async def run(self, request: Any, context: Any = UNSET, root_value: Any = UNSET) -> Any:
        key = _principal_key(request, context)
        try:
            self.gate.enter(key)
            try:
                return await super().run(request, context, root_value)
            finally:
                self.gate.leave(key)
        except RequestRefused as refused:
            return JSONResponse(
                graphql_error_body(refused.code, refused.message),
                status_code=refused.status,
                headers=refused.headers,
            )
        except HTTPException as exc:
            code, message = _HTTP_CODES.get(exc.status_code, ("INVALID_REQUEST", exc.reason))
            body = graphql_error_body(code, message)
            body["errors"][0]["extensions"]["detail"] = exc.reason
            return JSONResponse(body, status_code=exc.status_code)

    async def process_result(self, request: Request, result: ExecutionResult) -> GraphQLHTTPResponse:
        if result.errors:
            result.errors = expose_errors(result.errors)
        return await super().process_result(request, result)


def _principal_key(request: Any, context: Any) -> str:
    """Whose request this is, for the concurrency bound: the token's subject, else the client address."""
    principal = getattr(context, "principal", None)
    if principal is not None:
        return f"sub:{principal.subject}"
    client = getattr(request, "client", None)
    return f"ip:{client.host if client is not None else ''}"


async def graphql_context(request: Request) -> Context:
    """A fresh context per request: the verified principal (or why the token was refused)."""
    state = gateway_state(request)
    principal, auth_error = None, None
    try:
        principal = await state.auth.principal(request.headers.get("authorization"))
    except Unauthenticated as err:
        auth_error = err
    return Context(state.clients, state.settings, principal, request_id(request), auth_error)


def create_app(
    settings: GatewaySettings | None = None,
    *,
    identity_channel: grpc.aio.Channel | None = None,
    org_channel: grpc.aio.Channel | None = None,
    skp_channel: grpc.aio.Channel | None = None,
    assessment_channel: grpc.aio.Channel | None = None,
    angka_kredit_channel: grpc.aio.Channel | None = None,
) -> FastAPI:
    """Builds the gateway. Channels handed in must belong to the event loop that will serve the app;
    otherwise one grpc.aio channel per service is opened at start-up and closed at shutdown."""
    settings = settings or GatewaySettings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        deadline = settings.default_deadline_seconds
        given = {
            "identity": identity_channel,
            "org": org_channel,
            "skp": skp_channel,
            "assessment": assessment_channel,
            "angka_kredit": angka_kredit_channel,
        }
        addrs = {
            "identity": settings.identity_addr,
            "org": settings.org_addr,
            "skp": settings.skp_addr,
            "assessment": settings.assessment_addr,
            "angka_kredit": settings.angka_kredit_addr,
        }
        channels = {name: given[name] or aio_channel(addrs[name], deadline) for name in given}
        owned = [channels[name] for name in given if given[name] is None]
        clients = ServiceClients(channels, owned)
        keys = KeyCache(clients, settings.jwks_cache_seconds)
        auth = Authenticator(keys, settings.jwt_issuer, settings.jwt_audience, settings.jwks_cache_seconds)
        app.state.gateway = GatewayState(settings, clients, keys, auth)
        try:
            yield
        finally:
            await clients.close()

    app = FastAPI(
        title="Kinerja gateway",
        description="GraphQL API of the kinerja platform, plus login, health and a typed JSON list.",
        lifespan=lifespan,
    )
    schema = build_schema(
        Limits(
            max_depth=settings.max_query_depth,
            max_aliases=settings.max_aliases,
            max_tokens=settings.max_tokens,
            max_cost=settings.max_query_cost,
            heavy_cost=settings.heavy_query_cost,
            heavy_lanes=settings.heavy_queries_per_worker,
            max_page_size=settings.max_page_size,
            production=settings.gateway_production,
        )
    )
    graphql = GatewayGraphQLRouter(
        schema,
        context_getter=graphql_context,
        graphql_ide="graphiql" if settings.graphiql_enabled else None,
        max_json_depth=settings.max_json_depth,
        gate=PrincipalGate(settings.max_concurrent_per_principal),
    )
    app.include_router(graphql, prefix="/graphql")
    app.include_router(system_routes.router)
    app.include_router(auth_routes.router)
    app.include_router(pegawai_routes.router)
    app.include_router(angka_kredit_routes.router)
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_request_bytes)
    app.add_middleware(RequestDeadlineMiddleware, seconds=settings.request_timeout_seconds)
    app.add_middleware(RequestIdMiddleware)
    app.add_exception_handler(DomainError, domain_error_response)
    app.add_exception_handler(RequestValidationError, request_validation_response)
    app.add_exception_handler(Exception, unexpected_error_response)
    return app
