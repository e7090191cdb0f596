"""Idempotent calls against a real PostgreSQL: the key is claimed in the call's own transaction, so
concurrent twins make one change and all answer its first result; a different body is refused; errors
are not remembered; keys are per instansi and caller and expire; a handler's transactions are savepoints
of the call's."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import grpc
import pytest
from alembic.migration import MigrationContext
from alembic.operations import Operations
from google.protobuf import wrappers_pb2
from sqlalchemy import Column, Engine, Text, text
from sqlalchemy import exc as sa_exc
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import DeclarativeBase

from kinerja_kit.context import ROLE_PEGAWAI, Principal, bind, check_idempotency_key
from kinerja_kit.db import ServiceDatabase, UnitOfWork, make_engine
from kinerja_kit.errors import DomainError, FailedPrecondition, InvalidArgument
from kinerja_kit.idempotency import REPLAYED_METADATA, idempotent, prune
from kinerja_kit.ids import new_id
from kinerja_kit.migrations import (
    create_idempotency_keys_table,
    create_outbox_tables,
    create_tenant_function,
    enable_tenant_rls,
)

pytestmark = pytest.mark.integration

TOPIC = "kinerja.kittest.gadget.v1"


@dataclass
class Db:
    owner: Engine
    app: Engine


@pytest.fixture(scope="module")
def db(service_database: Callable[[str], ServiceDatabase]) -> Iterator[Db]:
    """The `kitidem` database: an RLS `gadgets` table (name unique per instansi), the outbox and the
    idempotency keys, made by the owner through the migration helpers."""
    made = service_database("kitidem")
    owner = make_engine(made.owner_url, pool_size=1, application_name="kitidem-owner")
    app = make_engine(made.app_url, pool_size=25, application_name="kitidem-app")
    with owner.begin() as conn:
        if not conn.execute(text("select to_regclass('public.gadgets') is not null")).scalar():
            op = Operations(MigrationContext.configure(conn))
            create_tenant_function(op)
            op.execute(
                "create table gadgets (instansi_id uuid not null, id uuid not null, name text not null, "
                "primary key (instansi_id, id), unique (instansi_id, name))"
            )
            enable_tenant_rls(op, "gadgets")
            create_outbox_tables(op)
            create_idempotency_keys_table(op)
    try:
        yield Db(owner, app)
    finally:
        app.dispose()
        owner.dispose()


@dataclass
class FakeContext:
    """What a servicer method uses of grpc.ServicerContext here."""

    trailing: tuple[tuple[str, str], ...] = ()

    def set_trailing_metadata(self, metadata: tuple[tuple[str, str], ...]) -> None:
        self.trailing = metadata


@dataclass
class GadgetServicer:
    """A servicer whose create makes one gadget (and its event) through the unit of work, slowly enough
    for concurrent twins to meet."""

    uow: UnitOfWork
    delay: float = 0.0
    runs: int = 0
    fail_next: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)

    @idempotent
    def CreateGadget(
        self, request: wrappers_pb2.StringValue, context: grpc.ServicerContext
    ) -> wrappers_pb2.BytesValue:
        with self.lock:
            self.runs += 1
        gadget = new_id()
        with self.uow.transaction() as tx:
            tx.session.execute(
                text("insert into gadgets (instansi_id, id, name) values (:t, :i, :n)"),
                {"t": tx.tenant, "i": gadget, "n": f"{request.value}-{gadget}"},
            )
            tx.emit(TOPIC, request, aggregate_type="gadget", aggregate_id=gadget, aggregate_version=1)
            time.sleep(self.delay)
            if self.fail_next:
                self.fail_next = False
                raise FailedPrecondition("GAGAL", "Gagal.")
            tx.commit()
        # the answer is built after the handler's commit, as the services' servicers do
        return wrappers_pb2.BytesValue(value=gadget.bytes)


def person(instansi: uuid.UUID) -> Principal:
    return Principal(str(new_id()), "199001012020011001", instansi, frozenset({ROLE_PEGAWAI}), token="t")


def call(
    servicer: GadgetServicer, who: Principal, body: str, key: str = ""
) -> tuple[wrappers_pb2.BytesValue, FakeContext]:
    context = FakeContext()
    with bind(principal=who, idempotency_key=key):
        answer = servicer.CreateGadget(wrappers_pb2.StringValue(value=body), context)  # type: ignore[arg-type]
    return answer, context


def gadgets(db: Db, instansi: uuid.UUID, prefix: str) -> list[uuid.UUID]:
    with db.app.begin() as conn:
        conn.execute(text("select set_config('app.instansi_id', :t, true)"), {"t": str(instansi)})
        rows = conn.execute(
            text("select id from gadgets where name like :p order by id"), {"p": f"{prefix}-%"}
        )
        return [r[0] for r in rows]


def events(db: Db, instansi: uuid.UUID) -> int:
    with db.app.connect() as conn:
        found = conn.execute(text("select count(*) from outbox where instansi_id = :t"), {"t": instansi})
        return int(found.scalar_one())


def body() -> str:
    return f"g{uuid.uuid4().hex[:10]}"


def test_concurrent_twins_make_one_change_and_answer_its_first_result(db: Db) -> None:
    servicer = GadgetServicer(UnitOfWork.from_engine(db.app), delay=0.2)
    instansi, name = new_id(), body()
    who = person(instansi)
    with ThreadPoolExecutor(max_workers=12) as pool:
        results = list(pool.map(lambda _: call(servicer, who, name, "kunci-1"), range(12)))
    made = gadgets(db, instansi, name)
    assert len(made) == 1
    assert {r.value for r, _ in results} == {made[0].bytes}
    assert servicer.runs == 1  # the twins never ran the handler
    assert events(db, instansi) == 1
    assert sum(1 for _, c in results if c.trailing == ((REPLAYED_METADATA, "true"),)) == 11


def test_without_a_key_every_call_creates(db: Db) -> None:
    servicer = GadgetServicer(UnitOfWork.from_engine(db.app))
    instansi, name = new_id(), body()
    who = person(instansi)
    first, _ = call(servicer, who, name)
    second, _ = call(servicer, who, name)
    assert first.value != second.value
    assert len(gadgets(db, instansi, name)) == 2


def test_a_key_reused_for_another_body_is_refused_and_changes_nothing(db: Db) -> None:
    servicer = GadgetServicer(UnitOfWork.from_engine(db.app))
    instansi, name, other = new_id(), body(), body()
    who = person(instansi)
    call(servicer, who, name, "kunci-2")
    with pytest.raises(FailedPrecondition) as refused:
        call(servicer, who, other, "kunci-2")
    assert refused.value.reason == "IDEMPOTENCY_KEY_REUSED"
    assert [v.field for v in refused.value.violations] == ["idempotency_key"]
    assert gadgets(db, instansi, other) == []
    assert events(db, instansi) == 1


def test_keys_are_per_instansi_and_caller(db: Db) -> None:
    servicer = GadgetServicer(UnitOfWork.from_engine(db.app))
    a, b, name = new_id(), new_id(), body()
    in_a, in_b, other_in_a = person(a), person(b), person(a)
    answers = {call(servicer, who, name, "kunci-3")[0].value for who in (in_a, in_b, other_in_a)}
    assert len(answers) == 3
    assert len(gadgets(db, a, name)) == 2 and len(gadgets(db, b, name)) == 1


def test_an_error_is_not_remembered(db: Db) -> None:
    servicer = GadgetServicer(UnitOfWork.from_engine(db.app), fail_next=True)
    instansi, name = new_id(), body()
    who = person(instansi)
    with pytest.raises(DomainError):
        call(servicer, who, name, "kunci-4")
    assert gadgets(db, instansi, name) == [] and events(db, instansi) == 0
    answer, context = call(servicer, who, name, "kunci-4")  # the retry runs: the key was never kept
    assert gadgets(db, instansi, name) == [uuid.UUID(bytes=answer.value)]
    assert context.trailing == ()


def test_an_expired_key_runs_again_and_expired_keys_are_pruned_in_bounded_batches(db: Db) -> None:
    uow = UnitOfWork.from_engine(db.app, idempotency_retention_seconds=0)
    servicer = GadgetServicer(uow)
    instansi, name = new_id(), body()
    who = person(instansi)
    first, _ = call(servicer, who, name, "kunci-5")
    second, _ = call(servicer, who, name, "kunci-5")
    assert first.value != second.value and len(gadgets(db, instansi, name)) == 2
    with uow.transaction(tenant=instansi) as tx:
        for n in range(60):
            tx.session.execute(
                text(
                    "insert into idempotency_keys (instansi_id, subject, method, key, fingerprint, "
                    "response) values (:t, 's', 'M', :k, '', '')"
                ),
                {"t": instansi, "k": f"lama-{n}"},
            )
        tx.commit()
    with uow.transaction(tenant=instansi) as tx:
        assert prune(tx, 0, batch=50) == 50
        assert prune(tx, 0, batch=50) == 11  # the ten left and the key of the last call
        tx.commit()


def test_a_key_must_be_visible_ascii_of_at_most_100_characters() -> None:
    assert check_idempotency_key("7f1c-0a" + "x" * 93) == "7f1c-0a" + "x" * 93
    for bad in ("", " ", "a b", "kunci\n", "é", "x" * 101):
        with pytest.raises(InvalidArgument) as refused:
            check_idempotency_key(bad)
        assert [(v.field, v.code) for v in refused.value.violations] == [
            ("idempotency_key", "INVALID_IDEMPOTENCY_KEY")
        ]


def test_a_handlers_transactions_are_savepoints_of_the_call(db: Db) -> None:
    uow = UnitOfWork.from_engine(db.app)
    instansi, name = new_id(), body()

    def add(suffix: str) -> dict[str, Any]:
        return {"i": new_id(), "n": f"{name}-{suffix}"}

    insert = text("insert into gadgets (instansi_id, id, name) values (kinerja_current_instansi(), :i, :n)")
    with bind(principal=person(instansi)):
        with uow.call() as outer:
            with uow.transaction() as tx:
                tx.session.execute(insert, add("kept"))
                tx.commit()
            with pytest.raises(sa_exc.IntegrityError), uow.transaction() as tx:
                tx.session.execute(insert, add("rolled-back"))
                tx.session.execute(insert, {**add(""), "n": f"{name}-kept"})  # a unique violation
            with uow.transaction() as tx:
                tx.session.execute(insert, add("not-committed"))  # left without commit: rolled back
            with uow.transaction() as tx:
                assert (
                    tx.session.execute(
                        text("select count(*) from gadgets where name like :p"), {"p": f"{name}-%"}
                    ).scalar_one()
                    == 1
                )
            assert gadgets(db, instansi, name) == []  # nothing visible before the call commits
            outer.commit()
        assert len(gadgets(db, instansi, name)) == 1
        with uow.call() as outer, uow.transaction() as tx:
            tx.session.execute(insert, add("dropped"))
            tx.commit()  # released into a call that never commits
        assert len(gadgets(db, instansi, name)) == 1


class Base(DeclarativeBase):
    pass


class Gadget(Base):
    __tablename__ = "gadgets"
    instansi_id = Column(UUID(as_uuid=True), primary_key=True)
    id = Column(UUID(as_uuid=True), primary_key=True)
    name = Column(Text, nullable=False)


def test_a_failed_flush_rolls_back_only_its_savepoint(db: Db) -> None:
    """The services map a constraint violation at flush to a domain error, in the body or at commit."""
    uow = UnitOfWork.from_engine(db.app)
    instansi, name = new_id(), body()
    with bind(principal=person(instansi)), uow.call() as outer:
        with uow.transaction() as tx:
            tx.session.add(Gadget(instansi_id=instansi, id=new_id(), name=f"{name}-1"))
            tx.commit()
        with pytest.raises(ValueError), uow.transaction() as tx:
            tx.session.add(Gadget(instansi_id=instansi, id=new_id(), name=f"{name}-1"))
            try:
                tx.session.flush()
            except sa_exc.IntegrityError as err:
                raise ValueError("mapped") from err
        with pytest.raises(sa_exc.IntegrityError), uow.transaction() as tx:
            tx.session.add(Gadget(instansi_id=instansi, id=new_id(), name=f"{name}-1"))
            tx.commit()
        with uow.transaction() as tx:
            tx.session.add(Gadget(instansi_id=instansi, id=new_id(), name=f"{name}-2"))
            tx.commit()
        outer.commit()
    assert len(gadgets(db, instansi, name)) == 2
