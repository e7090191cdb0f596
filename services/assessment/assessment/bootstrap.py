"""Wires the assessment service: database, org directory, servicer, gRPC server, relay, projection consumer."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Engine

from assessment.adapters.proto import TOPICS
from assessment.adapters.repository import SqlStores
from assessment.entrypoints.consumers import PROJECTION_TOPICS, projection_consumer
from assessment.entrypoints.grpc_api import SERVICE_NAME, AssessmentServicer, register
from assessment.service_layer.common import Deps
from assessment.settings import AssessmentSettings
from kinerja_kit.consumer import EventConsumer
from kinerja_kit.db import UnitOfWork, make_engine
from kinerja_kit.grpc_server import create_server
from kinerja_kit.kafka import ensure_topics
from kinerja_kit.migrations import upgrade
from kinerja_kit.org_directory import GrpcOrgDirectory, OrgDirectory
from kinerja_kit.relay import service_relay
from kinerja_kit.runtime import ServiceRuntime, Worker, serve_until_signalled, service_verifier

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def migrate(owner_url: str) -> None:
    """Brings the assessment database to the latest schema (run as the owner role)."""
    upgrade(MIGRATIONS, owner_url)


def _engine(settings: AssessmentSettings, engine: Engine | None) -> Engine:
    return engine or make_engine(settings.database_url, settings.db_pool_size, application_name="assessment")


def _consumer(settings: AssessmentSettings, uow: UnitOfWork) -> EventConsumer:
    # The topics it reads belong to skp and org; made here too so a fresh broker does not delay it (best
    # effort: the consumer retries on its own).
    with contextlib.suppress(Exception):
        ensure_topics(settings.kafka_bootstrap_servers, list(PROJECTION_TOPICS))
    return projection_consumer(
        uow,
        settings.kafka_bootstrap_servers,
        name=settings.projection_consumer_name,
        session_timeout_ms=settings.consumer_session_timeout_ms,
        heartbeat_interval_ms=settings.consumer_heartbeat_interval_ms,
    )


def build(
    settings: AssessmentSettings,
    *,
    jwks_provider: Callable[[], str] | None = None,
    engine: Engine | None = None,
    org: OrgDirectory | None = None,
    with_relay: bool = True,
    with_consumers: bool = True,
) -> ServiceRuntime:
    """The assessment runtime (call .start()): the gRPC API, the outbox relay and the projection consumer.

    Org data is read from ORG_ADDR with the caller's token unless `org` is given; tokens are verified with
    identity's public keys unless `jwks_provider` is given.
    """
    engine = _engine(settings, engine)
    uow = UnitOfWork.from_engine(engine, settings.idempotency_retention_seconds)
    directory = org or GrpcOrgDirectory(settings.org_addr, settings.default_deadline_seconds)
    verifier = service_verifier(settings, jwks_provider)
    server, port = create_server(
        register(AssessmentServicer(Deps(SqlStores(uow), directory), uow)),
        [SERVICE_NAME],
        verifier=verifier,
        host=settings.grpc_host,
        port=settings.grpc_port,
        max_workers=settings.grpc_max_workers,
    )
    workers: list[Worker] = []
    if with_relay:
        workers.append(service_relay(engine, settings, TOPICS, "assessment.relay"))
    if with_consumers:
        workers.append(_consumer(settings, uow))
    on_stop = [directory.close] if isinstance(directory, GrpcOrgDirectory) else []
    return ServiceRuntime("assessment", engine, uow, server, port, workers=workers, on_stop=on_stop)


class ConsumerRuntime:
    """The projection consumer alone (`python -m assessment.consumer`): start, stop, serve_forever."""

    def __init__(self, engine: Engine, consumer: EventConsumer) -> None:
        self.engine = engine
        self.consumer = consumer

    def start(self) -> ConsumerRuntime:
        self.consumer.start()
        return self

    def stop(self, grace: float = 5.0) -> None:
        self.consumer.stop(grace)
        self.engine.dispose()

    def serve_forever(self) -> None:
        """Blocks until SIGINT/SIGTERM, then stops cleanly (the group hands its partitions on)."""
        serve_until_signalled(self.start, self.stop)


def build_consumers(settings: AssessmentSettings, *, engine: Engine | None = None) -> ConsumerRuntime:
    """The projection consumer process: no gRPC server, no relay."""
    engine = _engine(settings, engine)
    return ConsumerRuntime(engine, _consumer(settings, UnitOfWork.from_engine(engine)))
