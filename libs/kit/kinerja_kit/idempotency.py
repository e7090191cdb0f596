"""Idempotent creates: a call retried with the same idempotency key answers the first call's result.

A client sends a key (gRPC metadata `idempotency-key`, checked and bound by the `CallerInterceptor`;
the gateway sends a mutation's `clientMutationId` there). A servicer method opts in with `@idempotent`.
With a key, the whole call runs in one enclosing transaction (`UnitOfWork.call`):

1. the key is claimed first: a row of `idempotency_keys` (instansi, the caller's subject, method, key)
   inserted with `ON CONFLICT DO NOTHING`. A concurrent twin blocks on the uncommitted row, then sees
   the conflict once the first commits (or claims the key itself if the first failed and rolled back);
2. the handler runs; its own transactions are savepoints of the enclosing one;
3. the serialized response is stored in the claimed row and everything commits together.

So a key is either unused, or bound to one committed change and its exact answer: a call that finds
the key taken is not run again and answers those stored bytes (whatever changed since). A key taken
by a different request (another body, compared by a SHA-256 of the request's deterministic bytes) is
refused with FAILED_PRECONDITION `IDEMPOTENCY_KEY_REUSED`. An error is not remembered: the claim rolls
back with it, so a retry runs again. Keys are scoped to the instansi (RLS), the caller and the method,
and expire after `UnitOfWork.idempotency_retention_seconds` (setting `IDEMPOTENCY_RETENTION_SECONDS`):
each claim first deletes a bounded batch of its instansi's expired keys, and an expired key found on
a claim is replaced. Without a key a call runs as before: each call creates.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol, TypeVar

import grpc
from google.protobuf import descriptor_pool, message_factory
from google.protobuf.message import Message
from sqlalchemy import Column, DateTime, Index, LargeBinary, MetaData, Table, Text, func, text
from sqlalchemy.dialects.postgresql import UUID

from kinerja_kit.context import current_idempotency_key, current_principal
from kinerja_kit.db import Transaction, UnitOfWork
from kinerja_kit.errors import FailedPrecondition, FieldViolation

TABLE = "idempotency_keys"
# Expired keys of the caller's instansi deleted by one claim (the rest wait for the next claims).
PRUNE_BATCH = 50
# Trailing metadata on an answer replayed from a stored result.
REPLAYED_METADATA = "idempotency-replayed"

idempotency_metadata = MetaData()

idempotency_keys_table = Table(
    TABLE,
    idempotency_metadata,
    Column("instansi_id", UUID(as_uuid=True), primary_key=True),
    Column("subject", Text, primary_key=True),
    Column("method", Text, primary_key=True),
    Column("key", Text, primary_key=True),
    Column("fingerprint", LargeBinary, nullable=False),
    Column("response_type", Text, nullable=False, server_default=""),
    # NULL only inside the claiming transaction: a committed key always holds its answer.
    Column("response", LargeBinary),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)
Index("idempotency_keys_created", idempotency_keys_table.c.instansi_id, idempotency_keys_table.c.created_at)


def key_reused() -> FailedPrecondition:
    message = (
        "Kunci idempotensi (clientMutationId) ini sudah dipakai untuk permintaan lain; "
        "gunakan kunci baru untuk permintaan yang berbeda."
    )
    return FailedPrecondition(
        "IDEMPOTENCY_KEY_REUSED",
        message,
        [FieldViolation("idempotency_key", "IDEMPOTENCY_KEY_REUSED", message)],
    )


def fingerprint(request: Message) -> bytes:
    """What makes two requests the same: their deterministic bytes, hashed."""
    return hashlib.sha256(request.SerializeToString(deterministic=True)).digest()


@dataclass(frozen=True)
class Claim:
    """One call's key: whose (the transaction's instansi and the caller's subject), for which method."""

    subject: str
    method: str
    key: str
    fingerprint: bytes

    def _params(self, tx: Transaction) -> dict[str, object]:
        return {"t": tx.tenant, "s": self.subject, "m": self.method, "k": self.key}


@dataclass(frozen=True)
class FirstResult:
    fingerprint: bytes
    response_type: str
    response: bytes


