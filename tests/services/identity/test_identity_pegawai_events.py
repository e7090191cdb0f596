"""Accounts follow org's pegawai events: through the real broker and consumer, exactly once."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator

import pytest
from google.protobuf.message import Message
from kafka import KafkaProducer

from identity.entrypoints.consumers import PEGAWAI_TOPIC
from identity.service_layer import pegawai_sync
from identity.service_layer.deps import Deps
from kinerja.identity.v1 import identity_pb2, identity_pb2_grpc
from kinerja.org.v1 import org_pb2
from kinerja_kit.consumer import EventConsumer
from kinerja_kit.ids import new_id
from kinerja_kit.kafka import make_producer
from kinerja_kit.outbox import OutboxEvent
from kinerja_testing.identity import PASSWORD, Factory, login, random_nip, rpc_error
from kinerja_testing.platform import wait_for

pytestmark = pytest.mark.integration

Stub = identity_pb2_grpc.IdentityServiceStub


@pytest.fixture(scope="module")
def producer(kafka_bootstrap: str) -> Iterator[KafkaProducer]:
    made = make_producer(kafka_bootstrap)
    yield made
    made.close(timeout=2)


def envelope(payload: Message, instansi: uuid.UUID, pegawai_id: str, version: int = 1) -> OutboxEvent:
    return OutboxEvent.build(
        topic=PEGAWAI_TOPIC,
        payload=payload,
        aggregate_type="pegawai",
        aggregate_id=pegawai_id,
        aggregate_version=version,
        instansi_id=instansi,
        actor=None,
    )


def publish(producer: KafkaProducer, event: OutboxEvent) -> None:
    producer.send(
        PEGAWAI_TOPIC,
        value=event.envelope.SerializeToString(),
        key=event.aggregate_id.encode(),
        headers=[(k, v.encode()) for k, v in event.headers().items()],
    ).get(timeout=10)


def pegawai(instansi: uuid.UUID, nama: str, nip: str = "", nik: str = "") -> org_pb2.Pegawai:
    return org_pb2.Pegawai(
        id=str(new_id()), instansi_id=str(instansi), nip=nip, nik=nik, nama=nama, active=True
    )


def accounts_of(factory: Factory, instansi: uuid.UUID, pegawai_id: str) -> list[tuple[object, ...]]:
    rows = factory.query(
        instansi,
        "select username, nama, active, roles, password_hash is not null from accounts where pegawai_id = :p",
        p=pegawai_id,
    )
    return [tuple(r) for r in rows]


def test_the_same_event_twice_makes_one_account(
    producer: KafkaProducer, pegawai_consumer: EventConsumer, factory: Factory
) -> None:
    instansi = new_id()
    nip = random_nip()
    person = pegawai(instansi, "Rina Marlina", nip=nip)
    created = envelope(org_pb2.PegawaiCreated(pegawai=person), instansi, person.id)
    duplicates = pegawai_consumer.duplicate_count

    publish(producer, created)
    publish(producer, created)

    assert pegawai_consumer.wait_until(lambda c: c.duplicate_count > duplicates, timeout=30)
    assert accounts_of(factory, instansi, person.id) == [(nip, "Rina Marlina", True, ["pegawai"], False)]
    events = factory.query(
        None,
        "select count(*) from outbox where instansi_id = :i and event_type = 'kinerja.identity.v1.AccountCreated'",
        i=instansi,
    )
    assert events[0][0] == 1


def test_update_and_removal_follow_the_pegawai(
    producer: KafkaProducer, stub: Stub, factory: Factory, deps: Deps
) -> None:
    instansi = new_id()
    person = pegawai(instansi, "Agus", nip=random_nip())
    publish(producer, envelope(org_pb2.PegawaiCreated(pegawai=person), instansi, person.id))
    wait_for(lambda: bool(accounts_of(factory, instansi, person.id)))

    renamed = org_pb2.Pegawai()
    renamed.CopyFrom(person)
    renamed.nama = "Agus Salim"
    publish(
        producer, envelope(org_pb2.PegawaiUpdated(pegawai=renamed, previous=person), instansi, person.id, 2)
    )
    wait_for(lambda: accounts_of(factory, instansi, person.id)[0][1] == "Agus Salim")

    # Give the account a password and a session; removal must end the session.
    factory.execute(
        instansi,
        "update accounts set password_hash = :h where pegawai_id = :p",
        h=deps.hasher.hash(PASSWORD),
        p=person.id,
    )
    session = login(stub, person.nip)
    removed = org_pb2.PegawaiRemoved(pegawai_id=person.id, nip=person.nip)
    publish(producer, envelope(removed, instansi, person.id, 3))
    wait_for(lambda: accounts_of(factory, instansi, person.id)[0][2] is False)

    _, refused = rpc_error(
        stub.RefreshToken, identity_pb2.RefreshTokenRequest(refresh_token=session.tokens.refresh_token)
    )
    assert refused.reason == "REFRESH_TOKEN_INVALID"
    _, disabled = rpc_error(stub.Login, identity_pb2.LoginRequest(username=person.nip, password=PASSWORD))
    assert disabled.reason == "ACCOUNT_DISABLED"


# -- handler rules, applied in a transaction as the consumer would -------------------------------------


def apply(deps: Deps, instansi: uuid.UUID, handler: Callable[..., None], payload: Message) -> None:
    event = envelope(payload, instansi, str(new_id()))
    with deps.uow.transaction(tenant=instansi) as tx:
        handler(tx, event.envelope, payload)
        tx.commit()


def test_jpt_non_asn_gets_an_account_by_nik(deps: Deps, factory: Factory) -> None:
    instansi = new_id()
    nik = random_nip()[:16]
    person = pegawai(instansi, "Pejabat Non ASN", nik=nik)
    apply(deps, instansi, pegawai_sync.on_pegawai_created, org_pb2.PegawaiCreated(pegawai=person))
    assert accounts_of(factory, instansi, person.id)[0][0] == nik


def test_an_existing_account_without_pegawai_is_linked(deps: Deps, factory: Factory) -> None:
    instansi = new_id()
    existing = factory.account(instansi, nama="Lama", roles={"admin_instansi"})
    person = pegawai(instansi, "Baru", nip=existing.username)
    apply(deps, instansi, pegawai_sync.on_pegawai_created, org_pb2.PegawaiCreated(pegawai=person))

    linked = factory.load(existing)
    assert (linked.pegawai_id, linked.nama) == (uuid.UUID(person.id), "Baru")
    assert linked.roles == {"admin_instansi", "pegawai"}
    assert linked.has_password


def test_an_active_account_of_another_instansi_is_never_taken_over(deps: Deps, factory: Factory) -> None:
    owner = factory.account(new_id(), pegawai_id=new_id())
    elsewhere = new_id()
    person = pegawai(elsewhere, "Penyusup", nip=owner.username)
    apply(deps, elsewhere, pegawai_sync.on_pegawai_created, org_pb2.PegawaiCreated(pegawai=person))

    assert accounts_of(factory, elsewhere, person.id) == []
    assert factory.load(owner) == owner


def test_a_disabled_account_moves_with_its_person(deps: Deps, factory: Factory, stub: Stub) -> None:
    old_instansi, new_instansi = new_id(), new_id()
    old = factory.account(
        old_instansi, pegawai_id=new_id(), active=False, roles={"pegawai", "admin_instansi"}
    )
    person = pegawai(new_instansi, "Pindahan", nip=old.username)
    apply(deps, new_instansi, pegawai_sync.on_pegawai_created, org_pb2.PegawaiCreated(pegawai=person))

    assert accounts_of(factory, new_instansi, person.id) == [
        (old.username, "Pindahan", True, ["pegawai"], True)
    ]
    assert factory.query(old_instansi, "select count(*) from accounts where id = :a", a=old.id)[0][0] == 0
    assert login(stub, old.username).account.instansi_id == str(new_instansi)


def test_removal_of_an_unknown_pegawai_is_a_no_op(deps: Deps) -> None:
    apply(deps, new_id(), pegawai_sync.on_pegawai_removed, org_pb2.PegawaiRemoved(pegawai_id=str(new_id())))
    apply(deps, new_id(), pegawai_sync.on_pegawai_removed, org_pb2.PegawaiRemoved(pegawai_id="bad"))


# -- a pegawai removed and added again with the same NIP --------------------------------------------


def _readded(instansi: uuid.UUID, old: org_pb2.Pegawai) -> org_pb2.Pegawai:
    """org's record of the same person added again: a new pegawai id, the same NIP."""
    again = pegawai(instansi, old.nama + " (kembali)", nip=old.nip)
    assert again.id != old.id
    return again


