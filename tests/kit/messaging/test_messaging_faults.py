"""Fault tests of the event pipeline against a real PostgreSQL and a real tansu broker: a consumer killed
mid-stream, and PostgreSQL restarted under a stream of writes, lose nothing and apply nothing twice."""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from alembic.migration import MigrationContext
from alembic.operations import Operations
from google.protobuf import wrappers_pb2
from kafka.structs import TopicPartition
from sqlalchemy import Connection, Engine, text

from kinerja.common.v1 import envelope_pb2
from kinerja_kit.consumer import DATABASE_UNAVAILABLE, EventConsumer
from kinerja_kit.context import SYSTEM
from kinerja_kit.db import Transaction, UnitOfWork, make_engine, provision_service_database
from kinerja_kit.kafka import ensure_topics, make_admin
from kinerja_kit.migrations import create_outbox_tables, create_tenant_function, enable_tenant_rls
from kinerja_kit.outbox import OutboxEvent
from kinerja_kit.relay import OutboxRelay
from kinerja_testing.infra import EmbeddedPostgres, free_port
from kinerja_testing.platform import CONSUMER_HEARTBEAT_MS, CONSUMER_SESSION_TIMEOUT_MS, wait_for

pytestmark = pytest.mark.integration

TENANT = uuid.UUID("0190a000-0000-7000-8000-00000000000a")
CONSUMER_SCRIPT = Path(__file__).with_name("consumer_process.py")

log = logging.getLogger(__name__)


# -- shared helpers ---------------------------------------------------------------------------------------


def create_fault_tables(conn: Connection) -> None:
    """`fault_applied`: one row per handler application (no unique key, so a second application shows)."""
    exists = conn.execute(text("select to_regclass('public.fault_applied') is not null")).scalar()
    if exists:
        return
    conn.execute(
        text(
            "create table fault_applied ("
            " id bigserial primary key,"
            " instansi_id uuid not null,"
            " event_id uuid not null,"
            " aggregate_id text not null,"
            " aggregate_version bigint not null,"
            " pid integer not null)"
        )
    )
    enable_tenant_rls(Operations(MigrationContext.configure(conn)), "fault_applied")


def tenant_rows(engine: Engine, sql: str, **params: Any) -> list[Any]:
    """Rows of a tenant table read as its owner (FORCE row-level security applies to the owner too)."""
    with engine.begin() as conn:
        conn.execute(text("select set_config('app.instansi_id', :t, true)"), {"t": str(TENANT)})
        return list(conn.execute(text(sql), params).all())


def scalar(engine: Engine, sql: str, **params: Any) -> Any:
    with engine.connect() as conn:
        return conn.execute(text(sql), params).scalar()


def processed_event_ids(engine: Engine, consumer: str) -> set[str]:
    with engine.connect() as conn:
        return set(
            conn.execute(
                text("select event_id::text from processed_events where consumer = :c"), {"c": consumer}
            ).scalars()
        )


def assert_applied_in_order(engine: Engine, event_ids: set[str], per_aggregate: dict[str, int]) -> None:
    """One application per event and nothing else; each aggregate's versions applied as 1..n, in order,
    overall and within every process that applied them."""
    rows = tenant_rows(
        engine, "select event_id::text, aggregate_id, aggregate_version, pid from fault_applied order by id"
    )
    applied = [r[0] for r in rows]
    assert len(applied) == len(set(applied)), "an event was applied twice"
    assert set(applied) == event_ids
    for aggregate, count in per_aggregate.items():
        versions = [r[2] for r in rows if r[1] == aggregate]
        assert versions == list(range(1, count + 1)), aggregate
        for pid in {r[3] for r in rows}:
            seen = [r[2] for r in rows if r[1] == aggregate and r[3] == pid]
            assert seen == sorted(seen), (aggregate, pid)


# -- 1. a consumer killed mid-stream ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def fault_table(messaging: Any) -> None:
    with messaging.owner_engine.begin() as conn:
        create_fault_tables(conn)


