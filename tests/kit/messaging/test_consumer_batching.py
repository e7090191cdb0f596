"""EventConsumer applies a poll's records in runs: one transaction per run of one instansi, a savepoint per
record. Against the session's real PostgreSQL; transactions are counted with SQLAlchemy engine events.

The first tests drive `poll_once` with a scripted Kafka client (exact batches, offsets and seeks); the last
ones run the consumer against the real tansu broker.
"""

from __future__ import annotations

import collections
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

import pytest
from google.protobuf import wrappers_pb2
from google.protobuf.message import Message
from kafka import KafkaProducer
from kafka.structs import OffsetAndMetadata, TopicPartition
from sqlalchemy import Engine, event, text
from sqlalchemy import exc as sa_exc

from kinerja.common.v1 import envelope_pb2
from kinerja_kit.consumer import MAX_BATCH_RECORDS, EventConsumer, _RetryLater
from kinerja_kit.db import Transaction, UnitOfWork
from kinerja_kit.kafka import dlq_topic, ensure_topics, make_consumer, make_producer
from kinerja_kit.outbox import OutboxEvent
from kinerja_testing.platform import CONSUMER_HEARTBEAT_MS, CONSUMER_SESSION_TIMEOUT_MS

pytestmark = pytest.mark.integration

TENANT_A = uuid.UUID("0190a000-0000-7000-8000-00000000000a")
TENANT_B = uuid.UUID("0190a000-0000-7000-8000-00000000000b")
TOPIC = "kinerja.msgtest.batching"


# -- helpers ----------------------------------------------------------------------------------------------


@dataclass
class Counts:
    """Transactions committed and savepoints released on an engine while counting."""

    commits: int = 0
    releases: int = 0


@pytest.fixture
def counts(messaging: Any) -> Iterator[Counts]:
    """Counts the commits and savepoint releases of the runtime engine (the consumers' unit of work)."""
    engine: Engine = messaging.app_engine
    seen = Counts()

    def on_commit(conn: Any) -> None:
        seen.commits += 1

    def on_release(conn: Any, name: Any, context: Any) -> None:
        seen.releases += 1

    event.listen(engine, "commit", on_commit)
    event.listen(engine, "release_savepoint", on_release)
    yield seen
    event.remove(engine, "commit", on_commit)
    event.remove(engine, "release_savepoint", on_release)


class Notes:
    """The handler under test: one note per application, and the calls per event id."""

    def __init__(self, fail: Callable[[str, int], BaseException | None] | None = None) -> None:
        self.calls: collections.Counter[str] = collections.Counter()
        self.fail = fail  # fail(body, call number) -> the exception to raise, or None

    def __call__(
        self, tx: Transaction, envelope: envelope_pb2.EventEnvelope, payload: wrappers_pb2.StringValue
    ) -> None:
        assert tx.tenant == uuid.UUID(envelope.instansi_id)
        self.calls[payload.value] += 1
        tx.session.execute(
            text("insert into notes (instansi_id, aggregate_id, body) values (:t, :a, :b)"),
            {"t": tx.tenant, "a": envelope.aggregate_id, "b": payload.value},
        )
        error = self.fail(payload.value, self.calls[payload.value]) if self.fail else None
        if error is not None:
            raise error


def notes(messaging: Any, tenant: uuid.UUID = TENANT_A) -> list[tuple[str, str]]:
    """(aggregate_id, body) of a tenant's notes in the order they were written."""
    with messaging.owner_engine.begin() as conn:
        conn.execute(text("select set_config('app.instansi_id', :t, true)"), {"t": str(tenant)})
        return [(r[0], r[1]) for r in conn.execute(text("select aggregate_id, body from notes order by id"))]


def processed(messaging: Any, name: str) -> int:
    with messaging.owner_engine.connect() as conn:
        return int(
            conn.execute(
                text("select count(*) from processed_events where consumer = :c"), {"c": name}
            ).scalar()
        )


def envelope(topic: str, aggregate_id: str, payload: Message, tenant: uuid.UUID = TENANT_A) -> OutboxEvent:
    return OutboxEvent.build(
        topic=topic,
        payload=payload,
        aggregate_type="note",
        aggregate_id=aggregate_id,
        aggregate_version=1,
        instansi_id=tenant,
        actor=None,
    )