@pytest.mark.parametrize("removed_first", [True, False], ids=["removed-then-created", "created-then-removed"])
def test_a_pegawai_added_again_gets_its_account_back(
    deps: Deps, factory: Factory, stub: Stub, removed_first: bool
) -> None:
    """One working account for the NIP, linked to the new pegawai, whichever event comes first (the two
    pegawai ids are different keys, so the broker does not order them)."""
    instansi = new_id()
    old = pegawai(instansi, "Budi Santoso", nip=random_nip())
    apply(deps, instansi, pegawai_sync.on_pegawai_created, org_pb2.PegawaiCreated(pegawai=old))
    account_id = factory.query(instansi, "select id from accounts where pegawai_id = :p", p=old.id)[0][0]
    factory.execute(
        instansi,
        "update accounts set password_hash = :h, roles = array['pegawai', 'admin_instansi'] where id = :a",
        h=deps.hasher.hash(PASSWORD),
        a=account_id,
    )
    session = login(stub, old.nip)
    again = _readded(instansi, old)
    removed = (pegawai_sync.on_pegawai_removed, org_pb2.PegawaiRemoved(pegawai_id=old.id, nip=old.nip))
    created = (pegawai_sync.on_pegawai_created, org_pb2.PegawaiCreated(pegawai=again))
    for handler, payload in [removed, created] if removed_first else [created, removed]:
        apply(deps, instansi, handler, payload)

    rows = factory.query(
        instansi, "select id, pegawai_id, active, roles from accounts where username = :u", u=old.nip
    )
    # The same account (its login history stays with it), now the new pegawai's, enabled, pegawai only.
    assert [tuple(r) for r in rows] == [(account_id, uuid.UUID(again.id), True, ["pegawai"])]
    assert accounts_of(factory, instansi, old.id) == []
    # Sessions of the old record end; the password still logs in, and the token names the new pegawai.
    _, refused = rpc_error(
        stub.RefreshToken, identity_pb2.RefreshTokenRequest(refresh_token=session.tokens.refresh_token)
    )
    assert refused.reason == "REFRESH_TOKEN_INVALID"
    fresh = login(stub, old.nip)
    assert (fresh.account.id, fresh.account.pegawai_id, fresh.account.active) == (
        str(account_id),
        again.id,
        True,
    )
    audit = factory.query(
        instansi,
        "select count(*) from login_audit where account_id = :a and outcome = 'success'",
        a=account_id,
    )
    assert audit[0][0] == 2