def claim(tx: Transaction, wanted: Claim, retention_seconds: float) -> FirstResult | None:
    """Claims the key in `tx`: None when this call holds it now (run, then `store`), or the first call's
    stored result. Blocks while a concurrent call holding the key has not finished."""
    prune(tx, retention_seconds)
    params = {**wanted._params(tx), "f": wanted.fingerprint, "r": retention_seconds}
    for _ in range(3):
        inserted = tx.session.execute(
            text(
                f"insert into {TABLE} (instansi_id, subject, method, key, fingerprint) "
                "values (:t, :s, :m, :k, :f) on conflict do nothing returning 1"
            ),
            params,
        ).first()
        if inserted is not None:
            return None
        found = tx.session.execute(
            text(
                f"select fingerprint, response_type, response, created_at, "
                "created_at < now() - make_interval(secs => :r) as expired "
                f"from {TABLE} where instansi_id = :t and subject = :s and method = :m and key = :k"
            ),
            params,
        ).first()
        if found is None:
            continue  # pruned by another call meanwhile: claim it again
        if found.expired:
            tx.session.execute(
                text(
                    f"delete from {TABLE} where instansi_id = :t and subject = :s and method = :m "
                    "and key = :k and created_at = :c"
                ),
                {**params, "c": found.created_at},
            )
            continue
        return FirstResult(bytes(found.fingerprint), found.response_type, bytes(found.response or b""))
    raise RuntimeError("idempotency key neither claimed nor found")


def store(tx: Transaction, wanted: Claim, response: Message) -> None:
    """Keeps the answer with the claimed key, in the claiming transaction."""
    tx.session.execute(
        text(
            f"update {TABLE} set response_type = :rt, response = :rb "
            "where instansi_id = :t and subject = :s and method = :m and key = :k"
        ),
        {**wanted._params(tx), "rt": response.DESCRIPTOR.full_name, "rb": response.SerializeToString()},
    )


def prune(tx: Transaction, retention_seconds: float, batch: int = PRUNE_BATCH) -> int:
    """Deletes at most `batch` expired keys of the transaction's instansi (rows another call is deleting
    are skipped, not waited for); returns how many."""
    deleted = tx.session.execute(
        text(
            f"delete from {TABLE} where ctid = any(array("
            f"select ctid from {TABLE} where instansi_id = :t "
            "and created_at < now() - make_interval(secs => :r) "
            "order by created_at limit :n for update skip locked))"
        ),
        {"t": tx.tenant, "r": retention_seconds, "n": batch},
    )
    return int(deleted.rowcount or 0)  # type: ignore[attr-defined]


def replayed(first: FirstResult) -> Message:
    """The stored answer as the message it was."""
    descriptor = descriptor_pool.Default().FindMessageTypeByName(first.response_type)
    answer: Message = message_factory.GetMessageClass(descriptor)()
    answer.ParseFromString(first.response)
    return answer


class UsesUnitOfWork(Protocol):
    """A servicer whose handlers write through one unit of work."""

    @property
    def uow(self) -> UnitOfWork: ...


S = TypeVar("S", bound=UsesUnitOfWork)
Q = TypeVar("Q", bound=Message)
R = TypeVar("R", bound=Message)


def idempotent(
    method: Callable[[S, Q, grpc.ServicerContext], R],
) -> Callable[[S, Q, grpc.ServicerContext], R]:
    """Opts a servicer method in: with an idempotency key, a retry answers the first call's result."""
    name = method.__name__

    @functools.wraps(method)
    def call(self: S, request: Q, context: grpc.ServicerContext) -> R:
        key = current_idempotency_key.get()
        principal = current_principal.get()
        if not key or principal is None:
            return method(self, request, context)
        uow = self.uow
        wanted = Claim(principal.subject, name, key, fingerprint(request))
        with uow.call() as tx:
            first = claim(tx, wanted, uow.idempotency_retention_seconds)
            if first is not None:
                if first.fingerprint != wanted.fingerprint:
                    raise key_reused()
                tx.commit()  # keeps what the claim pruned
                context.set_trailing_metadata(((REPLAYED_METADATA, "true"),))
                answer: R = replayed(first)  # type: ignore[assignment]
                return answer
            response = method(self, request, context)
            store(tx, wanted, response)
            tx.commit()
            return response

    return call