def record(offset: int, value: bytes, key: str = "k", partition: int = 0) -> Any:
    return SimpleNamespace(
        topic=TOPIC, partition=partition, offset=offset, key=key.encode(), value=value, headers=[]
    )


def note_records(bodies: list[str], tenants: list[uuid.UUID] | None = None, key: str = "k") -> list[Any]:
    """Records of StringValue events, one per body (tenant A unless given), at offsets 0, 1, ..."""
    tenants = tenants or [TENANT_A] * len(bodies)
    return [
        record(
            offset,
            envelope(TOPIC, key, wrappers_pb2.StringValue(value=body), tenant).envelope.SerializeToString(),
            key,
        )
        for offset, (body, tenant) in enumerate(zip(bodies, tenants, strict=True))
    ]


@dataclass
class ScriptedKafka:
    """A Kafka consumer whose polls return the given batches, then nothing; records commits and seeks."""

    batches: list[dict[TopicPartition, list[Any]]]
    commits: list[dict[TopicPartition, OffsetAndMetadata]] = field(default_factory=list)
    seeks: list[tuple[TopicPartition, int]] = field(default_factory=list)

    def poll(self, timeout_ms: int = 0) -> dict[TopicPartition, list[Any]]:
        return self.batches.pop(0) if self.batches else {}

    def commit(self, offsets: dict[TopicPartition, OffsetAndMetadata]) -> None:
        self.commits.append(dict(offsets))

    def seek(self, tp: TopicPartition, offset: int) -> None:
        self.seeks.append((tp, offset))

    def close(self, autocommit: bool = False, timeout_ms: int = 0) -> None:
        return None


@dataclass
class ScriptedProducer:
    """A DLQ producer that acknowledges every send at once."""

    sent: list[tuple[str, bytes]] = field(default_factory=list)

    def send(self, topic: str, value: bytes, key: bytes | None = None, headers: Any = None) -> Any:
        self.sent.append((topic, value))
        return SimpleNamespace(get=lambda timeout=None: None)

    def close(self, timeout: float = 0) -> None:
        return None


def scripted_consumer(
    uow: UnitOfWork, kafka: ScriptedKafka, handlers: dict[Any, Any], **options: Any
) -> tuple[EventConsumer, ScriptedProducer]:
    producer = ScriptedProducer()
    consumer = EventConsumer(
        name=f"batching-{uuid.uuid4().hex[:8]}",
        topics=[TOPIC],
        uow=uow,
        handlers=handlers,
        bootstrap_servers="127.0.0.1:1",
        consumer_factory=lambda: kafka,  # type: ignore[arg-type,return-value]
        producer_factory=lambda: producer,  # type: ignore[arg-type,return-value]
        **options,
    )
    return consumer, producer


TP0 = TopicPartition(TOPIC, 0)
TP1 = TopicPartition(TOPIC, 1)


def committed(kafka: ScriptedKafka) -> dict[TopicPartition, int]:
    assert len(kafka.commits) == 1
    return {tp: meta.offset for tp, meta in kafka.commits[0].items()}


# -- runs, driven by a scripted Kafka client ----------------------------------------------------------------


def test_one_transaction_per_run_of_one_instansi(messaging: Any, uow: UnitOfWork, counts: Counts) -> None:
    bodies = [f"v{i}" for i in range(8)]
    tenants = [TENANT_A, TENANT_A, TENANT_A, TENANT_B, TENANT_B, TENANT_A, TENANT_A, TENANT_A]
    records = note_records(bodies, tenants)
    kafka = ScriptedKafka([{TP0: records[:6], TP1: records[6:]}])
    handler = Notes()
    consumer, _ = scripted_consumer(uow, kafka, {wrappers_pb2.StringValue: handler})

    assert consumer.poll_once() == 8
    # A A A | B B | A (partition 0) A A (partition 1): runs end where the instansi changes.
    assert counts.commits == 3 and consumer.batch_count == 3
    assert counts.releases == 8  # a savepoint per record
    assert consumer.processed_count == 8
    assert committed(kafka) == {TP0: 6, TP1: 8}
    assert kafka.seeks == []
    assert [b for _, b in notes(messaging, TENANT_A)] == ["v0", "v1", "v2", "v5", "v6", "v7"]
    assert [b for _, b in notes(messaging, TENANT_B)] == ["v3", "v4"]
    assert processed(messaging, consumer.name) == 8


