"""org changes reach identity exactly once, even when the broker stops while they are made."""

from __future__ import annotations

import time

import grpc
import pytest
from sqlalchemy import create_engine, text

from identity.entrypoints.consumers import CONSUMER_NAME
from kinerja.identity.v1 import identity_pb2, identity_pb2_grpc
from kinerja.org.v1 import org_pb2, org_pb2_grpc
from kinerja_kit.db import ServiceDatabase
from kinerja_testing.platform import wait_for

pytestmark = pytest.mark.integration


@pytest.fixture
def admin(platform, token_for) -> dict[str, object]:  # type: ignore[no-untyped-def]
    """A fresh instansi with one unor, and admin BKN metadata acting on it."""
    org = org_pb2_grpc.OrgServiceStub(grpc.insecure_channel(platform.org_addr))
    bkn = [("authorization", f"Bearer {token_for(role='admin_bkn')}")]
    kode = f"E2E-{time.time_ns() % 10**9}"
    instansi = org.CreateInstansi(
        org_pb2.CreateInstansiRequest(kode=kode, nama=f"Instansi {kode}", jenis="DAERAH"), metadata=bkn
    )
    md = [*bkn, ("x-instansi-id", instansi.id)]
    unor = org.CreateUnor(
        org_pb2.CreateUnorRequest(
            unor=org_pb2.UnorInput(nama="Badan Uji", jenis=org_pb2.JENIS_UNOR_JPT_PRATAMA, kota="Jakarta")
        ),
        metadata=md,
    )
    return {"org": org, "md": md, "instansi": instansi, "unor": unor}


def _create_pegawai(admin: dict[str, object], nip: str, nama: str) -> org_pb2.Pegawai:
    org: org_pb2_grpc.OrgServiceStub = admin["org"]  # type: ignore[assignment]
    return org.CreatePegawai(
        org_pb2.CreatePegawaiRequest(
            pegawai=org_pb2.PegawaiInput(
                nip=nip,
                nama=nama,
                unor_id=admin["unor"].id,  # type: ignore[attr-defined]
                jabatan=org_pb2.Jabatan(nama="Pengelola Data", jenis=org_pb2.JENIS_JABATAN_PELAKSANA),
                golongan="III/a",
            )
        ),
        metadata=admin["md"],
    )


def _accounts_by_pegawai(identity_db: ServiceDatabase, instansi_id: str) -> dict[str, int]:
    """Count of identity accounts per pegawai id, read as the runtime role inside the instansi's tenant (the
    owner may read every instansi's accounts: the search view reads the table as the owner)."""
    engine = create_engine(identity_db.app_url)
    try:
        with engine.begin() as conn:
            conn.execute(text("select set_config('app.instansi_id', :t, true)"), {"t": instansi_id})
            rows = conn.execute(
                text("select pegawai_id::text, count(*) from accounts group by pegawai_id")
            ).all()
        return {str(r[0]): int(r[1]) for r in rows if r[0]}
    finally:
        engine.dispose()


def test_pegawai_becomes_an_account(platform, admin, nip_factory) -> None:  # type: ignore[no-untyped-def]
    nip = nip_factory()
    pegawai = _create_pegawai(admin, nip, "Budi Santoso")
    identity = identity_pb2_grpc.IdentityServiceStub(grpc.insecure_channel(platform.identity_addr))

    def found() -> bool:
        try:
            account = identity.GetAccountByUsername(
                identity_pb2.GetAccountByUsernameRequest(username=nip), metadata=admin["md"]
            )
        except grpc.RpcError as exc:
            assert exc.code() == grpc.StatusCode.NOT_FOUND
            return False
        assert account.pegawai_id == pegawai.id
        assert account.instansi_id == admin["instansi"].id  # type: ignore[attr-defined]
        return True

    wait_for(found, what="the account of a new pegawai")

    org: org_pb2_grpc.OrgServiceStub = admin["org"]  # type: ignore[assignment]
    org.RemovePegawai(org_pb2.RemovePegawaiRequest(id=pegawai.id), metadata=admin["md"])

    def disabled() -> bool:
        account = identity.GetAccountByUsername(
            identity_pb2.GetAccountByUsernameRequest(username=nip), metadata=admin["md"]
        )
        return not account.active

    wait_for(disabled, what="the account of a removed pegawai to be disabled")


def test_changes_made_while_the_broker_is_down_arrive_exactly_once(  # type: ignore[no-untyped-def]
    platform, admin, nip_factory, restartable_broker, service_database
) -> None:
    identity_db = service_database("identity")
    instansi_id = admin["instansi"].id
    before = [_create_pegawai(admin, nip_factory(), f"Pegawai Sebelum {i}") for i in range(3)]
    wait_for(
        lambda: len(_accounts_by_pegawai(identity_db, instansi_id)) == len(before),
        what="accounts made before the broker stops",
    )

    restartable_broker.stop()
    try:
        during = [_create_pegawai(admin, nip_factory(), f"Pegawai Saat Henti {i}") for i in range(5)]
        time.sleep(1.0)  # the relay tries and fails while the broker is down
    finally:
        restartable_broker.start()

    expected = {p.id for p in before + during}
    wait_for(
        lambda: set(_accounts_by_pegawai(identity_db, instansi_id)) == expected,
        timeout=120,
        what="every pegawai to reach identity after the broker came back",
    )
    time.sleep(2.0)  # any redelivery would show up now
    counts = _accounts_by_pegawai(identity_db, instansi_id)
    assert set(counts) == expected
    assert all(n == 1 for n in counts.values()), counts

    # Every PegawaiCreated that org published was applied once: one processed mark per event, and one
    # AccountCreated per pegawai in identity's own outbox (a second application would add another).
    org_events = _scalars(
        service_database("org"),
        "select id::text from outbox where instansi_id = cast(:t as uuid) "
        "and event_type = 'kinerja.org.v1.PegawaiCreated'",
        instansi_id,
    )
    assert len(org_events) == len(expected)
    processed = _scalars(
        identity_db,
        "select event_id::text from processed_events where consumer = :consumer "
        "and event_id = any(cast(:ids as uuid[]))",
        instansi_id,
        ids=org_events,
        consumer=CONSUMER_NAME,
    )
    assert sorted(processed) == sorted(org_events)
    created = _scalars(
        identity_db,
        "select aggregate_id from outbox where instansi_id = cast(:t as uuid) "
        "and event_type = 'kinerja.identity.v1.AccountCreated'",
        instansi_id,
    )
    assert len(created) == len(set(created)) == len(expected)


def _scalars(db: ServiceDatabase, sql: str, tenant: str, **params: object) -> list[str]:
    engine = create_engine(db.owner_url)
    try:
        with engine.begin() as conn:
            return [str(r[0]) for r in conn.execute(text(sql), {"t": tenant, **params})]
    finally:
        engine.dispose()
