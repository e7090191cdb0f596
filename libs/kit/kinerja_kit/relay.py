"""The outbox relay: claims unsent outbox rows, produces them to Kafka with acks=all and marks them sent."""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from kafka import KafkaAdminClient, KafkaProducer
from kafka.errors import (
    ClusterAuthorizationFailedError,
    InvalidTopicError,
    PolicyViolationError,
    TopicAuthorizationFailedError,
)
from kafka.producer.future import FutureRecordMetadata
from sqlalchemy import Connection, Engine, bindparam, func, select, text, update
from sqlalchemy.dialects.postgresql import UUID

from kinerja_kit.kafka import BROKER_ERRORS, ensure_topics, make_admin, make_producer, topic_exists
from kinerja_kit.outbox import outbox_table
from kinerja_kit.settings import ServiceSettings
from kinerja_kit.worker import ThreadedWorker, backoff_delay

__all__ = ["OutboxRelay", "kafka_headers", "marker_topic_for"]

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

DEFAULT_RETENTION_SECONDS = 3600.0
DEFAULT_BROKER_CHECK_SECONDS = 5.0
PRUNE_INTERVAL_SECONDS = 5.0
MARKER_PREFIX = "kinerja.outbox.marker."

# Errors creating the marker topic that retrying cannot fix (the broker forbids it): detection is turned off.
_MARKER_FORBIDDEN: tuple[type[BaseException], ...] = (
    TopicAuthorizationFailedError,
    ClusterAuthorizationFailedError,
    PolicyViolationError,
    InvalidTopicError,
)

# Sent rows older than the retention window, oldest first, one bounded batch; rows another transaction
# holds are left for a later round.
_PRUNE = text(
    "delete from outbox where id in ("
    " select id from outbox where sent_at < now() - make_interval(secs => :seconds)"
    " order by sent_at limit :limit for update skip locked)"
)

# The rows sent within the retention window become unsent again: the next rounds publish them in id order.
_UNSEND_WINDOW = text(
    "update outbox set sent_at = null where sent_at >= now() - make_interval(secs => :seconds)"
)


def marker_topic_for(engine: Engine) -> str:
    """The marker topic of the relays of one database (one per outbox, shared by its replicas)."""
    database = engine.url.database or "default"
    return MARKER_PREFIX + re.sub(r"[^A-Za-z0-9._-]", "_", database)


