"""UnitOfWork, RLS migration helpers, the outbox write and provisioning against a real PostgreSQL."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from alembic.migration import MigrationContext
from alembic.operations import Operations
from google.protobuf import wrappers_pb2
from sqlalchemy import Engine, create_engine, text
from sqlalchemy import exc as sa_exc

from kinerja.common.v1 import envelope_pb2
from kinerja_kit.context import ROLE_ADMIN_BKN, ROLE_ADMIN_INSTANSI, ROLE_PEGAWAI, Principal, bind
from kinerja_kit.db import (
    CONNECT_TIMEOUT_SECONDS,
    ServiceDatabase,
    Transaction,
    UnitOfWork,
    make_engine,
    provision_service_database,
)
from kinerja_kit.ids import NATIONAL_INSTANSI_ID, new_id
from kinerja_kit.migrations import create_outbox_tables, create_tenant_function, enable_tenant_rls
from kinerja_kit.outbox import unpack_payload

pytestmark = pytest.mark.integration

TOPIC = "kinerja.kittest.widget.v1"


@dataclass
class KitDb:
    db: ServiceDatabase
    owner: Engine
    app: Engine
    uow: UnitOfWork


def _create_schema(owner: Engine) -> None:
    with owner.begin() as conn:
        if conn.execute(text("select to_regclass('public.widgets') is not null")).scalar():
            return
        op = Operations(MigrationContext.configure(conn))
        create_tenant_function(op)
        op.execute(
            "create table widgets (id uuid primary key, instansi_id uuid not null, name text not null)"
        )
        enable_tenant_rls(op, "widgets")
        create_outbox_tables(op)
        create_outbox_tables(op)  # idempotent: a second run changes nothing


@pytest.fixture(scope="module")
def kit(service_database: Callable[[str], ServiceDatabase]) -> Iterator[KitDb]:
    """The `kittest` database: an RLS `widgets` table and the outbox, made by the owner via Alembic ops."""
    db = service_database("kittest")
    owner = make_engine(db.owner_url, pool_size=1, application_name="kittest-owner")
    app = make_engine(db.app_url, pool_size=2, application_name="kittest-app")
    _create_schema(owner)
    try:
        yield KitDb(db, owner, app, UnitOfWork.from_engine(app))
    finally:
        app.dispose()
        owner.dispose()


def add_widget(tx: Transaction, name: str, instansi: uuid.UUID | None = None) -> uuid.UUID:
    widget_id = new_id()
    tx.session.execute(
        text("insert into widgets (id, instansi_id, name) values (:id, :t, :n)"),
        {"id": widget_id, "t": instansi or tx.tenant, "n": name},
    )
    return widget_id


def names(kit: KitDb, tenant: uuid.UUID | None, marker: str) -> list[str]:
    """The widgets named `marker...` the app role sees with `tenant` set."""
    with kit.uow.transaction(tenant=tenant) as tx:
        rows = tx.session.execute(
            text("select name from widgets where name like :m order by name"), {"m": f"{marker}%"}
        )
        return [r[0] for r in rows]


def outbox_row(kit: KitDb, event_id: uuid.UUID) -> Any:
    with kit.app.connect() as conn:
        return conn.execute(text("select * from outbox where id = :id"), {"id": event_id}).mappings().first()


def principal(instansi: uuid.UUID, *roles: str, acting: uuid.UUID | None = None) -> Principal:
    return Principal(
        subject=str(new_id()),
        username="199001012020011001",
        instansi_id=instansi,
        roles=frozenset(roles or (ROLE_PEGAWAI,)),
        token="t",
        acting_instansi_id=acting,
    )


def marker() -> str:
    return f"w-{uuid.uuid4().hex[:10]}-"


# --- row-level security -------------------------------------------------------------------------


def test_rows_are_visible_only_in_their_tenant(kit: KitDb) -> None:
    a, b, m = new_id(), new_id(), marker()
    with kit.uow.transaction(tenant=a) as tx:
        add_widget(tx, m + "1")
        add_widget(tx, m + "2")
        tx.commit()
    with kit.uow.transaction(tenant=b) as tx:
        add_widget(tx, m + "b")
        tx.commit()
    assert names(kit, a, m) == [m + "1", m + "2"]
    assert names(kit, b, m) == [m + "b"]
    assert names(kit, new_id(), m) == []
    assert names(kit, None, m) == []


def test_owner_is_confined_too(kit: KitDb) -> None:
    a, m = new_id(), marker()
    with kit.uow.transaction(tenant=a) as tx:
        add_widget(tx, m + "1")
        tx.commit()
    with kit.owner.connect() as conn:  # FORCE row level security: the table owner gets no bypass
        assert (
            conn.execute(text("select count(*) from widgets where name like :m"), {"m": m + "%"}).scalar()
            == 0
        )


def test_tenant_comes_from_the_bound_principal(kit: KitDb) -> None:
    own, acted_on, m = new_id(), new_id(), marker()
    with bind(principal=principal(own)), kit.uow.transaction() as tx:
        assert tx.tenant == own
        add_widget(tx, m + "own")
        tx.commit()
    admin = principal(NATIONAL_INSTANSI_ID, ROLE_ADMIN_BKN, acting=acted_on)
    with kit.uow.transaction(actor=admin) as tx:
        assert tx.tenant == acted_on
        add_widget(tx, m + "acted")
        tx.commit()
    with kit.uow.transaction() as tx:  # nobody bound: no tenant
        assert tx.tenant is None
    assert names(kit, own, m) == [m + "own"]
    assert names(kit, acted_on, m) == [m + "acted"]


def test_insert_without_a_tenant_is_refused(kit: KitDb) -> None:
    a, m = new_id(), marker()
    with pytest.raises(sa_exc.DBAPIError, match="row-level security"), kit.uow.transaction(tenant=None) as tx:
        add_widget(tx, m + "x", instansi=a)
    assert names(kit, a, m) == []


def test_insert_for_another_tenant_is_refused(kit: KitDb) -> None:
    a, b, m = new_id(), new_id(), marker()
    with pytest.raises(sa_exc.DBAPIError, match="row-level security"), kit.uow.transaction(tenant=a) as tx:
        add_widget(tx, m + "x", instansi=b)
    assert names(kit, a, m) == []
    assert names(kit, b, m) == []


def test_other_tenants_rows_cannot_be_changed_or_moved(kit: KitDb) -> None:
    a, b, m = new_id(), new_id(), marker()
    with kit.uow.transaction(tenant=b) as tx:
        add_widget(tx, m + "b")
        tx.commit()
    with kit.uow.transaction(tenant=a) as tx:
        add_widget(tx, m + "a")
        updated = tx.session.execute(
            text("update widgets set name = name || '-hacked' where name like :m"), {"m": m + "%"}
        )
        deleted = tx.session.execute(text("delete from widgets where name = :n"), {"n": m + "b"})
        # Only its own row is touched.
        assert (updated.rowcount, deleted.rowcount) == (1, 0)  # type: ignore[attr-defined]
        tx.commit()
    # Moving its own row into another tenant fails WITH CHECK.
    with pytest.raises(sa_exc.DBAPIError, match="row-level security"), kit.uow.transaction(tenant=a) as tx:
        tx.session.execute(
            text("update widgets set instansi_id = :b where name like :m"), {"b": b, "m": m + "%"}
        )
    assert names(kit, a, m) == [m + "a-hacked"]
    assert names(kit, b, m) == [m + "b"]


def test_set_tenant_switches_within_a_transaction(kit: KitDb) -> None:
    a, b, m = new_id(), new_id(), marker()
    with kit.uow.transaction(tenant=a) as tx:
        add_widget(tx, m + "a")
        tx.set_tenant(b)
        add_widget(tx, m + "b")
        assert [
            r[0]
            for r in tx.session.execute(text("select name from widgets where name like :m"), {"m": m + "%"})
        ] == [m + "b"]
        tx.set_tenant(None)
        assert tx.session.execute(text("select count(*) from widgets")).scalar() == 0
        tx.commit()
    assert names(kit, a, m) == [m + "a"]
    assert names(kit, b, m) == [m + "b"]


def test_tenant_setting_does_not_leak_to_the_next_transaction(kit: KitDb) -> None:
    a, m = new_id(), marker()
    with kit.uow.transaction(tenant=a) as tx:
        add_widget(tx, m + "a")
        tx.commit()
    for _ in range(4):  # reuses the pool's connections
        with kit.app.connect() as conn:
            assert conn.execute(text("select kinerja_current_instansi()")).scalar() is None
            assert (
                conn.execute(text("select count(*) from widgets where name like :m"), {"m": m + "%"}).scalar()
                == 0
            )


def test_runtime_role_cannot_bypass_rls(kit: KitDb) -> None:
    with kit.app.connect() as conn:
        role = conn.execute(
            text(
                "select rolname, rolsuper, rolbypassrls, rolcreaterole, rolcreatedb "
                "from pg_roles where rolname = current_user"
            )
        ).one()
        assert role.rolname == "kinerja_kittest_app"
        assert (role.rolsuper, role.rolbypassrls, role.rolcreaterole, role.rolcreatedb) == (
            False,
            False,
            False,
            False,
        )
    with kit.owner.connect() as conn:
        owner = conn.execute(
            text("select rolsuper, rolbypassrls from pg_roles where rolname = current_user")
        ).one()
        assert (owner.rolsuper, owner.rolbypassrls) == (False, False)
    with kit.app.connect() as conn, pytest.raises(sa_exc.DBAPIError, match="must be owner"):
        conn.execute(text("alter table widgets disable row level security"))


# --- transactions and the outbox ----------------------------------------------------------------


def test_transaction_without_commit_rolls_back_rows_and_events(kit: KitDb) -> None:
    a, m = new_id(), marker()
    with kit.uow.transaction(tenant=a) as tx:
        widget = add_widget(tx, m + "x")
        event = tx.emit(
            TOPIC,
            wrappers_pb2.StringValue(value="x"),
            aggregate_type="widget",
            aggregate_id=widget,
            aggregate_version=1,
        )
        assert tx.events == [event]
    assert not tx.committed
    assert names(kit, a, m) == []
    assert outbox_row(kit, event.id) is None


def test_exception_rolls_back(kit: KitDb) -> None:
    a, m = new_id(), marker()
    with pytest.raises(RuntimeError, match="boom"), kit.uow.transaction(tenant=a) as tx:
        widget = add_widget(tx, m + "x")
        tx.session.flush()
        event = tx.emit(
            TOPIC,
            wrappers_pb2.StringValue(value="x"),
            aggregate_type="widget",
            aggregate_id=widget,
            aggregate_version=1,
        )
        raise RuntimeError("boom")
    assert names(kit, a, m) == []
    assert outbox_row(kit, event.id) is None


def test_emit_and_commit_writes_the_outbox_row(kit: KitDb) -> None:
    instansi, m = new_id(), marker()
    actor = principal(instansi, ROLE_PEGAWAI, ROLE_ADMIN_INSTANSI)
    with bind(principal=actor, request_id="req-kit-db-1"), kit.uow.transaction() as tx:
        widget = add_widget(tx, m + "x")
        event = tx.emit(
            TOPIC,
            wrappers_pb2.StringValue(value="Halo, kinerja!"),
            aggregate_type="widget",
            aggregate_id=widget,
            aggregate_version=3,
        )
        tx.commit()
    assert names(kit, instansi, m) == [m + "x"]

    row = outbox_row(kit, event.id)
    assert row is not None
    assert row["topic"] == TOPIC
    assert row["event_type"] == "google.protobuf.StringValue"
    assert row["instansi_id"] == instansi
    assert (row["aggregate_type"], row["aggregate_id"], row["aggregate_version"]) == (
        "widget",
        str(widget),
        3,
    )
    assert row["sent_at"] is None and row["attempts"] == 0
    assert row["headers"] == {
        "event_id": str(event.id),
        "event_type": "google.protobuf.StringValue",
        "instansi_id": str(instansi),
        "content-type": "application/x-protobuf",
    }

    envelope = envelope_pb2.EventEnvelope.FromString(bytes(row["envelope"]))
    assert envelope.event_id == str(event.id)
    assert envelope.event_type == "google.protobuf.StringValue"
    assert envelope.instansi_id == str(instansi)
    assert (envelope.aggregate_type, envelope.aggregate_id, envelope.aggregate_version) == (
        "widget",
        str(widget),
        3,
    )
    assert envelope.actor.subject == actor.subject
    assert envelope.actor.nip == actor.username
    assert list(envelope.actor.roles) == sorted([ROLE_ADMIN_INSTANSI, ROLE_PEGAWAI])
    assert envelope.trace_id == "req-kit-db-1"
    assert envelope.occurred_at.seconds > 0
    payload = unpack_payload(envelope, wrappers_pb2.StringValue)
    assert isinstance(payload, wrappers_pb2.StringValue)
    assert payload.value == "Halo, kinerja!"
    with pytest.raises(ValueError, match=r"google\.protobuf\.Int64Value"):
        unpack_payload(envelope, wrappers_pb2.Int64Value)


def test_emit_with_explicit_instansi_and_system_actor(kit: KitDb) -> None:
    target = new_id()
    with kit.uow.transaction(tenant=None) as tx:
        with pytest.raises(ValueError, match="instansi"):
            tx.emit(
                TOPIC, wrappers_pb2.StringValue(), aggregate_type="w", aggregate_id="1", aggregate_version=1
            )
        event = tx.emit(
            TOPIC,
            wrappers_pb2.Int64Value(value=7),
            aggregate_type="widget",
            aggregate_id="agg-1",
            aggregate_version=1,
            instansi_id=target,
        )
        tx.commit()
    row = outbox_row(kit, event.id)
    assert row is not None and row["instansi_id"] == target
    envelope = envelope_pb2.EventEnvelope.FromString(bytes(row["envelope"]))
    assert envelope.instansi_id == str(target)
    assert (envelope.actor.subject, envelope.actor.nip, list(envelope.actor.roles)) == ("system", "", [])
    assert unpack_payload(envelope, wrappers_pb2.Int64Value).value == 7  # type: ignore[attr-defined]


def test_several_events_commit_together(kit: KitDb) -> None:
    a = new_id()
    with kit.uow.transaction(tenant=a) as tx:
        events = [
            tx.emit(
                TOPIC,
                wrappers_pb2.StringValue(value=str(v)),
                aggregate_type="widget",
                aggregate_id="agg",
                aggregate_version=v,
            )
            for v in (1, 2, 3)
        ]
        tx.commit()
    rows = [outbox_row(kit, e.id) for e in events]
    assert [r["aggregate_version"] for r in rows] == [1, 2, 3]
    assert len({e.id for e in events}) == 3


# --- provisioning -------------------------------------------------------------------------------


def test_provision_service_database_is_idempotent(kit: KitDb, pg_admin_url: str) -> None:
    a, m = new_id(), marker()
    with kit.uow.transaction(tenant=a) as tx:
        add_widget(tx, m + "kept")
        tx.commit()
    first = provision_service_database(pg_admin_url, "kittest")
    second = provision_service_database(pg_admin_url, "kittest")
    assert first == second == kit.db
    assert first.name == "kinerja_kittest"
    assert names(kit, a, m) == [m + "kept"]  # data and grants survive
    fresh = create_engine(second.app_url)
    try:
        with fresh.connect() as conn:
            assert conn.execute(text("select current_user")).scalar() == "kinerja_kittest_app"
    finally:
        fresh.dispose()


def test_connections_give_up_on_a_silent_host_and_probe_idle_peers(kit: KitDb) -> None:
    """Connect timeout and TCP keepalives reach libpq, so a vanished database host cannot hang a call."""
    with kit.app.connect() as conn:
        parameters = conn.connection.dbapi_connection.info.get_parameters()  # type: ignore[union-attr]
    assert parameters["connect_timeout"] == str(CONNECT_TIMEOUT_SECONDS)
    assert parameters["keepalives"] == "1"
    assert {parameters["keepalives_idle"], parameters["keepalives_interval"]} == {"30", "10"}
