"""Wires the skp service: database, org directory, servicer, gRPC server with token verification, relay."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Engine

from kinerja_kit.db import UnitOfWork, make_engine
from kinerja_kit.grpc_server import create_server
from kinerja_kit.migrations import upgrade
from kinerja_kit.org_directory import GrpcOrgDirectory, OrgDirectory
from kinerja_kit.relay import service_relay
from kinerja_kit.runtime import ServiceRuntime, Worker, service_verifier
from skp.entrypoints.grpc_api import SERVICE_NAME, SkpServicer, register
from skp.service_layer.common import TOPICS, Deps
from skp.settings import SkpSettings

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def migrate(owner_url: str) -> None:
    """Brings the skp database to the latest schema (run as the owner role)."""
    upgrade(MIGRATIONS, owner_url)


def build(
    settings: SkpSettings,
    *,
    jwks_provider: Callable[[], str] | None = None,
    engine: Engine | None = None,
    org: OrgDirectory | None = None,
    with_relay: bool = True,
) -> ServiceRuntime:
    """The skp runtime (call .start()).

    Org data is read from ORG_ADDR with the caller's token unless `org` is given; tokens are verified
    with identity's public keys unless `jwks_provider` is given. `with_relay=False` leaves the outbox
    unpublished (tests that inspect outbox rows).
    """
    engine = engine or make_engine(settings.database_url, settings.db_pool_size, application_name="skp")
    uow = UnitOfWork.from_engine(engine, settings.idempotency_retention_seconds)
    directory = org or GrpcOrgDirectory(settings.org_addr, settings.default_deadline_seconds)
    verifier = service_verifier(settings, jwks_provider)
    server, port = create_server(
        register(SkpServicer(Deps(uow, directory))),
        [SERVICE_NAME],
        verifier=verifier,
        host=settings.grpc_host,
        port=settings.grpc_port,
        max_workers=settings.grpc_max_workers,
    )
    workers: list[Worker] = []
    if with_relay:
        workers.append(service_relay(engine, settings, TOPICS, "skp.relay"))
    on_stop = [directory.close] if isinstance(directory, GrpcOrgDirectory) else []
    return ServiceRuntime("skp", engine, uow, server, port, workers=workers, on_stop=on_stop)
