"""assessment's projection consumers scale as a group: two `python -m assessment.consumer` processes share the
SKP topic's partitions; one is killed (SIGKILL) mid-stream and every event is still applied exactly once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import uuid
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import IO

import pytest
from sqlalchemy import create_engine, text

from kinerja.skp.v1 import skp_pb2
from kinerja_kit.db import ServiceDatabase
from kinerja_kit.kafka import ensure_topics
from kinerja_kit.outbox import OutboxEvent
from kinerja_kit.relay import kafka_headers
from kinerja_testing.infra import committed_offsets, group_members
from kinerja_testing.platform import (
    CONSUMER_HEARTBEAT_MS,
    CONSUMER_SESSION_TIMEOUT_MS,
    fast_producer,
    random_nip,
    wait_for,
)

pytestmark = pytest.mark.integration

TOPIC = "kinerja.skp.skp.v1"
PARTITIONS = 4
SKPS = 40
VERSIONS = 10  # SkpCreated (version 1), then SkpUpdated up to this version: 400 events
PACE_SECONDS = 0.012  # the stream lasts about five seconds, so it is still flowing when a consumer dies
KILL_AFTER = 100  # events of the stream the group has committed when one consumer is killed


class ConsumerProcess:
    """One `python -m assessment.consumer`, its output in a file."""

    def __init__(self, name: str, env: dict[str, str], logs: Path) -> None:
        self.name = name
        self.log_path = logs / f"{name}.log"
        self._log: IO[bytes] = open(self.log_path, "wb")  # noqa: SIM115 - handed to the child process
        self.process = subprocess.Popen(
            [sys.executable, "-m", "assessment.consumer"],
            env={**os.environ, **env},
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def alive(self) -> bool:
        return self.process.poll() is None

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.alive():
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        self._log.close()

    def tail(self) -> str:
        return f"--- {self.name} ---\n" + self.log_path.read_text(errors="replace")[-4000:]


@pytest.fixture
def assessment_db(service_database: Callable[[str], ServiceDatabase]) -> ServiceDatabase:
    """A fresh assessment database (its own name per test), migrated."""
    import assessment.bootstrap

    db = service_database(f"assessment_group_{uuid.uuid4().hex[:8]}")
    assessment.bootstrap.migrate(db.owner_url)
    return db


@pytest.fixture
def consumers(
    assessment_db: ServiceDatabase, kafka_bootstrap: str, tmp_path: Path
) -> Iterator[tuple[str, list[ConsumerProcess]]]:
    """Two consumer processes in a fresh consumer group (tansu: fresh group ids, short session timeout)."""
    group = f"assessment.projection.test-{uuid.uuid4().hex[:8]}"
    env = {
        "DATABASE_URL": assessment_db.app_url,
        "KAFKA_BOOTSTRAP_SERVERS": kafka_bootstrap,
        "PROJECTION_CONSUMER_NAME": group,
        "CONSUMER_SESSION_TIMEOUT_MS": str(CONSUMER_SESSION_TIMEOUT_MS),
        "CONSUMER_HEARTBEAT_INTERVAL_MS": str(CONSUMER_HEARTBEAT_MS),
        "LOG_JSON": "false",
    }
    # Before the processes start: the first to ask for a topic would otherwise create it with its own count.
    ensure_topics(kafka_bootstrap, [TOPIC], partitions=PARTITIONS)  # a no-op where the topic exists
    processes = [ConsumerProcess(name, env, tmp_path) for name in ("consumer-a", "consumer-b")]
    try:
        yield group, processes
    finally:
        for process in processes:
            process.stop()


def _skp(
    skp_id: str, tenant: str, pegawai: skp_pb2.Pejabat, penilai: skp_pb2.Pejabat, version: int
) -> skp_pb2.Skp:
    """An SKP as skp's events carry it (the whole aggregate), approved, with one RHK and one indikator."""
    year = date.today().year
    rhk_id = str(uuid.uuid5(uuid.UUID(skp_id), "rhk"))
    return skp_pb2.Skp(
        id=skp_id,
        instansi_id=tenant,
        pegawai_id=pegawai.pegawai_id,
        unor_id=pegawai.unor_id,
        tahun=year,
        tanggal_mulai=f"{year}-01-01",
        tanggal_selesai=f"{year}-12-31",
        pendekatan=skp_pb2.PENDEKATAN_KUANTITATIF,
        model=skp_pb2.MODEL_SKP_JA_JF,
        status=skp_pb2.STATUS_SKP_DISETUJUI if version > 1 else skp_pb2.STATUS_SKP_DRAFT,
        pegawai=pegawai,
        penilai=penilai,
        rhk=[
            skp_pb2.Rhk(
                id=rhk_id,
                jenis=skp_pb2.JENIS_RHK_UTAMA,
                teks=f"Tersusunnya laporan versi {version}",
                indikator=[
                    skp_pb2.Indikator(
                        id=str(uuid.uuid5(uuid.UUID(skp_id), "indikator")),
                        rhk_id=rhk_id,
                        teks="Jumlah laporan yang tersusun",
                        aspek=skp_pb2.ASPEK_KUANTITAS,
                        target=skp_pb2.Target(min=str(version), max=str(version), satuan="Laporan"),
                    )
                ],
            )
        ],
        version=version,
        jumlah_rhk=1,
        jumlah_indikator=1,
    )