def test_a_pegawai_added_again_through_the_broker(
    producer: KafkaProducer, stub: Stub, factory: Factory, deps: Deps
) -> None:
    instansi = new_id()
    old = pegawai(instansi, "Sri Wahyuni", nip=random_nip())
    publish(producer, envelope(org_pb2.PegawaiCreated(pegawai=old), instansi, old.id))
    wait_for(lambda: bool(accounts_of(factory, instansi, old.id)))
    factory.execute(
        instansi,
        "update accounts set password_hash = :h where pegawai_id = :p",
        h=deps.hasher.hash(PASSWORD),
        p=old.id,
    )
    again = _readded(instansi, old)
    publish(producer, envelope(org_pb2.PegawaiRemoved(pegawai_id=old.id, nip=old.nip), instansi, old.id, 2))
    publish(producer, envelope(org_pb2.PegawaiCreated(pegawai=again), instansi, again.id))
    wait_for(lambda: bool(accounts_of(factory, instansi, again.id)))

    assert accounts_of(factory, instansi, again.id) == [(old.nip, again.nama, True, ["pegawai"], True)]
    assert login(stub, old.nip).account.pegawai_id == again.id


# -- a run of PegawaiCreated at once (an org import) ---------------------------------------------------


def apply_many(deps: Deps, instansi: uuid.UUID, people: list[org_pb2.Pegawai]) -> None:
    events = []
    for person in people:
        payload = org_pb2.PegawaiCreated(pegawai=person)
        events.append((envelope(payload, instansi, person.id).envelope, payload))
    with deps.uow.transaction(tenant=instansi) as tx:
        pegawai_sync.on_pegawai_created_many(tx, events)
        tx.commit()


