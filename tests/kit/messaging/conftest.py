"""Fixtures for the outbox relay and event consumer tests: the session's real PostgreSQL and tansu broker."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from alembic.migration import MigrationContext
from alembic.operations import Operations
from google.protobuf.message import Message
from kafka.consumer.fetcher import ConsumerRecord
from sqlalchemy import Engine, text

from kinerja_kit.consumer import EventConsumer
from kinerja_kit.context import SYSTEM
from kinerja_kit.db import ServiceDatabase, UnitOfWork, make_engine
from kinerja_kit.migrations import create_outbox_tables, create_tenant_function, enable_tenant_rls
from kinerja_kit.outbox import OutboxEvent
from kinerja_testing.platform import CONSUMER_HEARTBEAT_MS, CONSUMER_SESSION_TIMEOUT_MS, read_records

TENANT_A = uuid.UUID("0190a000-0000-7000-8000-00000000000a")


@dataclass
class Messaging:
    """The test service's database (owner and runtime engines) and the broker's address."""

    db: ServiceDatabase
    owner_engine: Engine
    app_engine: Engine
    bootstrap: str


def _create_schema(engine: Engine) -> None:
    with engine.begin() as conn:
        exists = conn.execute(text("select to_regclass('public.notes') is not null")).scalar()
        if exists:
            return
        op = Operations(MigrationContext.configure(conn))
        create_tenant_function(op)
        op.execute(
            "create table notes ("
            " id bigserial primary key,"
            " instansi_id uuid not null,"
            " aggregate_id text not null,"
            " body text not null)"
        )
        op.execute("create index notes_tenant on notes (instansi_id, aggregate_id)")
        enable_tenant_rls(op, "notes")
        create_outbox_tables(op)


@pytest.fixture(scope="session")
def messaging(
    service_database: Callable[[str], ServiceDatabase], kafka_bootstrap: str
) -> Iterator[Messaging]:
    """A `msgtest` service database with the outbox tables and an RLS `notes` table, plus the broker."""
    db = service_database("msgtest")
    owner_engine = make_engine(db.owner_url, pool_size=2, application_name="msgtest-owner")
    app_engine = make_engine(db.app_url, pool_size=5, application_name="msgtest-app")
    _create_schema(owner_engine)
    try:
        yield Messaging(db, owner_engine, app_engine, kafka_bootstrap)
    finally:
        app_engine.dispose()
        owner_engine.dispose()


@pytest.fixture(autouse=True)
def clean_tables(messaging: Messaging) -> None:
    """Every test starts with an empty outbox, no processed events and no notes."""
    with messaging.owner_engine.begin() as conn:
        conn.execute(text("truncate outbox, processed_events, notes"))


@pytest.fixture
def uow(messaging: Messaging) -> UnitOfWork:
    """A unit of work on the runtime role (RLS applies)."""
    return UnitOfWork.from_engine(messaging.app_engine)


@pytest.fixture
def unique() -> Callable[[str], str]:
    """Fresh topic and group names per test (tansu can keep a group stuck after its last member left)."""
    suffix = uuid.uuid4().hex[:8]
    return lambda stem: f"kinerja.msgtest.{stem}.{suffix}"


EmitEvents = Callable[[str, list[tuple[str, Message]]], list[OutboxEvent]]


@pytest.fixture
def emit_events(uow: UnitOfWork) -> EmitEvents:
    """emit_events(topic, [(aggregate_id, payload), ...]): one transaction's events into the outbox."""

    def emit(topic: str, items: list[tuple[str, Message]]) -> list[OutboxEvent]:
        versions: dict[str, int] = {}
        with uow.transaction(tenant=TENANT_A, actor=SYSTEM) as tx:
            for aggregate_id, payload in items:
                versions[aggregate_id] = versions.get(aggregate_id, 0) + 1
                tx.emit(
                    topic,
                    payload,
                    aggregate_type="note",
                    aggregate_id=aggregate_id,
                    aggregate_version=versions[aggregate_id],
                )
            events = tx.events
            tx.commit()
        return events

    return emit


ReadTopic = Callable[..., list[ConsumerRecord]]


@pytest.fixture
def read_topic(messaging: Messaging) -> ReadTopic:
    """read_topic(topic, expected, timeout=15): every record of the topic from the start, without a group."""

    def read(topic: str, expected: int, timeout: float = 15.0) -> list[ConsumerRecord]:
        return read_records(messaging.bootstrap, topic, expected, timeout)

    return read


@pytest.fixture
def consumers(messaging: Messaging, uow: UnitOfWork) -> Iterator[Callable[..., EventConsumer]]:
    """Builds started consumers with the test timeouts; stops them all at the end."""
    made: list[EventConsumer] = []

    def make(name: str, topics: list[str], handlers: dict[Any, Any], **kwargs: Any) -> EventConsumer:
        consumer = EventConsumer(
            name=name,
            topics=topics,
            uow=uow,
            handlers=handlers,
            bootstrap_servers=messaging.bootstrap,
            session_timeout_ms=CONSUMER_SESSION_TIMEOUT_MS,
            heartbeat_interval_ms=CONSUMER_HEARTBEAT_MS,
            **kwargs,
        )
        made.append(consumer)
        consumer.start()
        return consumer

    yield make
    for consumer in made:
        consumer.stop()
