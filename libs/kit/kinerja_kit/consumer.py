"""Idempotent event consumers: dedupe on event id in the handler's transaction, dead-letter poison messages."""

from __future__ import annotations

import logging
import threading
import time
import traceback
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from google.protobuf import timestamp_pb2
from google.protobuf.message import DecodeError, Message
from kafka import KafkaConsumer, KafkaProducer
from kafka.consumer.fetcher import ConsumerRecord
from kafka.structs import OffsetAndMetadata, TopicPartition
from sqlalchemy import exc as sa_exc
from sqlalchemy import text

from kinerja.common.v1 import envelope_pb2
from kinerja_kit.context import SYSTEM, Principal
from kinerja_kit.db import Transaction, UnitOfWork
from kinerja_kit.kafka import BROKER_ERRORS, dlq_topic, make_consumer, make_producer
from kinerja_kit.outbox import unpack_payload
from kinerja_kit.worker import ThreadedWorker, backoff_delay

__all__ = ["BatchEventHandler", "EventConsumer", "EventHandler", "PoisonMessage"]

log = logging.getLogger(__name__)

# handler(tx, envelope, payload): payload is the decoded message of the class the handler is registered for.
EventHandler = Callable[[Transaction, envelope_pb2.EventEnvelope, Any], None]

# batch_handler(tx, events): the (envelope, payload) of consecutive events of one type and one instansi, in
# order, each claimed in processed_events; it must have the same effect as the type's EventHandler applied
# to each in turn (it is the fallback whenever the batch handler raises).
BatchEventHandler = Callable[[Transaction, Sequence[tuple[envelope_pb2.EventEnvelope, Any]]], None]

MAX_ERROR_TEXT = 8000

# Events applied in one transaction at most. Each has a savepoint, and PostgreSQL keeps the ids of only 64
# subtransactions per backend in shared memory: past that, every other session's snapshot must look the
# transaction's rows up in pg_subtrans while it lasts (a known slowdown under load). 50 stays below, and a
# commit per 50 events already takes the commit's cost (the WAL flush) out of the per-event cost.
MAX_BATCH_RECORDS = 50

# Events of one type a batch handler gets at once (a group takes one savepoint, whatever its size).
MAX_GROUP_RECORDS = 500

# Database errors that say the database (not the message) is the problem: such a record is retried later,
# never dead-lettered.
DATABASE_UNAVAILABLE: tuple[type[BaseException], ...] = (
    sa_exc.OperationalError,
    sa_exc.InterfaceError,
    sa_exc.DisconnectionError,
    sa_exc.TimeoutError,
)

_CLAIM = text(
    "insert into processed_events (consumer, event_id) values (:consumer, :event_id) "
    "on conflict do nothing returning event_id"
)
_CLAIM_MANY = text(
    "insert into processed_events (consumer, event_id) "
    "select :consumer, e from unnest(cast(:event_ids as uuid[])) as e "
    "on conflict do nothing returning event_id"
)


class PoisonMessage(Exception):
    """A record that can never be handled (undecodable, or a bad envelope): dead-lettered at once."""


class _RetryLater(Exception):
    """The record could not be handled for a reason outside it (database down): handle it again later."""


@dataclass(frozen=True)
class _Event:
    """A record with a handler, decoded and ready to apply."""

    tp: TopicPartition
    record: ConsumerRecord
    envelope: envelope_pb2.EventEnvelope
    payload: Message
    handler: EventHandler
    tenant: uuid.UUID
    event_id: uuid.UUID


@dataclass(frozen=True)
class _Skip:
    """A record of an event type without a handler."""

    tp: TopicPartition
    record: ConsumerRecord
    event_type: str


@dataclass(frozen=True)
class _Poison:
    """A record that can never be handled: dead-lettered with `error`."""

    tp: TopicPartition
    record: ConsumerRecord
    error: str


_Item = _Event | _Skip | _Poison

# What became of a record of a committed run.
_APPLIED, _DUPLICATE, _SKIPPED = "applied", "duplicate", "skipped"


