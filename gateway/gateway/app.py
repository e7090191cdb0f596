"""The FastAPI app: GraphQL at /graphql, health, login, public keys and the typed JSON API."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import grpc.aio
from fastapi import FastAPI, Request
from strawberry.fastapi import GraphQLRouter
from strawberry.http import GraphQLHTTPResponse
from strawberry.types import ExecutionResult

from gateway.api.context import Context
from gateway.api.errors import expose_errors
from gateway.api.schema import Limits, build_schema
from gateway.auth import Authenticator, KeyCache
from gateway.clients import ServiceClients
from gateway.middleware import RequestIdMiddleware
from gateway.rest import auth as auth_routes
from gateway.rest import pegawai as pegawai_routes
from gateway.rest import system as system_routes
from gateway.rest.errors import domain_error_response, unexpected_error_response
from gateway.settings import GatewaySettings
from gateway.state import GatewayState, gateway_state, request_id
from kinerja_kit.errors import DomainError, Unauthenticated
from kinerja_kit.grpc_client import aio_channel


class GatewayGraphQLRouter(GraphQLRouter[Context, None]):
    """Every GraphQL response passes the error policy: unexpected failures show only a trace id."""

    async def process_result(self, request: Request, result: ExecutionResult) -> GraphQLHTTPResponse:
        if result.errors:
            result.errors = expose_errors(result.errors)
        return await super().process_result(request, result)


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
) -> FastAPI:
    """Builds the gateway. Channels handed in must belong to the event loop that will serve the app;
    otherwise one grpc.aio channel per service is opened at start-up and closed at shutdown."""
    settings = settings or GatewaySettings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        deadline = settings.default_deadline_seconds
        given = {"identity": identity_channel, "org": org_channel, "skp": skp_channel}
        addrs = {"identity": settings.identity_addr, "org": settings.org_addr, "skp": settings.skp_addr}
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
        )
    )
    graphql = GatewayGraphQLRouter(
        schema, context_getter=graphql_context, graphql_ide="graphiql" if settings.graphiql else None
    )
    app.include_router(graphql, prefix="/graphql")
    app.include_router(system_routes.router)
    app.include_router(auth_routes.router)
    app.include_router(pegawai_routes.router)
    app.add_middleware(RequestIdMiddleware)
    app.add_exception_handler(DomainError, domain_error_response)
    app.add_exception_handler(Exception, unexpected_error_response)
    return app