def test_runs_are_bounded(messaging: Any, uow: UnitOfWork, counts: Counts) -> None:
    kafka = ScriptedKafka([{TP0: note_records([f"v{i}" for i in range(12)])}])
    consumer, _ = scripted_consumer(uow, kafka, {wrappers_pb2.StringValue: Notes()}, max_batch_records=5)
    assert consumer.poll_once() == 12
    assert counts.commits == 3
    assert committed(kafka) == {TP0: 12}
    assert len(notes(messaging)) == 12


def test_a_failing_record_is_retried_alone_then_dead_lettered_and_the_run_goes_on(
    messaging: Any, uow: UnitOfWork, counts: Counts
) -> None:
    records = note_records([f"v{i}" for i in range(10)])
    records.insert(4, record(4, b"not a protobuf \xff"))  # poison: ends the run before it
    for offset, item in enumerate(records):
        item.offset = offset
    kafka = ScriptedKafka([{TP0: records}])
    handler = Notes(lambda body, call: RuntimeError(f"bad {body}") if body == "v6" else None)
    consumer, producer = scripted_consumer(uow, kafka, {wrappers_pb2.StringValue: handler}, max_attempts=3)

    assert consumer.poll_once() == 11
    # v0..v3 | poison | v4 v5 (v6 fails: its savepoint rolls back, v4 v5 commit) | v6 alone twice | v7..v9
    assert counts.commits == 3
    assert handler.calls["v6"] == 3  # the failed try in the run counts as the first of max_attempts
    assert all(n == 1 for body, n in handler.calls.items() if body != "v6")
    assert consumer.processed_count == 9 and consumer.dead_letter_count == 2
    letters = [envelope_pb2.DeadLetter.FromString(value) for _, value in producer.sent]
    assert [d.source_offset for d in letters] == [4, 7]
    assert "PoisonMessage" in letters[0].error and "RuntimeError: bad v6" in letters[1].error
    assert [b for _, b in notes(messaging)] == [f"v{i}" for i in range(10) if i != 6]
    assert processed(messaging, consumer.name) == 9
    assert committed(kafka) == {TP0: 11}


def test_a_record_that_fails_once_keeps_its_place_in_its_keys_order(
    messaging: Any, uow: UnitOfWork, counts: Counts
) -> None:
    records = note_records([f"v{i}" for i in range(6)])
    kafka = ScriptedKafka([{TP0: records}])
    handler = Notes(lambda body, call: RuntimeError("once") if body == "v2" and call == 1 else None)
    consumer, producer = scripted_consumer(uow, kafka, {wrappers_pb2.StringValue: handler})

    assert consumer.poll_once() == 6
    # v0 v1 commit, v2 alone commits, then v3..v5: the key's later records wait for the retried one.
    assert [b for _, b in notes(messaging)] == [f"v{i}" for i in range(6)]
    assert counts.commits == 3
    assert handler.calls["v2"] == 2 and producer.sent == []
    assert consumer.processed_count == 6


def test_a_database_outage_mid_run_commits_offsets_only_up_to_what_committed(
    messaging: Any, uow: UnitOfWork, counts: Counts
) -> None:
    records = note_records([f"v{i}" for i in range(10)])
    kafka = ScriptedKafka([{TP0: records}])

    def outage(body: str, call: int) -> BaseException | None:
        if body == "v6":
            return sa_exc.OperationalError("select 1", {}, ConnectionError("server closed the connection"))
        return None

    handler = Notes(outage)
    consumer, producer = scripted_consumer(uow, kafka, {wrappers_pb2.StringValue: handler}, max_attempts=3)

    with pytest.raises(_RetryLater):
        consumer.poll_once()
    assert [b for _, b in notes(messaging)] == [f"v{i}" for i in range(6)]
    assert committed(kafka) == {TP0: 6}  # never past the record not applied
    assert kafka.seeks == [(TP0, 6)]  # read again from there
    assert handler.calls["v6"] == 4  # once in the run, then max_attempts alone: never dead-lettered
    assert producer.sent == [] and consumer.dead_letter_count == 0
    assert processed(messaging, consumer.name) == 6