@pytest.fixture
def clean_fault_table(messaging: Any, fault_table: None) -> None:
    with messaging.owner_engine.begin() as conn:
        conn.execute(text("truncate fault_applied"))


@dataclass
class ConsumerProcess:
    """A consumer_process.py child: its process, where it reports, and its log."""

    proc: subprocess.Popen[bytes]
    result_file: Path
    hang_file: Path
    log_path: Path

    def log_tail(self) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-20:])
        except OSError:
            return "(no log)"

    def alive(self) -> bool:
        return self.proc.poll() is None


@pytest.fixture
def consumer_processes(tmp_path: Path) -> Iterator[Callable[..., ConsumerProcess]]:
    """start(name, db_url, bootstrap, group, topic, **options): a consumer process; whichever is still
    running at the end is killed."""
    started: list[ConsumerProcess] = []

    def start(
        name: str, db_url: str, bootstrap: str, group: str, topic: str, **options: int
    ) -> ConsumerProcess:
        result_file, hang_file = tmp_path / f"{name}.result.json", tmp_path / f"{name}.hang.json"
        log_path = tmp_path / f"{name}.log"
        arguments = {
            "db-url": db_url,
            "bootstrap": bootstrap,
            "group": group,
            "topic": topic,
            "result-file": str(result_file),
            "hang-file": str(hang_file),
        }
        arguments.update({option.replace("_", "-"): str(value) for option, value in options.items()})
        command = [sys.executable, str(CONSUMER_SCRIPT)]
        for option, value in arguments.items():
            command += [f"--{option}", value]
        with log_path.open("wb") as output:  # the child keeps its own descriptor
            proc = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=output, stderr=output)
        started.append(ConsumerProcess(proc, result_file, hang_file, log_path))
        return started[-1]

    yield start
    for child in started:
        if child.alive():
            child.proc.kill()
            child.proc.wait(10)


