"""OutboxRelay against a real PostgreSQL and a real tansu broker: publish, mark sent, survive a restart."""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from google.protobuf import wrappers_pb2
from kafka import KafkaProducer
from sqlalchemy import text

from kinerja.common.v1 import envelope_pb2
from kinerja_kit.kafka import ensure_topics
from kinerja_kit.relay import OutboxRelay, _Sent, kafka_headers
from kinerja_testing.infra import TansuBroker
from kinerja_testing.platform import fast_producer, wait_for

pytestmark = pytest.mark.integration


def outbox_state(messaging: Any) -> list[tuple[str, bool, int, str | None]]:
    """(aggregate_id, sent, attempts, last_error) of every outbox row, in id order."""
    with messaging.owner_engine.connect() as conn:
        rows = conn.execute(
            text("select aggregate_id, sent_at is not null, attempts, last_error from outbox order by id")
        ).all()
    return [(r[0], r[1], r[2], r[3]) for r in rows]


def test_kafka_headers_from_jsonb() -> None:
    assert kafka_headers({"event_id": "e1", "n": 2, "skip": None}) == [("event_id", b"e1"), ("n", b"2")]
    assert kafka_headers([["a", "x"]]) == [("a", b"x")]
    assert kafka_headers(None) == []


def test_settle_holds_back_an_aggregates_later_events_after_a_failure() -> None:
    def sent(row_id: int, aggregate: str, error: str | None = None) -> _Sent:
        return _Sent(SimpleNamespace(id=row_id, topic="t", aggregate_id=aggregate), error=error)

    ok, failed = OutboxRelay._settle(
        [sent(1, "a"), sent(2, "b", "boom"), sent(3, "a"), sent(4, "b"), sent(5, "c")]
    )
    assert ok == [1, 3, 5]
    assert [row_id for row_id, _ in failed] == [2, 4]
    assert "held back" in failed[1][1]


def test_relay_publishes_rows_in_order_and_marks_them_sent(
    messaging: Any, emit_events: Any, read_topic: Any, unique: Callable[[str], str]
) -> None:
    topic = unique("relay")
    ensure_topics(messaging.bootstrap, [topic])
    items = [
        (agg, wrappers_pb2.StringValue(value=f"{agg}-{n}")) for n in range(3) for agg in ("agg-1", "agg-2")
    ]
    events = emit_events(topic, items)

    relay = OutboxRelay(messaging.app_engine, messaging.bootstrap, batch_size=4)
    try:
        assert relay.run_once() == 4  # batch_size bounds a round
        assert relay.run_once() == 2
        assert relay.run_once() == 0
    finally:
        relay.close()
    assert all(sent and attempts == 0 for _, sent, attempts, _ in outbox_state(messaging))

    records = read_topic(topic, expected=6)
    assert len(records) == 6
    by_id = {str(e.id): e for e in events}
    for record in records:
        envelope = envelope_pb2.EventEnvelope.FromString(record.value)
        event = by_id[envelope.event_id]
        assert record.key == event.aggregate_id.encode()
        headers = dict(record.headers)
        assert headers["event_id"] == str(event.id).encode()
        assert headers["event_type"] == b"google.protobuf.StringValue"
        assert headers["instansi_id"] == str(event.instansi_id).encode()
    # One aggregate's events share a partition and arrive in version order.
    for aggregate in ("agg-1", "agg-2"):
        mine = [r for r in records if r.key == aggregate.encode()]
        assert len({r.partition for r in mine}) == 1
        versions = [envelope_pb2.EventEnvelope.FromString(r.value).aggregate_version for r in mine]
        assert versions == [1, 2, 3]


def test_relay_keeps_rows_while_broker_is_down_and_publishes_after_restart(
    messaging: Any,
    restartable_broker: TansuBroker,
    emit_events: Any,
    read_topic: Any,
    unique: Callable[[str], str],
) -> None:
    broker = restartable_broker
    topic = unique("restart")
    ensure_topics(messaging.bootstrap, [topic])
    created: list[KafkaProducer] = []

    def factory() -> KafkaProducer:
        producer = fast_producer(messaging.bootstrap)
        created.append(producer)
        return producer

    relay = OutboxRelay(
        messaging.app_engine, messaging.bootstrap, poll_interval=0.05, producer_factory=factory
    )
    relay.start()
    try:
        emit_events(topic, [("before", wrappers_pb2.StringValue(value="before"))])
        assert wait_for(lambda: outbox_state(messaging)[0][1], timeout=10), "first row not published"

        broker.stop(timeout=0.5)  # tansu ignores SIGTERM while clients are connected
        emit_events(topic, [(f"down-{i}", wrappers_pb2.StringValue(value=f"down-{i}")) for i in range(3)])
        # The relay tries, fails, records the error on the rows and keeps them unsent.
        assert wait_for(lambda: all(row[2] >= 1 for row in outbox_state(messaging)[1:]), timeout=15)
        state = outbox_state(messaging)
        assert [sent for _, sent, _, _ in state] == [True, False, False, False]
        assert all(error for _, _, _, error in state[1:])

        broker.start()  # memory storage: the topic and everything in it is gone
        ensure_topics(messaging.bootstrap, [topic])
        assert wait_for(lambda: all(row[1] for row in outbox_state(messaging)), timeout=20), outbox_state(
            messaging
        )
    finally:
        relay.stop()
        if not broker.is_running():
            broker.start()

    assert len(created) >= 2, "the relay should have recreated its producer after the broker error"
    # The restart lost the row sent before it: the relay found the broker without its marker and sent it
    # again, with the rows kept while the broker was down.
    assert relay.broker_losses >= 1
    records = read_topic(topic, expected=4)
    assert sorted(r.key for r in records) == [b"before", b"down-0", b"down-1", b"down-2"]
