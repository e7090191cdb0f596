"""Wires the angka kredit service: database, org directory, servicer, gRPC server, relay, predikat consumer."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Engine

from angka_kredit.adapters.proto import TOPICS
from angka_kredit.entrypoints.consumers import CONSUMED_TOPICS, predikat_consumer
from angka_kredit.entrypoints.grpc_api import SERVICE_NAME, AngkaKreditServicer, register
from angka_kredit.service_layer.common import Deps
from angka_kredit.settings import AngkaKreditSettings
from kinerja_kit.db import UnitOfWork, make_engine
from kinerja_kit.grpc_server import create_server
from kinerja_kit.kafka import ensure_topics
from kinerja_kit.migrations import upgrade
from kinerja_kit.org_directory import GrpcOrgDirectory, OrgDirectory
from kinerja_kit.relay import service_relay
from kinerja_kit.runtime import ServiceRuntime, Worker, service_verifier

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def migrate(owner_url: str) -> None:
    """Brings the angka kredit database to the latest schema (run as the owner role)."""
    upgrade(MIGRATIONS, owner_url)


def build(
    settings: AngkaKreditSettings,
    *,
    jwks_provider: Callable[[], str] | None = None,
    engine: Engine | None = None,
    org: OrgDirectory | None = None,
    with_relay: bool = True,
    with_consumers: bool = True,
) -> ServiceRuntime:
    """The angka kredit runtime (call .start()): the gRPC API, the outbox relay and the consumer of
    assessment's PredikatDitetapkan.

    Org is read at ORG_ADDR with the caller's token unless `org` is given; tokens are verified with
    identity's public keys unless `jwks_provider` is given.
    """
    engine = engine or make_engine(
        settings.database_url, settings.db_pool_size, application_name="angka_kredit"
    )
    uow = UnitOfWork.from_engine(engine, settings.idempotency_retention_seconds)
    directory = org or GrpcOrgDirectory(settings.org_addr, settings.default_deadline_seconds)
    server, port = create_server(
        register(AngkaKreditServicer(Deps(uow, directory))),
        [SERVICE_NAME],
        verifier=service_verifier(settings, jwks_provider),
        host=settings.grpc_host,
        port=settings.grpc_port,
        max_workers=settings.grpc_max_workers,
    )
    workers: list[Worker] = []
    if with_relay:
        workers.append(service_relay(engine, settings, TOPICS, "angka_kredit.relay"))
    if with_consumers:
        # assessment's topic: made here too so a fresh broker does not delay the consumer (best effort).
        with contextlib.suppress(Exception):
            ensure_topics(settings.kafka_bootstrap_servers, list(CONSUMED_TOPICS))
        workers.append(
            predikat_consumer(
                uow,
                settings.kafka_bootstrap_servers,
                name=settings.predikat_consumer_name,
                session_timeout_ms=settings.consumer_session_timeout_ms,
                heartbeat_interval_ms=settings.consumer_heartbeat_interval_ms,
            )
        )
    on_stop = [directory.close] if isinstance(directory, GrpcOrgDirectory) else []
    return ServiceRuntime("angka_kredit", engine, uow, server, port, workers=workers, on_stop=on_stop)