def test_a_redelivered_batch_applies_nothing_twice(messaging: Any, uow: UnitOfWork, counts: Counts) -> None:
    records = note_records([f"v{i}" for i in range(5)])
    # Delivered again (a rebalance, a restart before the offset commit), at later offsets of a fresh log.
    again = [SimpleNamespace(**vars(r)) for r in records[1:4]]
    more = note_records([f"w{i}" for i in range(3)])
    for offset, item in enumerate(again + more, start=5):
        item.offset = offset
    kafka = ScriptedKafka([{TP0: records}, {TP0: again + more}, {TP0: list(again)}])
    handler = Notes()
    consumer, _ = scripted_consumer(uow, kafka, {wrappers_pb2.StringValue: handler})

    assert consumer.poll_once() == 5
    assert consumer.poll_once() == 6
    assert consumer.poll_once() == 3
    assert consumer.processed_count == 8 and consumer.duplicate_count == 6
    assert all(n == 1 for n in handler.calls.values()), handler.calls
    assert [b for _, b in notes(messaging)] == [f"v{i}" for i in range(5)] + [f"w{i}" for i in range(3)]
    assert counts.commits == 2  # the poll of duplicates only commits nothing
    assert processed(messaging, consumer.name) == 8


def test_a_run_whose_commit_fails_is_applied_one_record_at_a_time(
    messaging: Any, uow: UnitOfWork, counts: Counts
) -> None:
    # A deferred unique constraint: both inserts pass their savepoints, the run's commit is refused.
    with messaging.owner_engine.begin() as conn:
        conn.execute(
            text(
                "create table if not exists batch_slots (slot text,"
                " constraint batch_slots_unique unique (slot) deferrable initially deferred)"
            )
        )
        conn.execute(text("truncate batch_slots"))

    def take_slot(
        tx: Transaction, envelope: envelope_pb2.EventEnvelope, payload: wrappers_pb2.StringValue
    ) -> None:
        Notes()(tx, envelope, payload)
        slot = "same" if payload.value in ("v1", "v3") else payload.value
        tx.session.execute(text("insert into batch_slots (slot) values (:s)"), {"s": slot})

    kafka = ScriptedKafka([{TP0: note_records([f"v{i}" for i in range(5)])}])
    consumer, producer = scripted_consumer(uow, kafka, {wrappers_pb2.StringValue: take_slot}, max_attempts=2)

    assert consumer.poll_once() == 5
    assert consumer.fallback_count == 1
    assert consumer.processed_count == 4 and consumer.dead_letter_count == 1
    letter = envelope_pb2.DeadLetter.FromString(producer.sent[0][1])
    assert letter.source_offset == 3 and "batch_slots_unique" in letter.error
    assert [b for _, b in notes(messaging)] == ["v0", "v1", "v2", "v4"]
    assert processed(messaging, consumer.name) == 4
    assert committed(kafka) == {TP0: 5}


# -- against the real broker ---------------------------------------------------------------------------------


@pytest.fixture
def producer(messaging: Any) -> Iterator[KafkaProducer]:
    producer = make_producer(messaging.bootstrap)
    yield producer
    producer.close()


