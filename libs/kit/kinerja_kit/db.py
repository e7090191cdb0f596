"""Database layer: engines, the unit of work that owns commits and sets the tenant, and provisioning."""

from __future__ import annotations

import contextlib
import logging
import uuid
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass

from google.protobuf.message import Message
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, SessionTransaction, sessionmaker

from kinerja_kit.context import Principal, current_principal
from kinerja_kit.outbox import OutboxEvent, insert_outbox_rows

log = logging.getLogger(__name__)

TENANT_SETTING = "app.instansi_id"


CONNECT_TIMEOUT_SECONDS = 5
CONNECTION_LIVENESS = {
    "connect_timeout": CONNECT_TIMEOUT_SECONDS,
    "keepalives": 1,
    "keepalives_idle": 30,
    "keepalives_interval": 10,
    "keepalives_count": 3,
}


def make_engine(url: str, pool_size: int = 10, application_name: str = "kinerja") -> Engine:
    """A synchronous psycopg engine; connections check out healthy (pre-ping).

    Statement parameters are names, NIPs and what people typed: SQLAlchemy keeps them out of its error
    messages (hide_parameters), so an error that reaches a log cannot carry them.

    A database host that vanishes without refusing connections must not hang a call: connecting gives up
    after CONNECT_TIMEOUT_SECONDS, and TCP keepalives find a dead peer of an open connection in about
    a minute (libpq's keepalive parameters).
    """
    return create_engine(
        url,
        pool_size=pool_size,
        max_overflow=pool_size,
        pool_pre_ping=True,
        hide_parameters=True,
        connect_args={"application_name": application_name, **CONNECTION_LIVENESS},
    )


class Transaction:
    """One database transaction of a unit of work: its session, tenant and the events it will publish."""

    def __init__(
        self,
        session: Session,
        tenant: uuid.UUID | None,
        actor: Principal | None,
        savepoint: SessionTransaction | None = None,
    ) -> None:
        self.session = session
        self.tenant = tenant
        self.actor = actor
        self._events: list[OutboxEvent] = []
        self.committed = False
        # Set when this transaction is a savepoint of a call's enclosing transaction (UnitOfWork.call).
        self._savepoint = savepoint

    def set_tenant(self, tenant: uuid.UUID | None) -> None:
        """Confines the rest of this transaction to one instansi (RLS); None sees no tenant rows."""
        self.tenant = tenant
        self.session.execute(
            text("select set_config(:name, :value, true)"),
            {"name": TENANT_SETTING, "value": "" if tenant is None else str(tenant)},
        )

    def emit(
        self,
        topic: str,
        payload: Message,
        *,
        aggregate_type: str,
        aggregate_id: uuid.UUID | str,
        aggregate_version: int,
        instansi_id: uuid.UUID | None = None,
    ) -> OutboxEvent:
        """Queues an event; it is written to the outbox in this transaction, at commit."""
        instansi = instansi_id if instansi_id is not None else self.tenant
        if instansi is None:
            raise ValueError("an event needs an instansi")
        event = OutboxEvent.build(
            topic=topic,
            payload=payload,
            aggregate_type=aggregate_type,
            aggregate_id=str(aggregate_id),
            aggregate_version=aggregate_version,
            instansi_id=instansi,
            actor=self.actor,
        )
        self._events.append(event)
        return event

    @property
    def events(self) -> list[OutboxEvent]:
        return list(self._events)

    def commit(self) -> None:
        """Writes queued events to the outbox and commits, atomically (inside a call's enclosing
        transaction: releases the savepoint; the enclosing transaction commits it all at the end)."""
        if self._events:
            insert_outbox_rows(self.session, self._events)
        if self._savepoint is not None:
            self._savepoint.commit()
        else:
            self.session.commit()
        self.committed = True


@dataclass(frozen=True)
class _Enclosing:
    uow: UnitOfWork
    tx: Transaction


# The transaction a whole call runs in (UnitOfWork.call), when one is open in this context.
_enclosing: ContextVar[_Enclosing | None] = ContextVar("kinerja_enclosing_transaction", default=None)