def test_a_run_of_pegawai_created_makes_the_same_accounts_as_one_at_a_time(
    deps: Deps, factory: Factory
) -> None:
    instansi = new_id()
    fresh = [pegawai(instansi, f"Pegawai {i}", nip=random_nip()) for i in range(25)]
    by_nik = pegawai(instansi, "Non ASN", nik=random_nip()[:16])
    unlinked = factory.account(instansi, nama="Tanpa Pegawai", roles={"admin_instansi"})
    links = pegawai(instansi, "Ditautkan", nip=unlinked.username)
    owner = factory.account(new_id(), pegawai_id=new_id())
    intruder = pegawai(instansi, "Penyusup", nip=owner.username)
    twice_nip = random_nip()
    first, second = pegawai(instansi, "Pertama", nip=twice_nip), pegawai(instansi, "Kedua", nip=twice_nip)
    no_nip = pegawai(instansi, "Tanpa NIP")
    people = [*fresh[:10], by_nik, links, intruder, first, *fresh[10:], second, no_nip]

    apply_many(deps, instansi, people)

    for person in [*fresh, by_nik]:
        assert accounts_of(factory, instansi, person.id) == [
            (person.nip or person.nik, person.nama, True, ["pegawai"], False)
        ]
    linked = factory.load(unlinked)
    assert (linked.pegawai_id, linked.nama, linked.roles) == (
        uuid.UUID(links.id),
        "Ditautkan",
        {"admin_instansi", "pegawai"},
    )
    assert accounts_of(factory, instansi, intruder.id) == [] and factory.load(owner) == owner
    # The same NIP twice in one run: as one at a time, the second is the same person added again.
    assert accounts_of(factory, instansi, first.id) == []
    assert accounts_of(factory, instansi, second.id) == [(twice_nip, "Kedua", True, ["pegawai"], False)]
    assert accounts_of(factory, instansi, no_nip.id) == []
    created = factory.query(
        None,
        "select count(*) from outbox where instansi_id = :i and event_type = 'kinerja.identity.v1.AccountCreated'",
        i=instansi,
    )
    assert created[0][0] == len(fresh) + 2  # the 25, the NIK and the NIP twice (created, then relinked)

    # Applied again (the events' ids are new; the pegawai are not): nothing changes, nothing is emitted.
    before = factory.query(None, "select count(*) from outbox where instansi_id = :i", i=instansi)
    apply_many(deps, instansi, [*fresh, by_nik])
    again = factory.query(None, "select count(*) from outbox where instansi_id = :i", i=instansi)
    assert again == before


def test_a_burst_through_the_broker_opens_one_account_each(producer: KafkaProducer, factory: Factory) -> None:
    instansi = new_id()
    people = [pegawai(instansi, f"Impor {i}", nip=random_nip()) for i in range(60)]
    for person in people:
        event = envelope(org_pb2.PegawaiCreated(pegawai=person), instansi, person.id)
        producer.send(
            PEGAWAI_TOPIC,
            value=event.envelope.SerializeToString(),
            key=event.aggregate_id.encode(),
            headers=[(k, v.encode()) for k, v in event.headers().items()],
        )
    producer.flush(timeout=10)

    def opened() -> int:
        rows = factory.query(instansi, "select count(*) from accounts")
        return int(rows[0][0])

    # Whichever consumer of this database takes the burst (the session's platform runs one too), in groups
    # or, after losing a race for a username, one event at a time: one account each, one AccountCreated each.
    wait_for(lambda: opened() == 60)
    assert all(accounts_of(factory, instansi, p.id)[0][0] == p.nip for p in people)
    created = factory.query(
        None,
        "select count(*) from outbox where instansi_id = :i and event_type = 'kinerja.identity.v1.AccountCreated'",
        i=instansi,
    )
    assert created[0][0] == 60
