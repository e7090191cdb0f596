"""Outbox retention against a real PostgreSQL and a real tansu broker: events sent before a broker restart
still reach their consumers exactly once, and sent rows past the retention window are pruned."""

from __future__ import annotations

import collections
import time
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from alembic.migration import MigrationContext
from alembic.operations import Operations
from google.protobuf import wrappers_pb2
from sqlalchemy import Engine, create_engine, text

from kinerja.common.v1 import envelope_pb2
from kinerja_kit.consumer import EventConsumer
from kinerja_kit.db import Transaction
from kinerja_kit.kafka import ensure_topics, make_admin, topic_exists
from kinerja_kit.migrations import create_outbox_sent_index
from kinerja_kit.relay import MARKER_PREFIX, OutboxRelay, marker_topic_for
from kinerja_kit.settings import ServiceSettings
from kinerja_testing.infra import TansuBroker
from kinerja_testing.platform import fast_producer, wait_for

pytestmark = pytest.mark.integration

TENANT = uuid.UUID("0190a000-0000-7000-8000-00000000000a")


@pytest.fixture(scope="module", autouse=True)
def sent_index(messaging: Any) -> None:
    """The index the services' migrations add for pruning (the shared test schema predates it)."""
    with messaging.owner_engine.begin() as conn:
        create_outbox_sent_index(Operations(MigrationContext.configure(conn)))


def new_relay(messaging: Any, **overrides: Any) -> OutboxRelay:
    options: dict[str, Any] = {
        "poll_interval": 0.05,
        "broker_check_seconds": 0.5,
        "producer_factory": lambda: fast_producer(messaging.bootstrap),
    }
    options.update(overrides)
    return OutboxRelay(messaging.app_engine, messaging.bootstrap, **options)


def scalar(messaging: Any, sql: str) -> Any:
    with messaging.owner_engine.connect() as conn:
        return conn.execute(text(sql)).scalar()


def unsent(messaging: Any) -> int:
    return int(scalar(messaging, "select count(*) from outbox where sent_at is null"))


def notes(messaging: Any) -> list[tuple[str, str]]:
    """The tenant's notes in insertion order (FORCE row-level security applies to the owner too)."""
    with messaging.owner_engine.begin() as conn:
        conn.execute(text("select set_config('app.instansi_id', :t, true)"), {"t": str(TENANT)})
        return [(r[0], r[1]) for r in conn.execute(text("select aggregate_id, body from notes order by id"))]


class Recorder:
    """The handler under test: writes one note per application and counts its calls per event id."""

    def __init__(self) -> None:
        self.calls: collections.Counter[str] = collections.Counter()

    def __call__(
        self, tx: Transaction, envelope: envelope_pb2.EventEnvelope, payload: wrappers_pb2.StringValue
    ) -> None:
        self.calls[envelope.event_id] += 1
        tx.session.execute(
            text("insert into notes (instansi_id, aggregate_id, body) values (:t, :a, :b)"),
            {"t": tx.tenant, "a": envelope.aggregate_id, "b": payload.value},
        )


def has_topic(bootstrap: str, topic: str) -> bool:
    admin = make_admin(bootstrap)
    try:
        return topic_exists(admin, topic)
    finally:
        admin.close()


def restart(broker: TansuBroker, relay: OutboxRelay) -> None:
    """Restarts the broker, which loses every topic (memory storage), the relay's marker among them.

    (A data topic may come back at once, empty: a consumer asking about it makes tansu create it. A relay
    running meanwhile may put its marker back at once too, so only a stopped relay's is checked.)
    """
    assert has_topic(broker.bootstrap_servers, relay.marker_topic)
    broker.stop(timeout=0.5)  # tansu ignores SIGTERM while clients are connected
    broker.start()
    if not relay.running:
        assert not has_topic(broker.bootstrap_servers, relay.marker_topic)


def assert_applied_once(
    messaging: Any, consumer: EventConsumer, recorder: Recorder, events: list[Any]
) -> None:
    """Every event applied by exactly one handler call, one processed mark and one note; each aggregate's
    notes in the order its events were made."""
    ids = {str(e.id) for e in events}
    assert set(recorder.calls) == ids
    assert all(n == 1 for n in recorder.calls.values()), recorder.calls
    with messaging.owner_engine.connect() as conn:
        marks = conn.execute(
            text("select event_id::text from processed_events where consumer = :c"), {"c": consumer.name}
        ).scalars()
        assert sorted(marks) == sorted(ids)
    rows = notes(messaging)
    assert len(rows) == len(events)
    for aggregate in {e.aggregate_id for e in events}:
        made = [body(e) for e in events if e.aggregate_id == aggregate]
        assert [b for agg, b in rows if agg == aggregate] == made


def body(event: Any) -> str:
    payload = wrappers_pb2.StringValue()
    assert event.envelope.payload.Unpack(payload)
    return str(payload.value)


