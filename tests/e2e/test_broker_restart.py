"""An org change published just before the broker restarts still reaches identity, exactly once: org's relay
finds the broker without its topics and publishes its retained window again."""

from __future__ import annotations

import time
from typing import Any

import grpc
import pytest
from sqlalchemy import create_engine, text

from identity.entrypoints.consumers import CONSUMER_NAME
from kinerja.org.v1 import org_pb2, org_pb2_grpc
from kinerja_kit.consumer import EventConsumer
from kinerja_kit.db import ServiceDatabase
from kinerja_testing.platform import wait_for

pytestmark = pytest.mark.integration


def _rows(db: ServiceDatabase, sql: str, tenant: str, **params: object) -> list[tuple[Any, ...]]:
    """Rows of a query run as the owner inside the instansi's tenant."""
    engine = create_engine(db.owner_url)
    try:
        with engine.begin() as conn:
            conn.execute(text("select set_config('app.instansi_id', :t, true)"), {"t": tenant})
            return [tuple(r) for r in conn.execute(text(sql), {"t": tenant, **params})]
    finally:
        engine.dispose()


Metadata = tuple[tuple[str, str | bytes], ...]


def _instansi_with_unor(org: org_pb2_grpc.OrgServiceStub, bkn: Metadata) -> tuple[str, str]:
    kode = f"BRK-{time.time_ns() % 10**9}"
    instansi = org.CreateInstansi(
        org_pb2.CreateInstansiRequest(kode=kode, nama=f"Instansi {kode}", jenis="DAERAH"), metadata=bkn
    )
    unor = org.CreateUnor(
        org_pb2.CreateUnorRequest(
            unor=org_pb2.UnorInput(nama="Badan Uji", jenis=org_pb2.JENIS_UNOR_JPT_PRATAMA, kota="Jakarta")
        ),
        metadata=(*bkn, ("x-instansi-id", instansi.id)),
    )
    return instansi.id, unor.id


def test_a_pegawai_sent_just_before_a_broker_restart_gets_one_account(  # type: ignore[no-untyped-def]
    platform, token_for, nip_factory, restartable_broker, service_database
) -> None:
    org_db = service_database("org")
    identity_db = service_database("identity")
    org = org_pb2_grpc.OrgServiceStub(grpc.insecure_channel(platform.org_addr))
    bkn: Metadata = (("authorization", f"Bearer {token_for(role='admin_bkn')}"),)
    instansi_id, unor_id = _instansi_with_unor(org, bkn)
    md: Metadata = (*bkn, ("x-instansi-id", instansi_id))
    consumer = next(w for w in platform.identity.workers if isinstance(w, EventConsumer))
    assert consumer.name == CONSUMER_NAME

    # identity does not read while org publishes: the events sit on the broker, unconsumed.
    consumer.stop()
    try:
        pegawai = [
            org.CreatePegawai(
                org_pb2.CreatePegawaiRequest(
                    pegawai=org_pb2.PegawaiInput(
                        nip=nip_factory(),
                        nama=f"Pegawai Sebelum Restart {i}",
                        unor_id=unor_id,
                        jabatan=org_pb2.Jabatan(nama="Pengelola Data", jenis=org_pb2.JENIS_JABATAN_PELAKSANA),
                        golongan="III/a",
                    )
                ),
                metadata=md,
            )
            for i in range(3)
        ]
        expected = {p.id for p in pegawai}

        def created_events() -> list[tuple[Any, ...]]:
            return _rows(
                org_db,
                "select id::text, sent_at is not null from outbox where instansi_id = cast(:t as uuid) "
                "and event_type = 'kinerja.org.v1.PegawaiCreated'",
                instansi_id,
            )

        wait_for(
            lambda: len(created_events()) == len(expected) and all(sent for _, sent in created_events()),
            what="org to publish the PegawaiCreated events",
        )
        # Sent and acknowledged, never read: the restart loses them with every topic and offset.
        restartable_broker.stop(timeout=0.5)  # tansu ignores SIGTERM while clients are connected
        restartable_broker.start()
    finally:
        consumer.start()

    def accounts() -> dict[str, int]:
        rows = _rows(
            identity_db,
            "select pegawai_id::text, count(*) from accounts where instansi_id = cast(:t as uuid) group by pegawai_id",
            instansi_id,
        )
        return {str(r[0]): int(r[1]) for r in rows if r[0]}

    # identity's consumer reads the re-created topic from its start: org's whole window, this session's
    # earlier events included, most of them duplicates to it.
    org_events = sorted(event_id for event_id, _ in created_events())

    def processed() -> list[str]:
        rows = _rows(
            identity_db,
            "select event_id::text from processed_events where consumer = :consumer "
            "and event_id = any(cast(:ids as uuid[]))",
            instansi_id,
            ids=org_events,
            consumer=CONSUMER_NAME,
        )
        return sorted(r[0] for r in rows)

    wait_for(lambda: processed() == org_events, timeout=120, what="identity to apply every PegawaiCreated")
    wait_for(lambda: set(accounts()) == expected, what="an account for every pegawai")
    time.sleep(2.0)  # a second application would show now
    # Applied once per event: one account and one AccountCreated per pegawai.
    assert accounts() == dict.fromkeys(expected, 1)
    account_created = _rows(
        identity_db,
        "select aggregate_id from outbox where instansi_id = cast(:t as uuid) "
        "and event_type = 'kinerja.identity.v1.AccountCreated'",
        instansi_id,
    )
    assert len(account_created) == len({r[0] for r in account_created}) == len(expected)