def emit_stream(
    uow: UnitOfWork, topic: str, aggregates: int, per_aggregate: int, chunk: int
) -> list[OutboxEvent]:
    """aggregates x per_aggregate events into the outbox, interleaved, in transactions of `chunk` events."""
    plan = [(f"agg-{n % aggregates}", n // aggregates + 1) for n in range(aggregates * per_aggregate)]
    events: list[OutboxEvent] = []
    for start in range(0, len(plan), chunk):
        with uow.transaction(tenant=TENANT, actor=SYSTEM) as tx:
            for aggregate, version in plan[start : start + chunk]:
                tx.emit(
                    topic,
                    wrappers_pb2.StringValue(value=f"{aggregate}/{version}"),
                    aggregate_type="note",
                    aggregate_id=aggregate,
                    aggregate_version=version,
                )
            events += tx.events
            tx.commit()
    return events


def committed_offsets(bootstrap: str, group: str, topic: str, partitions: int) -> int:
    """The sum of the group's committed offsets on the topic (a partition without a commit counts 0)."""
    admin = make_admin(bootstrap)
    try:
        wanted = [TopicPartition(topic, p) for p in range(partitions)]
        offsets = admin.list_group_offsets({group: wanted})[group]
    finally:
        admin.close()
    return sum(max(meta.offset, 0) for meta in offsets.values())


def test_a_consumer_killed_mid_stream_loses_nothing_and_applies_nothing_twice(
    messaging: Any,
    uow: UnitOfWork,
    clean_fault_table: None,
    consumer_processes: Callable[..., ConsumerProcess],
    unique: Callable[[str], str],
) -> None:
    topic, group = unique("killed"), unique("group")
    ensure_topics(messaging.bootstrap, [topic], partitions=3)
    aggregates, per_aggregate = 12, 25
    events = emit_stream(uow, topic, aggregates, per_aggregate, chunk=50)
    total = len(events)
    relay = OutboxRelay(messaging.app_engine, messaging.bootstrap, broker_check_seconds=0)
    try:
        assert relay.drain() == total
    finally:
        relay.close()

    def applied_by_group() -> int:
        return int(
            scalar(
                messaging.owner_engine, "select count(*) from processed_events where consumer = :c", c=group
            )
        )

    # The first consumer applies a third of the stream, committing offsets every 30 records (polls of
    # 30, applied in transactions of 10), and is killed inside a handler's transaction while the
    # offsets of its poll's applied records are not committed yet.
    first = consumer_processes(
        "first",
        messaging.db.app_url,
        messaging.bootstrap,
        group,
        topic,
        hang_after=total // 3,
        max_poll_records=30,
        max_batch_records=10,
    )
    wait_for(
        lambda: first.hang_file.exists() or not first.alive(), 40, "the first consumer to reach its hang"
    )
    assert first.alive(), first.log_tail()
    os.kill(first.proc.pid, signal.SIGKILL)
    first.proc.wait(10)
    applied_first = json.loads(first.hang_file.read_text())["applied"]
    assert applied_by_group() == applied_first
    assert total // 3 <= applied_first < total
    committed = committed_offsets(messaging.bootstrap, group, topic, partitions=3)
    assert committed < applied_first, "the kill was meant to leave applied events with uncommitted offsets"

    # A new member of the group gets the partitions once the killed member's session has timed out, reads
    # from the committed offsets (records applied but not committed come again), and finishes the stream.
    second = consumer_processes("second", messaging.db.app_url, messaging.bootstrap, group, topic)
    wait_for(lambda: applied_by_group() == total or not second.alive(), 40, "the second consumer to finish")
    assert second.alive(), second.log_tail()
    second.proc.send_signal(signal.SIGTERM)
    assert second.proc.wait(20) == 0, second.log_tail()
    result = json.loads(second.result_file.read_text())

    assert applied_first + result["processed"] == total, result
    assert result["duplicates"] >= applied_first - committed, result  # redelivered, absorbed by the dedupe
    assert result["dead_letters"] == 0, second.log_tail()
    assert applied_by_group() == total
    event_ids = {str(e.id) for e in events}
    assert processed_event_ids(messaging.owner_engine, group) == event_ids
    pids = {r[0] for r in tenant_rows(messaging.owner_engine, "select distinct pid from fault_applied")}
    assert pids == {first.proc.pid, result["pid"]}
    assert_applied_in_order(
        messaging.owner_engine, event_ids, {f"agg-{n}": per_aggregate for n in range(aggregates)}
    )
    log.info(
        "killed after %d applied (%d offsets committed); the next member applied %d, %d redelivered",
        applied_first,
        committed,
        result["processed"],
        result["duplicates"],
    )


# -- 2. PostgreSQL restarted under a stream of writes ----------------------------------------------------


@dataclass
class OwnDatabase:
    """A PostgreSQL server of this module's own (restarted by the tests) and its test service database."""

    server: EmbeddedPostgres
    app_url: str
    owner_engine: Engine


@pytest.fixture(scope="module")
def own_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OwnDatabase]:
    # Durable: with synchronous_commit off (the session's throwaway setting) an immediate stop may lose
    # commits that were already acknowledged, which is the server's setting at fault, not the code's.
    server = EmbeddedPostgres(tmp_path_factory.mktemp("pg-restart") / "data", port=free_port(), durable=True)
    server.start()
    try:
        db = provision_service_database(server.url, "pgfault")
        owner_engine = make_engine(db.owner_url, pool_size=2, application_name="pgfault-owner")
        with owner_engine.begin() as conn:
            op = Operations(MigrationContext.configure(conn))
            create_tenant_function(op)
            create_outbox_tables(op)
            conn.execute(
                text(
                    "create table fault_counters ("
                    " aggregate_id text primary key,"
                    " instansi_id uuid not null,"
                    " version bigint not null)"
                )
            )
            enable_tenant_rls(op, "fault_counters")
            create_fault_tables(conn)
        try:
            yield OwnDatabase(server, db.app_url, owner_engine)
        finally:
            owner_engine.dispose()
    finally:
        server.stop()


def restart_postgres(server: EmbeddedPostgres, mode: str) -> None:
    """Stops the server (fast: sessions terminated, clean shutdown; immediate: SIGQUIT, crash recovery on
    start) and starts it again on the same data dir and port."""
    port = server.port
    if mode == "fast":
        server.stop()
    else:
        pid = int((server.data_dir / "postmaster.pid").read_text().splitlines()[0])
        os.kill(pid, signal.SIGQUIT)
        wait_for(lambda: not server.is_running(), 20, "PostgreSQL to quit")
        server.stop()  # the server is gone: this only removes its socket dir
    server.start()
    assert server.port == port


class Writer:
    """A client committing one state change with its event per write, one after another, like a service's
    command handler would. A write that fails with the database away is retried until it commits; it counts
    as done only once a commit returned (or, when a commit's reply was lost, once a retry finds it done)."""

    def __init__(self, uow: UnitOfWork, topic: str, aggregates: int) -> None:
        self.uow = uow
        self.topic = topic
        self.aggregates = aggregates
        self.done: list[tuple[str, int]] = []
        self.failures = 0  # attempts that failed with the database away
        self.found_done = 0  # retries that found their write committed by an attempt whose reply was lost
        self.error: BaseException | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="writer", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        """Finishes the write under way and stops (idempotent)."""
        self._stop.set()
        if self._thread.ident is not None:
            self._thread.join(30)
            assert not self._thread.is_alive(), "the writer did not stop"

    def _run(self) -> None:
        try:
            n = 0
            # Stops only between writes: every write it began is done when it stops.
            while not self._stop.is_set():
                aggregate, version = f"agg-{n % self.aggregates}", n // self.aggregates + 1
                self._write_until_done(aggregate, version)
                self.done.append((aggregate, version))
                n += 1
        except BaseException as exc:  # shown by the test
            self.error = exc

    def _write_until_done(self, aggregate: str, version: int) -> None:
        deadline = time.monotonic() + 30
        while True:
            try:
                if not self._write(aggregate, version):
                    self.found_done += 1
                return
            except DATABASE_UNAVAILABLE:
                self.failures += 1
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)  # a client's retry delay, not synchronisation

    def _write(self, aggregate: str, version: int) -> bool:
        """Moves the aggregate to `version` and emits its event; False if an earlier attempt already did."""
        with self.uow.transaction(tenant=TENANT, actor=SYSTEM) as tx:
            current = tx.session.execute(
                text("select version from fault_counters where aggregate_id = :a for update"),
                {"a": aggregate},
            ).scalar()
            if current is not None and current >= version:
                return False
            assert (current or 0) == version - 1, (aggregate, current, version)
            tx.session.execute(
                text(
                    "insert into fault_counters (aggregate_id, instansi_id, version) values (:a, :t, :v) "
                    "on conflict (aggregate_id) do update set version = excluded.version"
                ),
                {"a": aggregate, "t": TENANT, "v": version},
            )
            tx.emit(
                self.topic,
                wrappers_pb2.StringValue(value=f"{aggregate}/{version}"),
                aggregate_type="counter",
                aggregate_id=aggregate,
                aggregate_version=version,
            )
            tx.commit()
        return True