def test_events_sent_just_before_a_broker_restart_reach_a_new_consumer_once(
    messaging: Any,
    restartable_broker: TansuBroker,
    emit_events: Any,
    read_topic: Any,
    consumers: Callable[..., EventConsumer],
    unique: Callable[[str], str],
) -> None:
    topic = unique("lost")
    ensure_topics(messaging.bootstrap, [topic])
    events = emit_events(
        topic, [(f"agg-{i % 3}", wrappers_pb2.StringValue(value=f"v-{i}")) for i in range(9)]
    )
    relay = new_relay(messaging, topics=[topic])
    try:
        assert relay.drain() == 9
        assert unsent(messaging) == 0

        # Sent, acknowledged, not read by anyone: then the broker restarts and loses all of it.
        restart(restartable_broker, relay)
        assert not has_topic(messaging.bootstrap, topic)
        relay.start()
        assert wait_for(lambda: relay.broker_losses == 1 and unsent(messaging) == 0), vars(relay)
    finally:
        relay.stop()
    assert relay.republished_count == 9
    # Published once more, not twice: the marker is back, so the later checks found nothing lost.
    assert len(read_topic(topic, expected=9)) == 9

    recorder = Recorder()
    consumer = consumers(unique("group"), [topic], {wrappers_pb2.StringValue: recorder})
    assert consumer.wait_until(lambda c: c.processed_count == 9, timeout=30), vars(consumer)
    time.sleep(1.0)  # a redelivery would show now
    assert consumer.processed_count == 9 and consumer.duplicate_count == 0
    assert_applied_once(messaging, consumer, recorder, events)


def test_a_consumer_that_lived_across_the_restart_applies_every_event_once(
    messaging: Any,
    restartable_broker: TansuBroker,
    emit_events: Any,
    consumers: Callable[..., EventConsumer],
    unique: Callable[[str], str],
) -> None:
    topic = unique("across")
    ensure_topics(messaging.bootstrap, [topic])
    recorder = Recorder()
    consumer = consumers(unique("group"), [topic], {wrappers_pb2.StringValue: recorder})
    relay = new_relay(messaging, topics=[topic])
    relay.start()
    try:
        before = emit_events(
            topic, [(f"agg-{i % 2}", wrappers_pb2.StringValue(value=f"b-{i}")) for i in range(4)]
        )
        assert consumer.wait_until(lambda c: c.processed_count == 4, timeout=30), vars(consumer)

        # The group's offsets go with the restart: the consumer reads the recreated topic from its start,
        # where the relay has put the window again (already applied: duplicates) and the new events.
        restart(restartable_broker, relay)
        after = emit_events(
            topic, [(f"agg-{i % 2}", wrappers_pb2.StringValue(value=f"a-{i}")) for i in range(4)]
        )
        assert wait_for(lambda: relay.broker_losses >= 1 and unsent(messaging) == 0), vars(relay)
        assert consumer.wait_until(lambda c: c.processed_count == 8 and c.duplicate_count >= 4, timeout=60), (
            vars(consumer)
        )
    finally:
        relay.stop()
    assert consumer.running
    assert_applied_once(messaging, consumer, recorder, before + after)


def test_a_broker_that_kept_its_topics_gets_nothing_again(
    messaging: Any, emit_events: Any, read_topic: Any, unique: Callable[[str], str]
) -> None:
    # As with Kafka in production: a relay that starts later (a new process, a replica) finds the marker.
    topic = unique("kept")
    ensure_topics(messaging.bootstrap, [topic])
    emit_events(topic, [(f"agg-{i}", wrappers_pb2.StringValue(value=f"k-{i}")) for i in range(3)])
    first = new_relay(messaging)
    try:
        assert first.drain() == 3
    finally:
        first.close()
    second = new_relay(messaging, broker_check_seconds=0.01)
    try:
        for _ in range(5):
            time.sleep(0.02)
            assert second.run_once() == 0
    finally:
        second.close()
    assert second.broker_losses == 0 and second.republished_count == 0
    assert len(read_topic(topic, expected=3)) == 3


def test_sent_rows_past_the_retention_window_are_pruned_in_bounded_batches(
    messaging: Any, emit_events: Any, unique: Callable[[str], str]
) -> None:
    topic = unique("prune")
    ensure_topics(messaging.bootstrap, [topic])
    events = emit_events(topic, [(f"agg-{i}", wrappers_pb2.StringValue(value=f"p-{i}")) for i in range(8)])
    old, recent, waiting = events[:5], events[5:7], events[7:]
    with messaging.owner_engine.begin() as conn:
        conn.execute(
            text("update outbox set sent_at = now() - interval '2 hours' where id = any(:ids)"),
            {"ids": [e.id for e in old]},
        )
        conn.execute(
            text("update outbox set sent_at = now() - interval '10 minutes' where id = any(:ids)"),
            {"ids": [e.id for e in recent]},
        )
    relay = new_relay(messaging, retention_seconds=3600, prune_batch_size=2, broker_check_seconds=0)

    def left() -> set[uuid.UUID]:
        with messaging.owner_engine.connect() as conn:
            return set(conn.execute(text("select id from outbox")).scalars())

    try:
        relay.run_once()  # prunes two, publishes the unsent row
        assert len(left()) == 6
        relay.run_once()  # a full batch came back: the next round prunes again at once
        relay.run_once()
        assert len(left()) == 3
        assert relay.pruned_count == 5
        relay.run_once()  # within the prune interval after a short batch: nothing more to do
    finally:
        relay.close()
    assert left() == {e.id for e in recent + waiting}
    assert unsent(messaging) == 0


def test_the_marker_topic_is_one_per_database(messaging: Any) -> None:
    assert marker_topic_for(messaging.app_engine) == MARKER_PREFIX + str(messaging.app_engine.url.database)
    engine: Engine = create_engine("postgresql+psycopg://u@h/odd name$1")
    assert marker_topic_for(engine) == MARKER_PREFIX + "odd_name_1"


def test_settings_default_to_an_hour_of_retention_and_a_five_second_check() -> None:
    settings = ServiceSettings()
    assert settings.outbox_retention_seconds == 3600
    assert settings.outbox_broker_check_seconds == 5