@dataclass
class _RunResult:
    """The outcomes of a run's leading records (committed together), and the record that failed after them."""

    outcomes: list[str]
    failed: _Event | None = None
    error: BaseException | None = None


class EventConsumer(ThreadedWorker):
    """Consumes topics in a consumer group and applies each event exactly once per consumer.

    Each record's EventEnvelope is decoded (undecodable → dead letter); event types without a handler are
    skipped. The records of one poll are applied in runs: consecutive records of the same instansi (the
    event's tenant), at most `max_batch_records` events, share one transaction confined to that instansi.
    Inside it each event has a savepoint of its own in which its id is claimed in processed_events and its
    handler runs; claim and effects commit together, so a redelivered event does nothing. A handler that
    raises rolls back only its savepoint: the run stops there, what precedes the record commits, and the
    record is retried alone in fresh transactions (the failed try in the run counts as its first of
    `max_attempts`); a record that keeps failing is dead-lettered to `<topic>.dlq` as a DeadLetter and
    consumption goes on with the records after it, in a new run. A run that fails as a whole (its
    transaction lost, its commit refused) is rolled back and its records applied one at a time. Records are
    applied in the order the poll returned them, so each partition's (each key's) order holds.

    `batch_handlers` (optional, per event type that also has a single handler): consecutive events of
    that type in a run (at most MAX_GROUP_RECORDS) are claimed with one statement and applied by one call
    in one savepoint, for bulk loads (identity opens the accounts of an org import's PegawaiCreated with a
    few multi-row statements instead of eight statements each). A group counts as one of the run's
    `max_batch_records` steps. A batch handler that raises rolls back its savepoint, and the group's
    events are applied one at a time by the single handler, with its retries and dead letters.

    A database that is not reachable never dead-letters a record: the poll's remaining records are read
    again after a backoff. Offsets are committed once per poll, only up to the last record whose
    transaction committed (or that was skipped or dead-lettered); records after it are read again, and
    what they had applied is absorbed by the dedupe. Broker errors close and recreate the clients with
    backoff; the thread never dies of them.

    Measured with 100,000 events of one instansi on 3 partitions of the embedded tansu, a handler inserting
    one row, the embedded PostgreSQL with fsync and synchronous_commit on (fdatasync about 0.4 ms) on the
    2-core development machine while other work loaded it: a commit per event before runs, one per 50
    events with them. Interleaved slices of 20,000 gave 120 events per second before and 280 after
    (1.5x to 4.9x slice by slice as the load varied); CPU per event, consumer and PostgreSQL together, fell
    from about 1.6 ms to 0.9 ms. With little other load: about 750 per second before, 1,050 to 1,300
    after. What is left is a round trip per statement (four here: savepoint, claim, the handler's insert,
    release) and the handler's own work: identity's PegawaiCreated (eight statements, about 2.5 ms of CPU
    in the consumer) ran at 100 to 180 per second on the loaded machine. With its batch handler (a group's
    claims in one statement, accounts, directory entries and outbox rows in one statement each) identity
    opened the national data set's 1,000,000 accounts in about 37 minutes, ~450 per second, while three
    other jobs loaded the same 2 cores; its consumer thread then waited on PostgreSQL most of the time
    (the accounts' trigram and prefix indexes).
    """

    def __init__(
        self,
        *,
        name: str,
        topics: Iterable[str],
        uow: UnitOfWork,
        handlers: Mapping[type[Message], EventHandler],
        bootstrap_servers: str,
        batch_handlers: Mapping[type[Message], BatchEventHandler] | None = None,
        session_timeout_ms: int = 10_000,
        heartbeat_interval_ms: int = 3_000,
        max_attempts: int = 3,
        max_poll_records: int = 500,
        max_batch_records: int = MAX_BATCH_RECORDS,
        poll_timeout_ms: int = 200,
        actor: Principal = SYSTEM,
        consumer_factory: Callable[[], KafkaConsumer] | None = None,
        producer_factory: Callable[[], KafkaProducer] | None = None,
        stall_seconds: float | None = None,
    ) -> None:
        if max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        if max_batch_records < 1:
            raise ValueError("max_batch_records must be at least 1")
        self.name = name
        self.topics = list(topics)
        self.uow = uow
        self.bootstrap_servers = bootstrap_servers
        self.max_attempts = max_attempts
        self.max_batch_records = max_batch_records
        self.poll_timeout_ms = poll_timeout_ms
        self.actor = actor
        # A rebalance this much longer than a join normally takes (tansu: about half the session
        # timeout) counts as stalled.
        self.stall_seconds = stall_seconds if stall_seconds is not None else 4 * session_timeout_ms / 1000
        self._rebalancing_since: float | None = None
        self._handlers: dict[str, tuple[type[Message], EventHandler]] = {
            cls.DESCRIPTOR.full_name: (cls, fn) for cls, fn in handlers.items()
        }
        for cls in batch_handlers or {}:
            if cls not in handlers:
                raise ValueError(
                    f"a batch handler for {cls.DESCRIPTOR.full_name} needs its single handler too"
                )
        self._batch_handlers: dict[str, BatchEventHandler] = {
            cls.DESCRIPTOR.full_name: fn for cls, fn in (batch_handlers or {}).items()
        }
        self._consumer_factory = consumer_factory or (
            lambda: make_consumer(
                bootstrap_servers,
                name,
                self.topics,
                session_timeout_ms=session_timeout_ms,
                heartbeat_interval_ms=heartbeat_interval_ms,
                max_poll_records=max_poll_records,
            )
        )
        self._producer_factory = producer_factory or (lambda: make_producer(bootstrap_servers))
        self._consumer: KafkaConsumer | None = None
        self._producer: KafkaProducer | None = None
        super().__init__()
        self._failures = 0
        self._changed = threading.Condition()
        # Counters (read by health checks and tests).
        self.processed_count = 0  # records whose handler committed
        self.duplicate_count = 0  # records whose event id was already processed
        self.skipped_count = 0  # records of event types without a handler
        self.dead_letter_count = 0
        self.committed_count = 0  # offset commits that succeeded
        self.batch_count = 0  # runs committed in one transaction
        self.fallback_count = 0  # runs that failed as a whole and were applied one record at a time
        self.group_count = 0  # groups of events applied by a batch handler
        self.group_fallback_count = 0  # groups whose batch handler raised, applied one event at a time
        self.last_error: str | None = None

    # -- client lifecycle ---------------------------------------------------------------------------

    def _get_consumer(self) -> KafkaConsumer:
        if self._consumer is None:
            self._consumer = self._consumer_factory()
            log.info("%s: consuming %s from %s", self.name, self.topics, self.bootstrap_servers)
        return self._consumer

    def _get_producer(self) -> KafkaProducer:
        if self._producer is None:
            self._producer = self._producer_factory()
        return self._producer

    def _drop_clients(self) -> None:
        consumer, self._consumer = self._consumer, None
        producer, self._producer = self._producer, None
        if consumer is not None:
            try:
                consumer.close(autocommit=False, timeout_ms=1000)
            except Exception:
                log.debug("%s: closing the consumer failed", self.name, exc_info=True)
        if producer is not None:
            try:
                producer.close(timeout=1)
            except Exception:
                log.debug("%s: closing the DLQ producer failed", self.name, exc_info=True)

    # -- one batch ----------------------------------------------------------------------------------

    def poll_once(self, stop_event: threading.Event | None = None) -> int:
        """Polls one batch, applies it in runs and commits the offsets of what committed; returns the
        records handled.

        Raises broker errors (the caller recreates the clients) and _RetryLater (database unavailable).
        """
        consumer = self._get_consumer()
        batch: dict[TopicPartition, list[ConsumerRecord]] = consumer.poll(timeout_ms=self.poll_timeout_ms)
        offsets: dict[TopicPartition, OffsetAndMetadata] = {}
        handled = 0

        def done(items: Sequence[_Item]) -> None:
            nonlocal handled
            for item in items:
                offsets[item.tp] = OffsetAndMetadata(item.record.offset + 1, "", -1)
            handled += len(items)

        try:
            items = [self._prepare(tp, record) for tp, records in batch.items() for record in records]
            position = 0
            while position < len(items):
                if stop_event is not None and stop_event.is_set():
                    return handled
                item = items[position]
                if isinstance(item, _Poison):
                    self._dead_letter(item.record, f"PoisonMessage: {item.error}")
                    done([item])
                    position += 1
                    continue
                run = self._next_run(items, position)
                result = self._apply_batch(run, stop_event)
                if result is None:  # the run failed as a whole: its records one at a time
                    for one in run:
                        if stop_event is not None and stop_event.is_set():
                            return handled
                        self._handle(one)  # _RetryLater leaves this record and the rest to be read again
                        done([one])
                    position += len(run)
                    continue
                settled = run[: len(result.outcomes)]
                self._count(result.outcomes)
                done(settled)
                position += len(settled)
                if result.failed is not None:
                    self._handle(result.failed, result.error)
                    done([result.failed])
                    position += 1
        finally:
            self._rewind(consumer, batch, offsets)
            if offsets:
                self._commit(consumer, offsets)
        return handled

    def _rewind(
        self,
        consumer: KafkaConsumer,
        batch: dict[TopicPartition, list[ConsumerRecord]],
        offsets: dict[TopicPartition, OffsetAndMetadata],
    ) -> None:
        """Seeks back every partition of the batch to its first record not handled."""
        for tp, records in batch.items():
            if not records:
                continue
            done = offsets.get(tp)
            next_offset = done.offset if done is not None else records[0].offset
            if next_offset <= records[-1].offset:
                try:
                    consumer.seek(tp, next_offset)
                except Exception:  # partition revoked meanwhile: the group's committed offset rules
                    log.debug("%s: seek %s to %d failed", self.name, tp, next_offset, exc_info=True)

    def _commit(self, consumer: KafkaConsumer, offsets: dict[TopicPartition, OffsetAndMetadata]) -> None:
        consumer.commit(offsets)
        self.committed_count += 1
        self._notify()

    # -- decoding -----------------------------------------------------------------------------------

    def _prepare(self, tp: TopicPartition, record: ConsumerRecord) -> _Item:
        """Decodes a record: an event to apply, a record to skip, or poison."""
        try:
            envelope = self._decode(record)
        except PoisonMessage as exc:
            return _Poison(tp, record, str(exc))
        entry = self._handlers.get(envelope.event_type)
        if entry is None:
            return _Skip(tp, record, envelope.event_type)
        payload_class, handler = entry
        try:
            payload = unpack_payload(envelope, payload_class)
            tenant = uuid.UUID(envelope.instansi_id)
            event_id = uuid.UUID(envelope.event_id)
        except (ValueError, DecodeError) as exc:
            return _Poison(tp, record, f"bad envelope: {exc!r}")
        return _Event(tp, record, envelope, payload, handler, tenant, event_id)

    @staticmethod
    def _decode(record: ConsumerRecord) -> envelope_pb2.EventEnvelope:
        if not record.value:
            raise PoisonMessage("empty value")
        envelope = envelope_pb2.EventEnvelope()
        try:
            envelope.ParseFromString(record.value)
        except (DecodeError, ValueError, TypeError) as exc:
            raise PoisonMessage(f"not an EventEnvelope: {exc!r}") from exc
        if not envelope.event_id or not envelope.event_type:
            raise PoisonMessage("envelope without event_id or event_type")
        return envelope

    # -- runs: many records, one transaction --------------------------------------------------------

    def _next_run(self, items: Sequence[_Item], start: int) -> list[_Event | _Skip]:
        """The records from `start` that share a transaction: up to the next poison record, the next event
        of another instansi, or `max_batch_records` events (records without a handler go along)."""
        run: list[_Event | _Skip] = []
        tenant: uuid.UUID | None = None
        steps = 0  # savepoints: one per event, one per group of a type with a batch handler
        grouped = 0  # events in the current group
        previous: _Event | _Skip | None = None
        for item in items[start:]:
            if isinstance(item, _Poison):
                break
            if isinstance(item, _Event):
                joins = (
                    isinstance(previous, _Event)
                    and item.envelope.event_type == previous.envelope.event_type
                    and item.envelope.event_type in self._batch_handlers
                    and grouped < MAX_GROUP_RECORDS
                )
                if tenant is None:
                    tenant = item.tenant
                elif item.tenant != tenant or (not joins and steps >= self.max_batch_records):
                    break
                if joins:
                    grouped += 1
                else:
                    steps, grouped = steps + 1, 1
            run.append(item)
            previous = item
        return run

    def _apply_batch(
        self, run: Sequence[_Event | _Skip], stop_event: threading.Event | None
    ) -> _RunResult | None:
        """Applies a run's records in one transaction, each in a savepoint; None if the run failed as a
        whole (rolled back: nothing of it committed).

        Stops at the first record whose handler raised (its savepoint rolled back) or when `stop_event`
        is set; the records before it commit together and are the result's outcomes.
        """
        events = [item for item in run if isinstance(item, _Event)]
        if not events:
            return _RunResult([_SKIPPED] * len(run))
        tenant = events[0].tenant
        try:
            return self._run_transaction(tenant, run, stop_event)
        except Exception as exc:
            self.fallback_count += 1
            log.warning(
                "%s: a batch of %d records failed as a whole (%r); applying them one at a time",
                self.name,
                len(run),
                exc,
            )
            return None

    def _run_transaction(
        self, tenant: uuid.UUID, run: Sequence[_Event | _Skip], stop_event: threading.Event | None
    ) -> _RunResult:
        result = _RunResult([])
        with self.uow.transaction(tenant=tenant, actor=self.actor) as outer:
            position = 0
            singles_until = 0  # events before this position go one at a time (their batch handler failed)
            while position < len(run):
                if stop_event is not None and stop_event.is_set():
                    break
                item = run[position]
                if isinstance(item, _Skip):
                    result.outcomes.append(_SKIPPED)
                    position += 1
                    continue
                if position >= singles_until:
                    group = self._group(run, position)
                    if len(group) > 1:
                        outcomes = self._apply_group(outer, tenant, group)
                        if outcomes is not None:
                            result.outcomes.extend(outcomes)
                            position += len(group)
                            continue
                        singles_until = position + len(group)
                outcome = self._apply_in_run(outer, tenant, item)
                if isinstance(outcome, BaseException):
                    result.failed, result.error = item, outcome
                    break
                result.outcomes.append(outcome)
                position += 1
            if _APPLIED in result.outcomes:
                outer.commit()
                self.batch_count += 1
        return result

    def _group(self, run: Sequence[_Event | _Skip], start: int) -> list[_Event]:
        """The consecutive events from `start` of one type that has a batch handler (one event if none)."""
        first = run[start]
        assert isinstance(first, _Event)
        if first.envelope.event_type not in self._batch_handlers:
            return [first]
        group = [first]
        for item in run[start + 1 :]:
            if (
                not isinstance(item, _Event)
                or item.envelope.event_type != first.envelope.event_type
                or len(group) >= MAX_GROUP_RECORDS
            ):
                break
            group.append(item)
        return group

    def _apply_group(
        self, outer: Transaction, tenant: uuid.UUID, group: Sequence[_Event]
    ) -> list[str] | None:
        """Claims a group's event ids in one statement and applies the claimed ones with the batch handler,
        in one savepoint; the outcome of each event, or None when the batch handler raised (the savepoint
        rolled back: nothing of the group applied)."""
        session = outer.session
        savepoint = session.begin_nested()
        tx = Transaction(session, tenant, self.actor, savepoint)
        try:
            claimed = set(
                session.scalars(
                    _CLAIM_MANY,
                    {"consumer": self.name, "event_ids": [str(item.event_id) for item in group]},
                )
            )
            fresh: list[_Event] = []
            for item in group:  # an event twice in the group: its first place only
                if item.event_id in claimed:
                    claimed.discard(item.event_id)
                    fresh.append(item)
            if fresh:
                self._batch_handlers[group[0].envelope.event_type](
                    tx, [(item.envelope, item.payload) for item in fresh]
                )
            if not tx.committed:
                tx.commit()
        except Exception as exc:
            if tx.committed:  # released by the handler itself: only the whole run can be undone
                raise
            savepoint.rollback()
            self.group_fallback_count += 1
            log.warning(
                "%s: the batch handler for %d %s failed (%r); applying them one at a time",
                self.name,
                len(group),
                group[0].envelope.event_type,
                exc,
            )
            return None
        finally:
            if tx.tenant != tenant:
                outer.set_tenant(tenant)
        self.group_count += 1
        applied = {id(item) for item in fresh}
        return [_APPLIED if id(item) in applied else _DUPLICATE for item in group]

    def _apply_in_run(self, outer: Transaction, tenant: uuid.UUID, item: _Event) -> str | BaseException:
        """Claims and applies one event of a run in a savepoint of its own: its outcome, or what it raised
        (its savepoint rolled back). Raises when the run's transaction itself is lost."""
        session = outer.session
        savepoint = session.begin_nested()
        tx = Transaction(session, tenant, self.actor, savepoint)
        try:
            claimed = session.execute(_CLAIM, {"consumer": self.name, "event_id": item.event_id}).first()
            if claimed is None:
                savepoint.rollback()
                return _DUPLICATE
            item.handler(tx, item.envelope, item.payload)
            if not tx.committed:
                tx.commit()
        except Exception as exc:
            if tx.committed:  # released by the handler itself: only the whole run can be undone
                raise
            # Also after a failed flush; raises (the run fails as a whole) when the transaction itself is
            # gone.
            savepoint.rollback()
            return exc
        finally:
            if tx.tenant != tenant:  # a handler that moved its tenant: the next record starts anew
                outer.set_tenant(tenant)
        return _APPLIED

    def _count(self, outcomes: Sequence[str]) -> None:
        """Counts the records of a committed run."""
        if not outcomes:
            return
        self.processed_count += outcomes.count(_APPLIED)
        self.duplicate_count += outcomes.count(_DUPLICATE)
        self.skipped_count += outcomes.count(_SKIPPED)
        self._notify()

    # -- one record, alone --------------------------------------------------------------------------

    def _handle(self, item: _Event | _Skip, failed_in_batch: BaseException | None = None) -> None:
        """Applies one record in transactions of its own: applied once, skipped, or dead-lettered.

        `failed_in_batch`: what the record raised in its run, which counts as its first attempt (unless the
        database was unavailable). Raises _RetryLater or broker errors.
        """
        if isinstance(item, _Skip):
            log.debug("%s: no handler for %s; skipped", self.name, item.event_type)
            self._count([_SKIPPED])
            return
        error = ""
        first = 1
        if failed_in_batch is not None and not isinstance(failed_in_batch, DATABASE_UNAVAILABLE):
            error = self._failed(item, failed_in_batch, 1)
            first = 2
        for attempt in range(first, self.max_attempts + 1):
            try:
                applied = self._apply(item)
            except DATABASE_UNAVAILABLE as exc:
                if attempt < self.max_attempts:
                    error = repr(exc)
                    continue
                log.warning(
                    "%s: database unavailable (%r); will retry %s", self.name, exc, _where(item.record)
                )
                raise _RetryLater(repr(exc)) from exc
            except Exception as exc:
                error = self._failed(item, exc, attempt)
                continue
            self._count([_APPLIED if applied else _DUPLICATE])
            return
        self._dead_letter(item.record, error)

    def _failed(self, item: _Event, exc: BaseException, attempt: int) -> str:
        log.warning(
            "%s: handler for %s failed (attempt %d of %d): %r",
            self.name,
            item.envelope.event_type,
            attempt,
            self.max_attempts,
            exc,
        )
        return "".join(traceback.format_exception(exc))

    def _apply(self, item: _Event) -> bool:
        """Claims the event id and runs the handler in one transaction; False if it was processed before."""
        with self.uow.transaction(tenant=item.tenant, actor=self.actor) as tx:
            claimed = tx.session.execute(_CLAIM, {"consumer": self.name, "event_id": item.event_id}).first()
            if claimed is None:
                return False
            item.handler(tx, item.envelope, item.payload)
            tx.commit()
            return True

    def _dead_letter(self, record: ConsumerRecord, error: str) -> None:
        """Publishes the record to its topic's DLQ (waiting for the ack); raises a broker error if it can't."""
        failed_at = timestamp_pb2.Timestamp()
        failed_at.FromDatetime(datetime.now(UTC))
        letter = envelope_pb2.DeadLetter(
            source_topic=record.topic,
            source_partition=record.partition,
            source_offset=record.offset,
            key=record.key or b"",
            value=record.value or b"",
            error=error[-MAX_ERROR_TEXT:],
            consumer_group=self.name,
            failed_at=failed_at,
        )
        headers = [(k, v) for k, v in (record.headers or []) if k != "dlq-error"]
        headers.append(
            ("dlq-error", error.strip().splitlines()[-1].encode("utf-8") if error.strip() else b"")
        )
        producer = self._get_producer()
        producer.send(
            dlq_topic(record.topic), value=letter.SerializeToString(), key=record.key, headers=headers
        ).get(timeout=30)
        self.dead_letter_count += 1
        self.last_error = error
        log.error("%s: dead-lettered %s: %s", self.name, _where(record), error.strip().splitlines()[-1:])
        self._notify()

    # -- loop ---------------------------------------------------------------------------------------

    def run_forever(self, stop_event: threading.Event) -> None:
        """Consumes until `stop_event` is set, then commits what it handled and closes; never raises."""
        log.info("%s: started", self.name)
        try:
            while not stop_event.is_set():
                try:
                    self.poll_once(stop_event)
                except _RetryLater as exc:
                    self._back_off(stop_event, exc, recreate=False)
                    continue
                except BROKER_ERRORS as exc:
                    self._back_off(stop_event, exc, recreate=True)
                    continue
                except Exception as exc:  # never let the thread die
                    log.exception("%s: unexpected error", self.name)
                    self._back_off(stop_event, exc, recreate=True)
                    continue
                self._failures = 0
                self._watch_rebalance()
        finally:
            self._drop_clients()
            log.info("%s: stopped", self.name)
            self._notify()

    def _watch_rebalance(self) -> None:
        """Recreates the client when a rebalance has been going on for longer than `stall_seconds`.

        A group rebalance can stall for good (seen with tansu after a broker restart: the SyncGroup
        of the elected leader is never answered), and kafka-python waits on it forever. A fresh
        member id joins a fresh rebalance; records read again are absorbed by the dedupe.
        """
        coordinator = getattr(self._consumer, "_coordinator", None)  # kafka-python 3.0.x internals, pinned
        if coordinator is None or not coordinator.rebalance_in_progress():
            self._rebalancing_since = None
            return
        now = time.monotonic()
        if self._rebalancing_since is None:
            self._rebalancing_since = now
        elif now - self._rebalancing_since > self.stall_seconds:
            log.warning(
                "%s: rebalance stalled for %.0fs; recreating the consumer", self.name, self.stall_seconds
            )
            self._rebalancing_since = None
            self._drop_clients()

    def _back_off(self, stop_event: threading.Event, exc: BaseException, *, recreate: bool) -> None:
        self._failures += 1
        self.last_error = repr(exc)
        delay = backoff_delay(self._failures)
        if recreate:
            log.warning("%s: broker error (%r); reconnecting in %.1fs", self.name, exc, delay)
            self._drop_clients()
        stop_event.wait(delay)

    # -- waiting (tests, health checks) -------------------------------------------------------------

    def _notify(self) -> None:
        with self._changed:
            self._changed.notify_all()

    def wait_until(self, predicate: Callable[[EventConsumer], bool], timeout: float = 30.0) -> bool:
        """Blocks until `predicate(self)` holds (re-checked on every change and every 0.1 s) or `timeout`."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while not predicate(self):
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self._changed.wait(min(remaining, 0.1))
        return True


def _where(record: ConsumerRecord) -> str:
    return f"{record.topic}[{record.partition}]@{record.offset}"