class OutboxRelay(ThreadedWorker):
    """Publishes a service's outbox to Kafka; run one per service (more are safe: rows are claimed with
    FOR UPDATE SKIP LOCKED, though two relays can then reorder one aggregate's events across batches).

    A round claims up to `batch_size` unsent rows in id order, produces them, waits for the acks and marks
    the acknowledged rows sent, all in one transaction. An aggregate's rows after its first failure stay
    unsent, so they are never marked sent ahead of an earlier event. After a broker error the producer is
    closed and recreated in the next round (a tansu restart breaks clients that lived across it), with
    exponential backoff capped at two seconds.

    Sent rows are kept for `retention_seconds`, then pruned (`prune_batch_size` rows per round at most).
    They are kept because a broker can lose what it was sent: tansu with memory storage loses every topic
    when it restarts. To notice, the relay keeps a marker topic on the broker, one per database. Before
    every round that publishes, and every `broker_check_seconds` when idle, it asks whether the marker
    exists, with a metadata request that cannot auto-create it (a data topic cannot tell: tansu re-creates
    it, empty, the moment a consumer asks about it). When it is gone the rows sent within the retention window are
    made unsent again (in the same locked transaction), the producer is recreated, `topics` are created,
    then the marker; the next rounds publish those rows again, in id order and with their event ids, so
    consumers that had applied them do nothing. A real Kafka cluster keeps its topics: there the marker is
    created once and nothing is published again. `broker_check_seconds=0` turns detection off.
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
        retention_seconds: float = DEFAULT_RETENTION_SECONDS,
        prune_batch_size: int = 500,
        broker_check_seconds: float = DEFAULT_BROKER_CHECK_SECONDS,
        topics: Sequence[str] = (),
        marker_topic: str | None = None,
        admin_factory: Callable[[], KafkaAdminClient] | None = None,
    ) -> None:
        if retention_seconds < 0 or prune_batch_size < 1 or broker_check_seconds < 0:
            raise ValueError("retention_seconds and broker_check_seconds must be >= 0, prune_batch_size >= 1")
        self.engine = engine
        self.bootstrap_servers = bootstrap_servers
        self.batch_size = batch_size
        self.poll_interval = poll_interval
        self.name = name
        self.flush_timeout = flush_timeout
        self.retention_seconds = retention_seconds
        self.prune_batch_size = prune_batch_size
        self.broker_check_seconds = broker_check_seconds
        self.topics = list(topics)
        self.marker_topic = marker_topic or marker_topic_for(engine)
        self._producer_factory = producer_factory or (lambda: make_producer(bootstrap_servers))
        # The check runs inside the publishing transaction: it must fail fast when the broker is away.
        self._admin_factory = admin_factory or (
            lambda: make_admin(bootstrap_servers, request_timeout_ms=3000, bootstrap_timeout_ms=3000)
        )
        self._producer: KafkaProducer | None = None
        self._admin: KafkaAdminClient | None = None
        super().__init__()
        self._failures = 0
        self._next_check = 0.0  # monotonic time of the next idle check; 0: check in the first round
        self._next_prune = 0.0
        self.sent_count = 0
        self.error_count = 0
        self.pruned_count = 0  # sent rows deleted after the retention window
        self.republished_count = 0  # sent rows made unsent again because the broker lost its topics
        self.broker_losses = 0  # times the marker was found missing
        self.last_error: str | None = None

    # -- producer lifecycle -------------------------------------------------------------------------

    def _get_producer(self) -> KafkaProducer:
        if self._producer is None:
            self._producer = self._producer_factory()
            log.info("%s: producer connected to %s", self.name, self.bootstrap_servers)
        return self._producer

    def _drop_producer(self) -> None:
        producer, self._producer = self._producer, None
        # The broker may have restarted under us: look before the next round publishes.
        self._next_check = 0.0
        if producer is not None:
            try:
                producer.close(timeout=1)
            except Exception:  # a broken producer may fail to close; it is discarded either way
                log.debug("%s: closing the producer failed", self.name, exc_info=True)

    def _get_admin(self) -> KafkaAdminClient:
        if self._admin is None:
            self._admin = self._admin_factory()
        return self._admin

    def _drop_admin(self) -> None:
        admin, self._admin = self._admin, None
        if admin is not None:
            try:
                admin.close()
            except Exception:
                log.debug("%s: closing the admin client failed", self.name, exc_info=True)

    def close(self) -> None:
        """Closes the Kafka clients (the engine belongs to the caller)."""
        self._drop_producer()
        self._drop_admin()

    # -- one round ----------------------------------------------------------------------------------

    def run_once(self) -> int:
        """Publishes up to `batch_size` unsent rows; returns how many were marked sent.

        Raises on a broker error (after recording it on the rows and dropping the producer). A round that
        finds the broker without its marker makes the retention window unsent, creates the marker, then
        publishes.
        """
        for _ in range(3):  # a broker that restarts again meanwhile is found again; give up after three
            count = self._round()
            if count is not None:
                return count
            self._create_marker()
        return 0

    def _round(self) -> int | None:
        """One locked round; None when it found the broker without its marker (and unsent the window)."""
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
            self._prune(conn)
            rows = conn.execute(claim).all()
            if self._check_due(bool(rows)) and self._marker_missing():
                self._unsend_window(conn)
                # The marker is created after this commits: a relay that stops in between finds it missing
                # again and repeats this, so a window is never left half published.
                return None
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

    # -- retention and broker loss ------------------------------------------------------------------

    def _prune(self, conn: Connection) -> None:
        """Deletes one batch of rows sent before the retention window, every few seconds (at once again
        while batches come back full)."""
        now = time.monotonic()
        if now < self._next_prune:
            return
        deleted = conn.execute(
            _PRUNE, {"seconds": self.retention_seconds, "limit": self.prune_batch_size}
        ).rowcount
        self.pruned_count += deleted
        self._next_prune = now if deleted >= self.prune_batch_size else now + PRUNE_INTERVAL_SECONDS
        if deleted:
            log.debug("%s: pruned %d sent outbox rows", self.name, deleted)

    def _check_due(self, publishing: bool) -> bool:
        # Every publishing round looks, so that no row is marked sent on a broker not known to hold the
        # marker; an idle relay looks now and then, as a restart may have lost rows sent before it.
        if self.broker_check_seconds <= 0:
            return False
        return publishing or time.monotonic() >= self._next_check

    def _marker_missing(self) -> bool:
        """Whether the broker lacks the marker. A broker that does not answer counts as not missing it: the
        round goes on, its sends fail and are recorded on the rows, and the next round looks again."""
        try:
            present = topic_exists(self._get_admin(), self.marker_topic)
        except BROKER_ERRORS as exc:
            log.debug("%s: broker check failed (%r)", self.name, exc)
            self._drop_admin()
            self._next_check = 0.0
            return False
        if present:
            self._next_check = time.monotonic() + self.broker_check_seconds
        return not present

    def _unsend_window(self, conn: Connection) -> None:
        """Makes the rows sent within the retention window unsent again, to be published anew."""
        count = conn.execute(_UNSEND_WINDOW, {"seconds": self.retention_seconds}).rowcount
        self.republished_count += count
        self.broker_losses += 1
        log.warning(
            "%s: the broker has no %s (it lost its topics, or is new): publishing the %d rows sent in the "
            "last %.0fs again",
            self.name,
            self.marker_topic,
            count,
            self.retention_seconds,
        )
        # A producer that lived across a broker restart fails (its producer id is unknown there).
        self._drop_producer()

    def _create_marker(self) -> None:
        """Creates the service's topics (with their partition count) and then the marker on the broker."""
        try:
            admin = self._get_admin()
            if self.topics:
                ensure_topics(self.bootstrap_servers, self.topics, admin=admin)
            ensure_topics(self.bootstrap_servers, [self.marker_topic], partitions=1, admin=admin)
        except _MARKER_FORBIDDEN as exc:
            log.error(
                "%s: cannot create the marker topic %s (%r); a broker that loses its topics will not be "
                "noticed",
                self.name,
                self.marker_topic,
                exc,
            )
            self.broker_check_seconds = 0
            return
        except BROKER_ERRORS:
            self._drop_admin()
            raise
        self._next_check = time.monotonic() + self.broker_check_seconds
        log.info("%s: marker topic %s created", self.name, self.marker_topic)

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
            self.close()
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
        retention_seconds=settings.outbox_retention_seconds,
        broker_check_seconds=settings.outbox_broker_check_seconds,
        topics=topics,
    )
