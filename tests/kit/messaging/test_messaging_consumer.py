"""EventConsumer against a real PostgreSQL and a real tansu broker: exactly-once effects, DLQ, clean stop."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from google.protobuf import wrappers_pb2
from kafka import KafkaProducer
from sqlalchemy import exc as sa_exc
from sqlalchemy import text

from kinerja.common.v1 import envelope_pb2
from kinerja_kit.consumer import EventConsumer
from kinerja_kit.db import Transaction
from kinerja_kit.kafka import dlq_topic, ensure_topics, make_admin, make_producer
from kinerja_kit.outbox import OutboxEvent
from kinerja_kit.relay import OutboxRelay
from kinerja_testing.infra import TansuBroker

pytestmark = pytest.mark.integration

TENANT = uuid.UUID("0190a000-0000-7000-8000-00000000000a")


def add_note(
    tx: Transaction, envelope: envelope_pb2.EventEnvelope, payload: wrappers_pb2.StringValue
) -> None:
    """The handler under test: one row per application (so a second application would show)."""
    assert tx.tenant == uuid.UUID(envelope.instansi_id)
    tx.session.execute(
        text("insert into notes (instansi_id, aggregate_id, body) values (:t, :a, :b)"),
        {"t": tx.tenant, "a": envelope.aggregate_id, "b": payload.value},
    )


def notes(messaging: Any) -> list[tuple[str, str]]:
    """The tenant's notes (FORCE row-level security applies to the table owner too)."""
    with messaging.owner_engine.begin() as conn:
        conn.execute(text("select set_config('app.instansi_id', :t, true)"), {"t": str(TENANT)})
        return [(r[0], r[1]) for r in conn.execute(text("select aggregate_id, body from notes order by id"))]


def envelope_bytes(topic: str, aggregate_id: str, payload: Any, version: int = 1) -> bytes:
    event = OutboxEvent.build(
        topic=topic,
        payload=payload,
        aggregate_type="note",
        aggregate_id=aggregate_id,
        aggregate_version=version,
        instansi_id=TENANT,
        actor=None,
    )
    return event.envelope.SerializeToString()


@pytest.fixture
def producer(messaging: Any) -> Iterator[KafkaProducer]:
    producer = make_producer(messaging.bootstrap)
    yield producer
    producer.close()


def test_consumer_applies_each_event_once(
    messaging: Any,
    producer: KafkaProducer,
    consumers: Callable[..., EventConsumer],
    unique: Callable[[str], str],
) -> None:
    topic = unique("notes")
    ensure_topics(messaging.bootstrap, [topic])
    first = envelope_bytes(topic, "n1", wrappers_pb2.StringValue(value="one"))
    second = envelope_bytes(topic, "n2", wrappers_pb2.StringValue(value="two"))
    # The same event delivered twice (a relay retry, a rebalance) must change nothing the second time.
    for value, key in ((first, b"n1"), (first, b"n1"), (second, b"n2")):
        producer.send(topic, value=value, key=key)
    producer.flush()

    consumer = consumers(unique("group"), [topic], {wrappers_pb2.StringValue: add_note})
    assert consumer.wait_until(lambda c: c.processed_count + c.duplicate_count == 3, timeout=20), vars(
        consumer
    )
    assert consumer.processed_count == 2
    assert consumer.duplicate_count == 1
    assert sorted(notes(messaging)) == [("n1", "one"), ("n2", "two")]
    with messaging.owner_engine.connect() as conn:
        claimed = conn.execute(text("select consumer from processed_events")).scalars().all()
    assert claimed == [consumer.name, consumer.name]


def test_relay_to_consumer_end_to_end(
    messaging: Any,
    emit_events: Any,
    consumers: Callable[..., EventConsumer],
    unique: Callable[[str], str],
) -> None:
    topic = unique("e2e")
    ensure_topics(messaging.bootstrap, [topic])
    emit_events(topic, [(f"agg-{i % 3}", wrappers_pb2.StringValue(value=f"v{i}")) for i in range(9)])
    relay = OutboxRelay(messaging.app_engine, messaging.bootstrap)
    try:
        assert relay.drain() == 9
    finally:
        relay.close()
    consumer = consumers(unique("group"), [topic], {wrappers_pb2.StringValue: add_note})
    assert consumer.wait_until(lambda c: c.processed_count == 9, timeout=20), vars(consumer)
    rows = notes(messaging)
    for aggregate in ("agg-0", "agg-1", "agg-2"):  # per-aggregate order survives the trip
        bodies = [body for agg, body in rows if agg == aggregate]
        assert bodies == sorted(bodies, key=lambda b: int(b[1:]))