def _stream(tenant: str) -> list[OutboxEvent]:
    """SkpCreated then SkpUpdated events of SKPS SKPs, versions interleaved as skp's outbox would send them."""
    unor = str(uuid.uuid4())
    penilai = skp_pb2.Pejabat(
        pegawai_id=str(uuid.uuid4()), nip=random_nip(), nama="Kepala Bidang", unor_id=unor
    )
    owners = [
        skp_pb2.Pejabat(pegawai_id=str(uuid.uuid4()), nip=random_nip(), nama=f"Pegawai {i}", unor_id=unor)
        for i in range(SKPS)
    ]
    skp_ids = [str(uuid.uuid4()) for _ in range(SKPS)]
    events = []
    for version in range(1, VERSIONS + 1):
        for skp_id, owner in zip(skp_ids, owners, strict=True):
            skp = _skp(skp_id, tenant, owner, penilai, version)
            payload = skp_pb2.SkpCreated(skp=skp) if version == 1 else skp_pb2.SkpUpdated(skp=skp)
            events.append(
                OutboxEvent.build(
                    topic=TOPIC,
                    payload=payload,
                    aggregate_type="skp",
                    aggregate_id=skp_id,
                    aggregate_version=version,
                    instansi_id=uuid.UUID(tenant),
                    actor=None,
                )
            )
    return events


class Producer(threading.Thread):
    """Publishes the stream as skp's relay does (key: the SKP id; the outbox headers), paced."""

    def __init__(self, bootstrap: str, events: list[OutboxEvent]) -> None:
        super().__init__(daemon=True)
        self.bootstrap = bootstrap
        self.events = events
        self.sent = 0
        # The offset of the last record sent to each partition (from the broker's acknowledgement).
        self.last_offset: dict[int, int] = {}
        self.error: BaseException | None = None
        self._cancelled = threading.Event()

    def run(self) -> None:
        producer = fast_producer(self.bootstrap)
        try:
            for event in self.events:
                if self._cancelled.is_set():
                    return
                metadata = producer.send(
                    event.topic,
                    value=event.envelope.SerializeToString(),
                    key=event.aggregate_id.encode(),
                    headers=kafka_headers(event.headers()),
                ).get(timeout=10)
                self.last_offset[metadata.partition] = max(
                    metadata.offset, self.last_offset.get(metadata.partition, -1)
                )
                self.sent += 1
                self._cancelled.wait(PACE_SECONDS)
        except BaseException as exc:  # reported by the test
            self.error = exc
        finally:
            producer.close(timeout=5)

    def cancel(self) -> None:
        self._cancelled.set()


def _rows(db: ServiceDatabase, tenant: str, sql: str, **params: object) -> list[tuple[object, ...]]:
    """Rows of `sql` read as the owner inside the tenant (the tables force row-level security)."""
    engine = create_engine(db.owner_url)
    try:
        with engine.begin() as conn:
            conn.execute(text("select set_config('app.instansi_id', :t, true)"), {"t": tenant})
            return [tuple(row) for row in conn.execute(text(sql), params)]
    finally:
        engine.dispose()


def _processed(db: ServiceDatabase, tenant: str, group: str, ids: list[str]) -> int:
    return int(
        _rows(
            db,
            tenant,
            "select count(*) from processed_events where consumer = :c and event_id = any(cast(:ids as uuid[]))",
            c=group,
            ids=ids,
        )[0][0]
    )


