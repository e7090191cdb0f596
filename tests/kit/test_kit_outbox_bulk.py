"""The bulk outbox writer (`insert_outbox_bulk`, one statement from a JSON document) against a real
PostgreSQL: the same rows as the executemany path, in the order given, inside the caller's transaction."""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from alembic.migration import MigrationContext
from alembic.operations import Operations
from google.protobuf import wrappers_pb2
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from kinerja_kit.context import ROLE_ADMIN_INSTANSI, Principal
from kinerja_kit.db import ServiceDatabase, make_engine
from kinerja_kit.ids import new_id
from kinerja_kit.migrations import create_outbox_tables, create_tenant_function
from kinerja_kit.outbox import OutboxEvent, insert_outbox_bulk, insert_outbox_rows

pytestmark = pytest.mark.integration

COLUMNS = (
    "id, topic, event_type, instansi_id, aggregate_type, aggregate_id, aggregate_version, envelope, headers"
)


@pytest.fixture(scope="module")
def engine(service_database: Callable[[str], ServiceDatabase]) -> Iterator[Engine]:
    """A database of its own holding the outbox (made by the owner), written by the runtime role."""
    db = service_database("kitbulk")
    owner = make_engine(db.owner_url, pool_size=1, application_name="kitbulk-owner")
    with owner.begin() as conn:
        op = Operations(MigrationContext.configure(conn))
        create_tenant_function(op)
        create_outbox_tables(op)
    owner.dispose()
    app = make_engine(db.app_url, pool_size=2, application_name="kitbulk-app")
    yield app
    app.dispose()


def events(count: int, instansi: uuid.UUID, actor: Principal | None) -> list[OutboxEvent]:
    return [
        OutboxEvent.build(
            topic=f"kinerja.kittest.bulk{i % 3}.v1",
            payload=wrappers_pb2.StringValue(
                value=f"Peristiwa ke-{i} \u2014 \u00e9\u00e8 \U0001f600 \\ \" '"
            ),
            aggregate_type="widget",
            aggregate_id=str(new_id()),
            aggregate_version=i + 1,
            instansi_id=instansi,
            actor=actor,
        )
        for i in range(count)
    ]


def stored(engine: Engine, ids: list[uuid.UUID]) -> list[dict[str, Any]]:
    """The rows of `ids` as inserted (heap order of a table written only here), without created_at."""
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                f"select {COLUMNS}, sent_at, attempts, last_error from outbox where id = any(:ids) order by ctid"
            ),
            {"ids": ids},
        )
        return [{**r, "envelope": bytes(r["envelope"])} for r in rows.mappings()]


def expected(event: OutboxEvent) -> dict[str, Any]:
    return {
        "id": event.id,
        "topic": event.topic,
        "event_type": event.event_type,
        "instansi_id": event.instansi_id,
        "aggregate_type": event.aggregate_type,
        "aggregate_id": event.aggregate_id,
        "aggregate_version": event.aggregate_version,
        "envelope": event.envelope.SerializeToString(),
        "headers": event.headers(),
        "sent_at": None,
        "attempts": 0,
        "last_error": None,
    }


def actor(instansi: uuid.UUID) -> Principal:
    return Principal(
        subject=str(new_id()),
        username="199001012020011001",
        instansi_id=instansi,
        roles=frozenset({ROLE_ADMIN_INSTANSI}),
        token="t",
    )


def test_bulk_rows_equal_the_executemany_rows_in_the_order_given(engine: Engine) -> None:
    instansi = new_id()
    one_by_one = events(5, instansi, actor(instansi))
    bulk = events(300, instansi, None)
    given = random.Random(7).sample(bulk, len(bulk))  # not in id order: written as given
    with Session(engine) as session:
        insert_outbox_rows(session, one_by_one)
        insert_outbox_bulk(session, given)
        insert_outbox_bulk(session, [])  # nothing to write
        session.commit()
    assert stored(engine, [e.id for e in one_by_one]) == [expected(e) for e in one_by_one]
    assert stored(engine, [e.id for e in given]) == [expected(e) for e in given]


def test_nothing_is_written_when_the_transaction_rolls_back(engine: Engine) -> None:
    written = events(50, new_id(), None)
    with Session(engine) as session:
        insert_outbox_bulk(session, written)
        assert stored(engine, [e.id for e in written]) == []  # not visible outside before commit
        session.rollback()
    assert stored(engine, [e.id for e in written]) == []