def test_poison_messages_go_to_the_dead_letter_topic_and_processing_goes_on(
    messaging: Any,
    producer: KafkaProducer,
    read_topic: Any,
    consumers: Callable[..., EventConsumer],
    unique: Callable[[str], str],
) -> None:
    topic = unique("poison")
    ensure_topics(messaging.bootstrap, [topic, dlq_topic(topic)], partitions=1)
    calls: list[str] = []

    def explode(
        tx: Transaction, envelope: envelope_pb2.EventEnvelope, payload: wrappers_pb2.Int64Value
    ) -> None:
        calls.append(envelope.event_id)
        add_note(tx, envelope, wrappers_pb2.StringValue(value="must roll back"))
        raise RuntimeError(f"boom {payload.value}")

    bad_bytes = b"not a protobuf \xff\xff"
    failing = envelope_bytes(topic, "bad", wrappers_pb2.Int64Value(value=42))
    unknown = envelope_bytes(topic, "other", wrappers_pb2.BoolValue(value=True))
    good = envelope_bytes(topic, "good", wrappers_pb2.StringValue(value="fine"))
    for value, key in ((bad_bytes, b"x"), (failing, b"bad"), (unknown, b"other"), (good, b"good")):
        producer.send(topic, value=value, key=key, partition=0)
    producer.flush()

    consumer = consumers(
        unique("group"),
        [topic],
        {wrappers_pb2.StringValue: add_note, wrappers_pb2.Int64Value: explode},
        max_attempts=3,
    )
    assert consumer.wait_until(lambda c: c.processed_count == 1, timeout=20), vars(consumer)
    assert consumer.dead_letter_count == 2
    assert consumer.skipped_count == 1
    assert len(calls) == 3  # max_attempts, a fresh transaction each time
    assert notes(messaging) == [("good", "fine")]  # the failing handler's write rolled back every time

    letters = [envelope_pb2.DeadLetter.FromString(r.value) for r in read_topic(dlq_topic(topic), expected=2)]
    assert [(d.source_topic, d.source_partition, d.source_offset) for d in letters] == [
        (topic, 0, 0),
        (topic, 0, 1),
    ]
    assert letters[0].value == bad_bytes and letters[0].key == b"x"
    assert "PoisonMessage" in letters[0].error
    assert letters[1].value == failing and letters[1].key == b"bad"
    assert "RuntimeError: boom 42" in letters[1].error
    assert all(d.consumer_group == consumer.name and d.failed_at.seconds > 0 for d in letters)
    with messaging.owner_engine.connect() as conn:
        assert conn.execute(text("select count(*) from processed_events")).scalar() == 1


def test_database_outage_is_retried_not_dead_lettered(
    messaging: Any,
    producer: KafkaProducer,
    consumers: Callable[..., EventConsumer],
    unique: Callable[[str], str],
) -> None:
    topic = unique("dbdown")
    ensure_topics(messaging.bootstrap, [topic])
    calls: list[int] = []

    def flaky(
        tx: Transaction, envelope: envelope_pb2.EventEnvelope, payload: wrappers_pb2.StringValue
    ) -> None:
        calls.append(1)
        if len(calls) <= 4:  # more failures than max_attempts: the database, not the message, is at fault
            raise sa_exc.OperationalError("select 1", {}, ConnectionError("server closed the connection"))
        add_note(tx, envelope, payload)

    producer.send(topic, value=envelope_bytes(topic, "d1", wrappers_pb2.StringValue(value="d1"))).get(10)
    consumer = consumers(unique("group"), [topic], {wrappers_pb2.StringValue: flaky}, max_attempts=3)
    assert consumer.wait_until(lambda c: c.processed_count == 1, timeout=20), vars(consumer)
    assert consumer.dead_letter_count == 0
    assert len(calls) == 5
    assert notes(messaging) == [("d1", "d1")]


def test_clean_stop_commits_offsets(
    messaging: Any,
    producer: KafkaProducer,
    consumers: Callable[..., EventConsumer],
    unique: Callable[[str], str],
) -> None:
    topic = unique("stop")
    group = unique("group")
    ensure_topics(messaging.bootstrap, [topic])
    for i in range(5):
        producer.send(topic, value=envelope_bytes(topic, f"s{i}", wrappers_pb2.StringValue(value=f"s{i}")))
    producer.flush()

    first = consumers(group, [topic], {wrappers_pb2.StringValue: add_note})
    assert first.wait_until(lambda c: c.processed_count == 5, timeout=20), vars(first)
    first.stop()
    assert not first.running

    admin = make_admin(messaging.bootstrap)
    try:
        committed = admin.list_group_offsets(group)[group]
    finally:
        admin.close()
    assert sum(meta.offset for tp, meta in committed.items() if tp.topic == topic) == 5

    # The same group again reads only what came after: nothing is handled twice, not even as a duplicate.
    producer.send(topic, value=envelope_bytes(topic, "s5", wrappers_pb2.StringValue(value="s5"))).get(10)
    second = consumers(group, [topic], {wrappers_pb2.StringValue: add_note})
    assert second.wait_until(lambda c: c.processed_count == 1, timeout=20), vars(second)
    assert second.duplicate_count == 0
    assert len(notes(messaging)) == 6


def test_consumer_survives_a_broker_restart(
    messaging: Any,
    restartable_broker: TansuBroker,
    consumers: Callable[..., EventConsumer],
    unique: Callable[[str], str],
) -> None:
    topic = unique("survive")
    ensure_topics(messaging.bootstrap, [topic])
    consumer = consumers(unique("group"), [topic], {wrappers_pb2.StringValue: add_note})

    def publish(aggregate_id: str) -> None:
        producer = make_producer(messaging.bootstrap)  # a client that lived across the restart would break
        try:
            value = envelope_bytes(topic, aggregate_id, wrappers_pb2.StringValue(value=aggregate_id))
            producer.send(topic, value=value, key=aggregate_id.encode()).get(10)
        finally:
            producer.close()

    publish("before")
    assert consumer.wait_until(lambda c: c.processed_count == 1, timeout=20), vars(consumer)

    # A restart: topics and the group's offsets are gone. (tansu ignores SIGTERM while clients are
    # connected: a short grace before SIGKILL keeps the test fast.)
    restartable_broker.stop(timeout=0.5)
    restartable_broker.start()
    ensure_topics(messaging.bootstrap, [topic])
    publish("after")
    assert consumer.wait_until(lambda c: c.processed_count == 2, timeout=60), vars(consumer)
    assert consumer.running
    assert sorted(notes(messaging)) == [("after", "after"), ("before", "before")]