@dataclass
class UnitOfWork:
    """Owns transactions: handlers never commit a session themselves, they call tx.commit()."""

    session_factory: sessionmaker[Session]
    # How long an idempotency key answers its first result (kinerja_kit.idempotency).
    idempotency_retention_seconds: float = 86400.0

    @classmethod
    def from_engine(cls, engine: Engine, idempotency_retention_seconds: float = 86400.0) -> UnitOfWork:
        return cls(
            sessionmaker(bind=engine, expire_on_commit=False, autoflush=True), idempotency_retention_seconds
        )

    @contextlib.contextmanager
    def transaction(
        self, tenant: uuid.UUID | str | None = "principal", actor: Principal | None = None
    ) -> Iterator[Transaction]:
        """Opens a transaction confined to `tenant` (default: the current principal's instansi).

        Without tx.commit() the transaction rolls back: nothing is half-written. Inside `call()` it is a
        savepoint of the call's transaction, with the same rules: commit releases it, anything else
        rolls it back.
        """
        principal = actor if actor is not None else current_principal.get()
        if tenant == "principal":
            tenant_id = principal.tenant_id if principal is not None else None
        else:
            tenant_id = tenant  # type: ignore[assignment]
        enclosing = _enclosing.get()
        if enclosing is not None and enclosing.uow is self:
            with self._savepoint(enclosing.tx, tenant_id, principal) as nested:
                yield nested
            return
        session = self.session_factory()
        try:
            tx = Transaction(session, None, principal)
            tx.set_tenant(tenant_id)
            yield tx
            if not tx.committed:
                session.rollback()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    @contextlib.contextmanager
    def call(self) -> Iterator[Transaction]:
        """One transaction enclosing everything a call does: each `transaction()` the handler opens
        inside (in this context) is a savepoint of it, and nothing is committed until the enclosing
        `tx.commit()`. An idempotent call claims its key, runs the handler and stores the answer in it,
        all or nothing. Rows locked by the handler stay locked until then."""
        if _enclosing.get() is not None:
            raise RuntimeError("a call's transaction is already open")
        with self.transaction() as tx:
            token = _enclosing.set(_Enclosing(self, tx))
            try:
                yield tx
            finally:
                _enclosing.reset(token)

    @staticmethod
    @contextlib.contextmanager
    def _savepoint(
        outer: Transaction, tenant: uuid.UUID | None, principal: Principal | None
    ) -> Iterator[Transaction]:
        savepoint = outer.session.begin_nested()
        tx = Transaction(outer.session, None, principal, savepoint)
        try:
            tx.set_tenant(tenant)
            yield tx
            if not tx.committed:
                savepoint.rollback()
        except BaseException:
            if not tx.committed:  # also after a failed flush, which leaves the savepoint to roll back
                savepoint.rollback()
            raise
        finally:
            # set_config(..., true) in a released savepoint lasts to the end of the enclosing transaction
            if tenant != outer.tenant and outer.session.is_active:
                outer.set_tenant(outer.tenant)


@dataclass(frozen=True)
class ServiceDatabase:
    """The URLs of one service's database: the owner (runs migrations) and the runtime role."""

    name: str
    owner_url: str
    app_url: str


def provision_service_database(admin_url: str, service: str, password: str = "kinerja") -> ServiceDatabase:
    """Creates (idempotently) a service's database, its owner role and its runtime role without BYPASSRLS."""
    db_name = f"kinerja_{service}"
    owner = f"kinerja_{service}_owner"
    app = f"kinerja_{service}_app"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            for role in (owner, app):
                exists = conn.execute(text("select 1 from pg_roles where rolname = :r"), {"r": role}).first()
                if not exists:
                    conn.execute(
                        text(
                            f'create role "{role}" login nosuperuser nobypassrls nocreatedb nocreaterole '
                            f"password '{password}'"
                        )
                    )
            exists = conn.execute(
                text("select 1 from pg_database where datname = :d"), {"d": db_name}
            ).first()
            if not exists:
                conn.execute(text(f'create database "{db_name}" owner "{owner}"'))
        db_admin_url = make_url(admin_url).set(database=db_name)
        db_admin = create_engine(db_admin_url, isolation_level="AUTOCOMMIT")
        try:
            with db_admin.connect() as conn:
                conn.execute(text(f'grant connect on database "{db_name}" to "{app}"'))
                conn.execute(text(f'alter schema public owner to "{owner}"'))
                conn.execute(text(f'grant usage on schema public to "{app}"'))
                conn.execute(
                    text(
                        f'alter default privileges for role "{owner}" in schema public '
                        f'grant select, insert, update, delete on tables to "{app}"'
                    )
                )
                conn.execute(
                    text(
                        f'alter default privileges for role "{owner}" in schema public '
                        f'grant usage, select on sequences to "{app}"'
                    )
                )
                conn.execute(
                    text(
                        f'alter default privileges for role "{owner}" in schema public '
                        f'grant execute on functions to "{app}"'
                    )
                )
        finally:
            db_admin.dispose()
    finally:
        admin.dispose()
    base = make_url(admin_url).set(database=db_name)
    owner_url = base.set(username=owner, password=password).render_as_string(hide_password=False)
    app_url = base.set(username=app, password=password).render_as_string(hide_password=False)
    return ServiceDatabase(db_name, owner_url, app_url)