def test_many_events_are_applied_with_far_fewer_commits_than_events(
    messaging: Any,
    producer: KafkaProducer,
    counts: Counts,
    consumers: Callable[..., EventConsumer],
    unique: Callable[[str], str],
) -> None:
    topic = unique("many")
    ensure_topics(messaging.bootstrap, [topic])
    total = 600
    for i in range(total):
        key = f"agg-{i % 7}"
        value = envelope(topic, key, wrappers_pb2.StringValue(value=f"{key}/{i}")).envelope
        producer.send(topic, value=value.SerializeToString(), key=key.encode())
    producer.flush()

    handler = Notes()
    consumer = consumers(unique("group"), [topic], {wrappers_pb2.StringValue: handler})
    assert consumer.wait_until(lambda c: c.processed_count == total, timeout=30), vars(consumer)
    consumer.stop()
    assert counts.releases == total
    # A commit per run (at most MAX_BATCH_RECORDS events of a poll), not per event.
    assert total // MAX_BATCH_RECORDS <= counts.commits <= total // 10, counts
    assert consumer.batch_count == counts.commits
    assert all(n == 1 for n in handler.calls.values())
    rows = notes(messaging)
    assert len(rows) == total
    for key in {agg for agg, _ in rows}:  # each key's events applied in the order they were produced
        bodies = [int(body.split("/")[1]) for agg, body in rows if agg == key]
        assert bodies == sorted(bodies)
    assert processed(messaging, consumer.name) == total


def test_a_poison_record_in_a_batch_is_dead_lettered_and_the_others_applied_once(
    messaging: Any,
    producer: KafkaProducer,
    read_topic: Any,
    consumers: Callable[..., EventConsumer],
    unique: Callable[[str], str],
) -> None:
    topic = unique("midpoison")
    ensure_topics(messaging.bootstrap, [topic, dlq_topic(topic)], partitions=1)
    for i in range(30):
        value = envelope(topic, "k", wrappers_pb2.StringValue(value=f"v{i}")).envelope.SerializeToString()
        producer.send(topic, value=value, key=b"k", partition=0)
    producer.flush()

    handler = Notes(lambda body, call: RuntimeError(f"cannot apply {body}") if body == "v17" else None)
    consumer = consumers(unique("group"), [topic], {wrappers_pb2.StringValue: handler}, max_attempts=3)
    assert consumer.wait_until(lambda c: c.processed_count == 29 and c.dead_letter_count == 1, timeout=30), (
        vars(consumer)
    )
    assert handler.calls["v17"] == 3
    assert all(n == 1 for body, n in handler.calls.items() if body != "v17")
    assert [b for _, b in notes(messaging)] == [f"v{i}" for i in range(30) if i != 17]
    [letter] = [envelope_pb2.DeadLetter.FromString(r.value) for r in read_topic(dlq_topic(topic), expected=1)]
    assert letter.source_offset == 17 and "RuntimeError: cannot apply v17" in letter.error
    assert processed(messaging, consumer.name) == 29


def test_a_batch_read_again_by_a_fresh_group_applies_nothing_twice(
    messaging: Any,
    producer: KafkaProducer,
    counts: Counts,
    consumers: Callable[..., EventConsumer],
    unique: Callable[[str], str],
) -> None:
    topic = unique("again")
    ensure_topics(messaging.bootstrap, [topic])

    def publish(bodies: list[str]) -> None:
        for body in bodies:
            value = envelope(topic, body, wrappers_pb2.StringValue(value=body)).envelope.SerializeToString()
            producer.send(topic, value=value, key=body.encode())
        producer.flush()

    publish([f"v{i}" for i in range(50)])
    name = unique("consumer")
    handler = Notes()
    first = consumers(name, [topic], {wrappers_pb2.StringValue: handler})
    assert first.wait_until(lambda c: c.processed_count == 50, timeout=30), vars(first)
    first.stop()

    # The same consumer (same dedupe name) reading the topic from its start in a group of its own: every
    # earlier event comes again, in the same polls as new ones.
    publish([f"w{i}" for i in range(10)])
    commits_before = counts.commits
    second = consumers(
        name,
        [topic],
        {wrappers_pb2.StringValue: handler},
        consumer_factory=lambda: make_consumer(
            messaging.bootstrap,
            unique("fresh-group"),
            [topic],
            session_timeout_ms=CONSUMER_SESSION_TIMEOUT_MS,
            heartbeat_interval_ms=CONSUMER_HEARTBEAT_MS,
            max_poll_records=500,
        ),
    )
    assert second.wait_until(lambda c: c.processed_count + c.duplicate_count == 60, timeout=30), vars(second)
    assert second.processed_count == 10 and second.duplicate_count == 50
    assert all(n == 1 for n in handler.calls.values()), handler.calls
    assert len(notes(messaging)) == 60
    assert processed(messaging, name) == 60
    assert counts.commits - commits_before <= 3


