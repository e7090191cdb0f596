"""The outbox relay: claims unsent outbox rows, produces them to Kafka with acks=all and marks them sent."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from kafka import KafkaProducer
from kafka.producer.future import FutureRecordMetadata
from sqlalchemy import Engine, bindparam, func, select, update
from sqlalchemy.dialects.postgresql import UUID

from kinerja_kit.kafka import BROKER_ERRORS, ensure_topics, make_producer
from kinerja_kit.outbox import outbox_table
from kinerja_kit.settings import ServiceSettings
from kinerja_kit.worker import ThreadedWorker, backoff_delay

__all__ = ["OutboxRelay", "kafka_headers"]

log = logging.getLogger(__name__)

MAX_ERROR_TEXT = 2000


def kafka_headers(raw: Any) -> list[tuple[str, bytes]]:
    """The outbox `headers` jsonb (an object, or a list of [name, value] pairs) as Kafka record headers."""
    if not raw:
        return []
    items = raw.items() if isinstance(raw, Mapping) else raw
    headers: list[tuple[str, bytes]] = []
    for name, value in items:
        if value is None:
            continue
        data = value if isinstance(value, bytes) else str(value).encode("utf-8")
        headers.append((str(name), data))
    return headers


@dataclass
class _Sent:
    row: Any
    future: FutureRecordMetadata | None = None
    error: str | None = None


RELAY_LOCK_KEY = 0x6B696E65726A61  # "kinerja": advisory lock held while publishing


class OutboxRelay(ThreadedWorker):
    """Publishes a service's outbox to Kafka; run one per service (more are safe: rows are claimed with
    FOR UPDATE SKIP LOCKED, though two relays can then reorder one aggregate's events across batches).

    A round claims up to `batch_size` unsent rows in id order, produces them, waits for the acks and marks
    the acknowledged rows sent, all in one transaction. An aggregate's rows after its first failure stay
    unsent, so they are never marked sent ahead of an earlier event. After a broker error the producer is
    closed and recreated in the next round (a tansu restart breaks clients that lived across it), with
    exponential backoff capped at two seconds.
    """

    def __init__(
        self,
        engine: Engine,
        bootstrap_servers: str,
        *,
        batch_size: int = 200,
        poll_interval: float = 0.2,
        producer_factory: Callable[[], KafkaProducer] | None = None,
        name: str = "relay",
        flush_timeout: float = 30.0,
    ) -> None:
        self.engine = engine
        self.bootstrap_servers = bootstrap_servers
        self.batch_size = batch_size
        self.poll_interval = poll_interval
        self.name = name
        self.flush_timeout = flush_timeout
        self._producer_factory = producer_factory or (lambda: make_producer(bootstrap_servers))
        self._producer: KafkaProducer | None = None
        super().__init__()
        self._failures = 0
        self.sent_count = 0
        self.error_count = 0
        self.last_error: str | None = None

    # -- producer lifecycle -------------------------------------------------------------------------

    def _get_producer(self) -> KafkaProducer:
        if self._producer is None:
            self._producer = self._producer_factory()
            log.info("%s: producer connected to %s", self.name, self.bootstrap_servers)
        return self._producer

    def _drop_producer(self) -> None:
        producer, self._producer = self._producer, None
        if producer is not None:
            try:
                producer.close(timeout=1)
            except Exception:  # a broken producer may fail to close; it is discarded either way
                log.debug("%s: closing the producer failed", self.name, exc_info=True)

    def close(self) -> None:
        """Closes the producer (the engine belongs to the caller)."""
        self._drop_producer()

    # -- one round ----------------------------------------------------------------------------------

    def run_once(self) -> int:
        """Publishes up to `batch_size` unsent rows; returns how many were marked sent.

        Raises on a broker error (after recording it on the rows and dropping the producer).
        """
        t = outbox_table
        claim = (
            select(t.c.id, t.c.topic, t.c.aggregate_id, t.c.envelope, t.c.headers)
            .where(t.c.sent_at.is_(None))
            .order_by(t.c.id)
            .limit(self.batch_size)
            .with_for_update(skip_locked=True)
        )
        with self.engine.connect() as conn, conn.begin():
            # One publisher per service database at a time keeps each aggregate's events in order
            # across replicas; the others skip this round (SKIP LOCKED alone could reorder batches).
            if not conn.execute(select(func.pg_try_advisory_xact_lock(RELAY_LOCK_KEY))).scalar():
                return 0
            rows = conn.execute(claim).all()
            if not rows:
                return 0
            sent, broker_error = self._produce(rows)
            ok_ids, failed = self._settle(sent)
            if ok_ids:
                conn.execute(
                    update(t)
                    .where(t.c.id.in_(bindparam("ids", expanding=True, type_=UUID(as_uuid=True))))
                    .values(sent_at=func.now()),
                    {"ids": ok_ids},
                )
            if failed:
                conn.execute(
                    update(t)
                    .where(t.c.id == bindparam("row_id"))
                    .values(attempts=t.c.attempts + 1, last_error=bindparam("error")),
                    [{"row_id": row_id, "error": error[:MAX_ERROR_TEXT]} for row_id, error in failed],
                )
        self.sent_count += len(ok_ids)
        if failed:
            self.error_count += len(failed)
            self.last_error = failed[0][1]
            log.warning(
                "%s: %d of %d outbox rows not published (%s)", self.name, len(failed), len(rows), failed[0][1]
            )
        if broker_error is not None:
            self._drop_producer()
            raise broker_error
        return len(ok_ids)

    def _produce(self, rows: Sequence[Any]) -> tuple[list[_Sent], BaseException | None]:
        """Sends every row (stopping at the first send that raises) and waits for the acks."""
        sent = [_Sent(row) for row in rows]
        broker_error: BaseException | None = None
        try:
            producer = self._get_producer()
        except BROKER_ERRORS as exc:
            for item in sent:
                item.error = f"producer unavailable: {exc!r}"
            return sent, exc
        for item in sent:
            if broker_error is not None:
                item.error = f"not sent: {broker_error!r}"
                continue
            row = item.row
            try:
                item.future = producer.send(
                    row.topic,
                    value=bytes(row.envelope),
                    key=row.aggregate_id.encode("utf-8"),
                    headers=kafka_headers(row.headers),
                )
            except BROKER_ERRORS as exc:
                broker_error = exc
                item.error = repr(exc)
        try:
            producer.flush(timeout=self.flush_timeout)
        except BROKER_ERRORS as exc:
            broker_error = broker_error or exc
        for item in sent:
            if item.future is None:
                continue
            if not item.future.is_done:
                item.error = "no acknowledgement before the flush timeout"
                broker_error = broker_error or TimeoutError(item.error)
            elif item.future.failed():
                failure = item.future.exception
                item.error = repr(failure)
                if broker_error is None:
                    broker_error = failure if isinstance(failure, BaseException) else RuntimeError(failure)
        return sent, broker_error

    @staticmethod
    def _settle(sent: list[_Sent]) -> tuple[list[Any], list[tuple[Any, str]]]:
        """Splits rows into the ones to mark sent and the failed ones, keeping each aggregate's order."""
        blocked: dict[tuple[str, str], str] = {}
        ok_ids: list[Any] = []
        failed: list[tuple[Any, str]] = []
        for item in sent:
            aggregate = (item.row.topic, item.row.aggregate_id)
            if item.error is not None:
                blocked.setdefault(aggregate, item.error)
                failed.append((item.row.id, item.error))
            elif aggregate in blocked:
                # Acked, but an earlier event of this aggregate was not: publish it again after that one.
                failed.append(
                    (item.row.id, f"held back behind an earlier failed event: {blocked[aggregate]}")
                )
            else:
                ok_ids.append(item.row.id)
        return ok_ids, failed

    # -- loop ---------------------------------------------------------------------------------------

    def run_forever(self, stop_event: threading.Event) -> None:
        """Publishes until `stop_event` is set; never raises (errors are logged and backed off)."""
        log.info("%s: started", self.name)
        try:
            while not stop_event.is_set():
                try:
                    count = self.run_once()
                except Exception as exc:
                    self._failures += 1
                    delay = backoff_delay(self._failures)
                    self.last_error = repr(exc)
                    log.warning("%s: round failed (%r); retrying in %.1fs", self.name, exc, delay)
                    stop_event.wait(delay)
                    continue
                self._failures = 0
                if count < self.batch_size:
                    stop_event.wait(self.poll_interval)
        finally:
            self._drop_producer()
            log.info("%s: stopped", self.name)

    def drain(self, timeout: float = 30.0) -> int:
        """Publishes until no unsent row is left (for scripts and tests); returns how many were sent."""
        deadline = time.monotonic() + timeout
        total = 0
        while True:
            count = self.run_once()
            total += count
            if count == 0:
                return total
            if time.monotonic() > deadline:
                raise TimeoutError(f"outbox not drained within {timeout}s")


def service_relay(engine: Engine, settings: ServiceSettings, topics: Sequence[str], name: str) -> OutboxRelay:
    """A service's relay, once its topics exist (best effort: the relay retries on its own, so a broker
    that is not up yet does not block the service's start)."""
    try:
        ensure_topics(settings.kafka_bootstrap_servers, list(topics))
    except Exception as exc:
        log.warning("could not ensure topics (%r); continuing", exc)
    return OutboxRelay(
        engine,
        settings.kafka_bootstrap_servers,
        batch_size=settings.outbox_batch_size,
        poll_interval=settings.outbox_poll_seconds,
        name=name,
    )
