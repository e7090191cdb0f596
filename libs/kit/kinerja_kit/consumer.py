"""Idempotent event consumers: dedupe on event id in the handler's transaction, dead-letter poison messages."""

from __future__ import annotations

import logging
import threading
import time
import traceback
import uuid
from collections.abc import Callable, Iterable, Mapping
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

__all__ = ["EventConsumer", "EventHandler", "PoisonMessage"]

log = logging.getLogger(__name__)

# handler(tx, envelope, payload): payload is the decoded message of the class the handler is registered for.
EventHandler = Callable[[Transaction, envelope_pb2.EventEnvelope, Any], None]

MAX_ERROR_TEXT = 8000

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


class PoisonMessage(Exception):
    """A record that can never be handled (undecodable, or a bad envelope): dead-lettered at once."""


class _RetryLater(Exception):
    """The record could not be handled for a reason outside it (database down): handle it again later."""


class EventConsumer(ThreadedWorker):
    """Consumes topics in a consumer group and applies each event exactly once per consumer.

    For each record: the EventEnvelope is decoded (undecodable → dead letter); event types without a
    handler are skipped. Otherwise, in one transaction confined to the event's instansi, the event id is
    claimed in processed_events and the handler runs; both commit together, so a redelivered event does
    nothing. A handler that keeps raising (max_attempts, a fresh transaction each time) dead-letters the
    record to `<topic>.dlq` as a DeadLetter and consumption goes on. Offsets are committed after each poll
    batch. Broker errors close and recreate the clients with backoff; the thread never dies of them.
    """

    def __init__(
        self,
        *,
        name: str,
        topics: Iterable[str],
        uow: UnitOfWork,
        handlers: Mapping[type[Message], EventHandler],
        bootstrap_servers: str,
        session_timeout_ms: int = 10_000,
        heartbeat_interval_ms: int = 3_000,
        max_attempts: int = 3,
        max_poll_records: int = 100,
        poll_timeout_ms: int = 200,
        actor: Principal = SYSTEM,
        consumer_factory: Callable[[], KafkaConsumer] | None = None,
        producer_factory: Callable[[], KafkaProducer] | None = None,
        stall_seconds: float | None = None,
    ) -> None:
        if max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        self.name = name
        self.topics = list(topics)
        self.uow = uow
        self.bootstrap_servers = bootstrap_servers
        self.max_attempts = max_attempts
        self.poll_timeout_ms = poll_timeout_ms
        self.actor = actor
        # A rebalance this much longer than a join normally takes (tansu: about half the session
        # timeout) counts as stalled.
        self.stall_seconds = stall_seconds if stall_seconds is not None else 4 * session_timeout_ms / 1000
        self._rebalancing_since: float | None = None
        self._handlers: dict[str, tuple[type[Message], EventHandler]] = {
            cls.DESCRIPTOR.full_name: (cls, fn) for cls, fn in handlers.items()
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
        """Polls one batch, handles it and commits the offsets handled; returns the records handled.

        Raises broker errors (the caller recreates the clients).
        """
        consumer = self._get_consumer()
        batch: dict[TopicPartition, list[ConsumerRecord]] = consumer.poll(timeout_ms=self.poll_timeout_ms)
        offsets: dict[TopicPartition, OffsetAndMetadata] = {}
        handled = 0
        try:
            for tp, records in batch.items():
                for record in records:
                    if stop_event is not None and stop_event.is_set():
                        return handled
                    # _RetryLater (database down) leaves this record and the rest to be read again later.
                    self._handle(record)
                    offsets[tp] = OffsetAndMetadata(record.offset + 1, "", -1)
                    handled += 1
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

    def _handle(self, record: ConsumerRecord) -> None:
        """Handles one record: applied once, skipped, or dead-lettered. Raises _RetryLater or broker errors."""
        try:
            envelope = self._decode(record)
        except PoisonMessage as exc:
            self._dead_letter(record, f"PoisonMessage: {exc}")
            return
        entry = self._handlers.get(envelope.event_type)
        if entry is None:
            self.skipped_count += 1
            log.debug("%s: no handler for %s; skipped", self.name, envelope.event_type)
            self._notify()
            return
        payload_class, handler = entry
        try:
            payload = unpack_payload(envelope, payload_class)
            tenant = uuid.UUID(envelope.instansi_id)
            event_id = uuid.UUID(envelope.event_id)
        except (ValueError, DecodeError) as exc:
            self._dead_letter(record, f"PoisonMessage: bad envelope: {exc!r}")
            return
        error = ""
        for attempt in range(1, self.max_attempts + 1):
            try:
                applied = self._apply(tenant, event_id, envelope, payload, handler)
            except DATABASE_UNAVAILABLE as exc:
                if attempt < self.max_attempts:
                    error = repr(exc)
                    continue
                log.warning("%s: database unavailable (%r); will retry %s", self.name, exc, _where(record))
                raise _RetryLater(repr(exc)) from exc
            except Exception as exc:
                error = "".join(traceback.format_exception(exc))
                log.warning(
                    "%s: handler for %s failed (attempt %d of %d): %r",
                    self.name,
                    envelope.event_type,
                    attempt,
                    self.max_attempts,
                    exc,
                )
                continue
            if applied:
                self.processed_count += 1
            else:
                self.duplicate_count += 1
            self._notify()
            return
        self._dead_letter(record, error)

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

    def _apply(
        self,
        tenant: uuid.UUID,
        event_id: uuid.UUID,
        envelope: envelope_pb2.EventEnvelope,
        payload: Message,
        handler: EventHandler,
    ) -> bool:
        """Claims the event id and runs the handler in one transaction; False if it was processed before."""
        with self.uow.transaction(tenant=tenant, actor=self.actor) as tx:
            claimed = tx.session.execute(_CLAIM, {"consumer": self.name, "event_id": event_id}).first()
            if claimed is None:
                return False
            handler(tx, envelope, payload)
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