# -- batch handlers: a group of one event type in one call ---------------------------------------------------


class ManyNotes:
    """A batch handler writing the same notes as `Notes`, all at once; raises when told to."""

    def __init__(self, single: Notes, fail_when: Callable[[list[str]], bool] | None = None) -> None:
        self.single = single
        self.groups: list[list[str]] = []
        self.fail_when = fail_when

    def __call__(self, tx: Transaction, events: Any) -> None:
        bodies = [payload.value for _, payload in events]
        self.groups.append(bodies)
        for envelope_, payload in events:
            tx.session.execute(
                text("insert into notes (instansi_id, aggregate_id, body) values (:t, :a, :b)"),
                {"t": tx.tenant, "a": envelope_.aggregate_id, "b": payload.value},
            )
        if self.fail_when is not None and self.fail_when(bodies):
            raise RuntimeError("the batch handler failed")


def test_a_batch_handler_gets_a_runs_events_of_its_type_at_once(
    messaging: Any, uow: UnitOfWork, counts: Counts
) -> None:
    bodies = [f"v{i}" for i in range(120)]
    records = note_records(bodies)
    again = [SimpleNamespace(**vars(r)) for r in records[:10]]  # delivered twice
    for offset, item in enumerate(again, start=len(records)):
        item.offset = offset
    kafka = ScriptedKafka([{TP0: records + again}])
    single = Notes()
    many = ManyNotes(single)
    consumer, _ = scripted_consumer(
        uow, kafka, {wrappers_pb2.StringValue: single}, batch_handlers={wrappers_pb2.StringValue: many}
    )

    assert consumer.poll_once() == 130
    assert single.calls == collections.Counter()  # never the single handler
    assert [len(g) for g in many.groups] == [120]  # the 10 read again: claimed once, applied once
    assert counts.commits == 1 and consumer.group_count == 1
    assert consumer.processed_count == 120 and consumer.duplicate_count == 10
    assert [b for _, b in notes(messaging)] == bodies
    assert processed(messaging, consumer.name) == 120
    assert committed(kafka) == {TP0: 130}


def test_a_failing_batch_handler_falls_back_to_one_event_at_a_time(
    messaging: Any, uow: UnitOfWork, counts: Counts
) -> None:
    records = note_records([f"v{i}" for i in range(8)])
    kafka = ScriptedKafka([{TP0: records}])
    single = Notes(lambda body, call: RuntimeError(f"bad {body}") if body == "v5" else None)
    many = ManyNotes(single, fail_when=lambda bodies: True)
    consumer, producer = scripted_consumer(
        uow,
        kafka,
        {wrappers_pb2.StringValue: single},
        batch_handlers={wrappers_pb2.StringValue: many},
        max_attempts=2,
    )

    assert consumer.poll_once() == 8
    # The group's savepoint rolled back (none of its notes stay), then each event alone: v5 is retried and
    # dead-lettered as with the single handler; the events after it form a new group, which fails too.
    assert consumer.group_fallback_count == 2 and consumer.group_count == 0
    assert [b for _, b in notes(messaging)] == [f"v{i}" for i in range(8) if i != 5]
    assert consumer.processed_count == 7 and consumer.dead_letter_count == 1
    assert [envelope_pb2.DeadLetter.FromString(v).source_offset for _, v in producer.sent] == [5]
    assert processed(messaging, consumer.name) == 7
    assert committed(kafka) == {TP0: 8}


def test_a_batch_handler_needs_the_single_handler() -> None:
    with pytest.raises(ValueError, match="single handler"):
        EventConsumer(
            name="x",
            topics=[TOPIC],
            uow=None,  # type: ignore[arg-type]
            handlers={},
            batch_handlers={wrappers_pb2.StringValue: lambda tx, events: None},
            bootstrap_servers="127.0.0.1:1",
        )