def record_application(tx: Transaction, envelope: envelope_pb2.EventEnvelope, payload: Any) -> None:
    tx.session.execute(
        text(
            "insert into fault_applied (instansi_id, event_id, aggregate_id, aggregate_version, pid) "
            "values (:t, :e, :a, :v, :p)"
        ),
        {
            "t": tx.tenant,
            "e": uuid.UUID(envelope.event_id),
            "a": envelope.aggregate_id,
            "v": envelope.aggregate_version,
            "p": os.getpid(),
        },
    )


@pytest.mark.parametrize("mode", ["fast", "immediate"])
def test_postgres_restarted_under_a_stream_of_writes_loses_nothing_and_applies_nothing_twice(
    own_database: OwnDatabase, kafka_bootstrap: str, unique: Callable[[str], str], mode: str
) -> None:
    owner = own_database.owner_engine
    with owner.begin() as conn:
        conn.execute(text("truncate outbox, processed_events, fault_counters, fault_applied"))
    topic, group = unique("pgrestart"), unique("group")
    ensure_topics(kafka_bootstrap, [topic], partitions=3)
    # One engine for the writer, the relay and the consumer, as in a service.
    engine = make_engine(own_database.app_url, pool_size=5, application_name="pgfault-app")
    uow = UnitOfWork.from_engine(engine)
    relay = OutboxRelay(engine, kafka_bootstrap, poll_interval=0.05, broker_check_seconds=1, topics=[topic])
    consumer = EventConsumer(
        name=group,
        topics=[topic],
        uow=uow,
        handlers={wrappers_pb2.StringValue: record_application},
        bootstrap_servers=kafka_bootstrap,
        session_timeout_ms=CONSUMER_SESSION_TIMEOUT_MS,
        heartbeat_interval_ms=CONSUMER_HEARTBEAT_MS,
    )
    writer = Writer(uow, topic, aggregates=6)

    def unsent() -> int:
        return int(scalar(owner, "select count(*) from outbox where sent_at is null"))

    def applied() -> int:
        return int(scalar(owner, "select count(*) from processed_events where consumer = :c", c=group))

    try:
        relay.start()
        consumer.start()
        writer.start()
        # Everything is flowing: the consumer applies events the relay published from the writer's commits.
        wait_for(
            lambda: (len(writer.done) >= 100 and applied() >= 20) or writer.error is not None, 30, "a flow"
        )
        assert writer.error is None, writer.error
        restart_postgres(own_database.server, mode)
        at_restart = len(writer.done)
        wait_for(
            lambda: len(writer.done) >= at_restart + 100 or writer.error is not None,
            30,
            "writes after the restart",
        )
        writer.stop()
        assert writer.error is None, repr(writer.error)
        assert writer.failures > 0, "the writer never saw the restart"
        total = len(writer.done)
        wait_for(lambda: unsent() == 0 and applied() == total, 30, "every event published and applied")
        assert relay.running and consumer.running
    finally:
        writer.stop()
        relay.stop()
        consumer.stop()
        engine.dispose()

    # Every committed write, once: the state, one outbox row each, all published.
    counters = dict(tenant_rows(owner, "select aggregate_id, version from fault_counters"))
    per_aggregate = {aggregate: 0 for aggregate, _ in writer.done}
    for aggregate, version in writer.done:
        per_aggregate[aggregate] = max(per_aggregate[aggregate], version)
    assert counters == per_aggregate
    with owner.connect() as conn:
        outbox = conn.execute(
            text("select id::text, aggregate_id, aggregate_version, sent_at is not null from outbox")
        ).all()
    assert sorted((r[1], r[2]) for r in outbox) == sorted(writer.done)
    assert all(r[3] for r in outbox)
    # Applied once each, in each aggregate's order; nothing dead-lettered.
    event_ids = {r[0] for r in outbox}
    assert processed_event_ids(owner, group) == event_ids
    assert_applied_in_order(owner, event_ids, per_aggregate)
    # The tables are the truth: a handler's commit whose reply the restart cut off was applied, and its
    # retry counts as a duplicate, so processed_count may fall short of the events applied.
    assert consumer.processed_count <= total <= consumer.processed_count + consumer.duplicate_count
    assert consumer.dead_letter_count == 0, vars(consumer)
    assert relay.last_error is not None  # the relay went through the outage and came back by itself
    log.info(
        "%s restart: %d writes, %d attempts failed, %d found done on retry; consumer applied %d, "
        "duplicates %d; relay's last error %s; consumer's last error %s",
        mode,
        total,
        writer.failures,
        writer.found_done,
        consumer.processed_count,
        consumer.duplicate_count,
        relay.last_error,
        consumer.last_error,
    )