def test_two_consumers_split_the_partitions_and_a_killed_one_loses_nothing(
    consumers: tuple[str, list[ConsumerProcess]], assessment_db: ServiceDatabase, kafka_bootstrap: str
) -> None:
    group, (doomed, survivor) = consumers
    tenant = str(uuid.uuid4())
    events = _stream(tenant)
    ids = [str(event.id) for event in events]
    logs = lambda: "\n".join(p.tail() for p in (doomed, survivor))  # noqa: E731

    try:
        # Both processes joined one group: the broker lists two members, settled.
        wait_for(
            lambda: (
                group_members(kafka_bootstrap, group)[0] == "Stable"
                and len(group_members(kafka_bootstrap, group)[1]) == 2
            ),
            timeout=40,
            what="both consumer processes in the group",
        )
        assert doomed.alive() and survivor.alive(), logs()
        state, members = group_members(kafka_bootstrap, group)
        print(f"group {group}: {state}, members {members}")

        producer = Producer(kafka_bootstrap, events)
        producer.start()
        try:
            # Mid-stream: the group has applied part of the stream and more is on its way.
            wait_for(
                lambda: _processed(assessment_db, tenant, group, ids) >= KILL_AFTER,
                timeout=30,
                what=f"{KILL_AFTER} events applied by the group",
            )
            assert producer.sent < len(events), "the stream ended before the kill: slow it down"
            doomed.kill()
            at_kill = committed_offsets(kafka_bootstrap, group, TOPIC)
            print(f"killed {doomed.name} at {producer.sent} events sent; committed {at_kill}")

            # The split, from the broker (tansu describes members without their assignment; their committed
            # offsets show it): until the group notices the death (session timeout), the survivor goes on
            # with its own partitions while the dead one's stay where it last committed, records waiting.
            split: dict[str, set[int]] = {}

            def partitions_split() -> bool:
                now = committed_offsets(kafka_bootstrap, group, TOPIC)
                moved = {p for p, offset in now.items() if offset >= at_kill.get(p, 0) + 3}
                stuck = {
                    p
                    for p, last in producer.last_offset.items()
                    if now.get(p, 0) == at_kill.get(p, 0) and last + 1 >= now.get(p, 0) + 3
                }
                split.update(survivor=moved, dead=stuck)
                return bool(moved) and bool(stuck) and moved | stuck == set(producer.last_offset)

            wait_for(
                partitions_split, timeout=20, what="the survivor's partitions to move while the others wait"
            )
            print(
                f"partitions of {survivor.name}: {sorted(split['survivor'])}; of {doomed.name}: {sorted(split['dead'])}"
            )
            assert not split["survivor"] & split["dead"]

            producer.join(timeout=60)
            assert not producer.is_alive() and producer.error is None, producer.error
        finally:
            producer.cancel()
        assert producer.sent == len(events)

        # After the rebalance the survivor holds every partition and applies the rest.
        wait_for(
            lambda: _processed(assessment_db, tenant, group, ids) == len(events),
            timeout=60,
            what="every event of the stream applied",
        )
        wait_for(
            lambda: len(group_members(kafka_bootstrap, group)[1]) == 1,
            timeout=30,
            what="the dead consumer out of the group",
        )
        assert survivor.alive(), logs()
        final = committed_offsets(kafka_bootstrap, group, TOPIC)
        assert all(final.get(p, 0) > at_kill.get(p, 0) for p in split["dead"]), (final, at_kill)
    except AssertionError:
        print(logs())
        raise

    # Exactly once: one processed mark per event produced (no more: records redelivered after the kill were
    # skipped), and each SKP's projection at its last version.
    assert _processed(assessment_db, tenant, group, ids) == len(events)
    marks = _rows(
        assessment_db,
        tenant,
        "select event_id, count(*) from processed_events where consumer = :c "
        "and event_id = any(cast(:ids as uuid[])) group by event_id having count(*) > 1",
        c=group,
        ids=ids,
    )
    assert marks == []
    versions = _rows(assessment_db, tenant, "select id::text, version from skp_proyeksi where not deleted")
    skp_ids = {event.aggregate_id for event in events}
    assert len(versions) == SKPS
    assert {row[0] for row in versions} == skp_ids
    assert {row[1] for row in versions} == {VERSIONS}
