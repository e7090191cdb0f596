"""Wires the org service: database, servicer, gRPC server with token verification, outbox relay."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Engine

from kinerja_kit.db import UnitOfWork, make_engine
from kinerja_kit.grpc_server import create_server
from kinerja_kit.migrations import upgrade
from kinerja_kit.relay import service_relay
from kinerja_kit.runtime import ServiceRuntime, Worker, service_verifier
from org.entrypoints.grpc_api import SERVICE_NAME, OrgServicer, register
from org.service_layer.common import TOPICS
from org.settings import OrgSettings

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def migrate(owner_url: str) -> None:
    """Brings the org database to the latest schema (run as the owner role)."""
    upgrade(MIGRATIONS, owner_url)


def build(
    settings: OrgSettings,
    *,
    jwks_provider: Callable[[], str] | None = None,
    engine: Engine | None = None,
    with_relay: bool = True,
) -> ServiceRuntime:
    """The org runtime (call .start()).

    Tokens are verified with identity's public keys (fetched from IDENTITY_ADDR) unless `jwks_provider`
    is given. `with_relay=False` leaves the outbox unpublished (tests that inspect outbox rows).
    """
    engine = engine or make_engine(settings.database_url, settings.db_pool_size, application_name="org")
    uow = UnitOfWork.from_engine(engine, settings.idempotency_retention_seconds)
    verifier = service_verifier(settings, jwks_provider)
    server, port = create_server(
        register(OrgServicer(uow)),
        [SERVICE_NAME],
        verifier=verifier,
        host=settings.grpc_host,
        port=settings.grpc_port,
        max_workers=settings.grpc_max_workers,
    )
    workers: list[Worker] = []
    if with_relay:
        workers.append(service_relay(engine, settings, TOPICS, "org.relay"))
    return ServiceRuntime("org", engine, uow, server, port, workers=workers)
