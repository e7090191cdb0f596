"""The transactional outbox: events written with the state change, published later by the relay."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from google.protobuf import any_pb2, timestamp_pb2
from google.protobuf.message import Message
from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Integer,
    LargeBinary,
    MetaData,
    Table,
    Text,
    func,
    insert,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Session

from kinerja.common.v1 import envelope_pb2
from kinerja_kit.context import Principal, current_request_id
from kinerja_kit.ids import new_id

outbox_metadata = MetaData()

outbox_table = Table(
    "outbox",
    outbox_metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("topic", Text, nullable=False),
    Column("event_type", Text, nullable=False),
    Column("instansi_id", UUID(as_uuid=True), nullable=False),
    Column("aggregate_type", Text, nullable=False),
    Column("aggregate_id", Text, nullable=False),
    Column("aggregate_version", BigInteger, nullable=False),
    Column("envelope", LargeBinary, nullable=False),
    Column("headers", JSONB, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("sent_at", DateTime(timezone=True)),
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("last_error", Text),
)

processed_events_table = Table(
    "processed_events",
    outbox_metadata,
    Column("consumer", Text, primary_key=True),
    Column("event_id", UUID(as_uuid=True), primary_key=True),
    Column("processed_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)


@dataclass(frozen=True)
class OutboxEvent:
    """One event ready for the outbox: the envelope bytes plus the columns the relay routes by."""

    id: uuid.UUID
    topic: str
    event_type: str
    instansi_id: uuid.UUID
    aggregate_type: str
    aggregate_id: str
    aggregate_version: int
    envelope: envelope_pb2.EventEnvelope

    @classmethod
    def build(
        cls,
        *,
        topic: str,
        payload: Message,
        aggregate_type: str,
        aggregate_id: str,
        aggregate_version: int,
        instansi_id: uuid.UUID,
        actor: Principal | None,
        occurred_at: datetime | None = None,
    ) -> OutboxEvent:
        event_id = new_id()
        packed = any_pb2.Any()
        packed.Pack(payload)
        occurred = timestamp_pb2.Timestamp()
        occurred.FromDatetime(occurred_at or datetime.now(UTC))
        envelope = envelope_pb2.EventEnvelope(
            event_id=str(event_id),
            event_type=payload.DESCRIPTOR.full_name,
            instansi_id=str(instansi_id),
            aggregate_type=aggregate_type,
            aggregate_id=aggregate_id,
            aggregate_version=aggregate_version,
            occurred_at=occurred,
            actor=envelope_pb2.Actor(
                subject=actor.subject if actor else "system",
                nip=actor.username if actor else "",
                roles=sorted(actor.roles) if actor else [],
            ),
            trace_id=current_request_id.get(),
            payload=packed,
        )
        return cls(
            id=event_id,
            topic=topic,
            event_type=payload.DESCRIPTOR.full_name,
            instansi_id=instansi_id,
            aggregate_type=aggregate_type,
            aggregate_id=aggregate_id,
            aggregate_version=aggregate_version,
            envelope=envelope,
        )

    def headers(self) -> dict[str, str]:
        return {
            "event_id": str(self.id),
            "event_type": self.event_type,
            "instansi_id": str(self.instansi_id),
            "content-type": "application/x-protobuf",
        }


def insert_outbox_rows(session: Session, events: list[OutboxEvent]) -> None:
    """Inserts events into the outbox within the session's transaction."""
    session.execute(
        insert(outbox_table),
        [
            {
                "id": e.id,
                "topic": e.topic,
                "event_type": e.event_type,
                "instansi_id": e.instansi_id,
                "aggregate_type": e.aggregate_type,
                "aggregate_id": e.aggregate_id,
                "aggregate_version": e.aggregate_version,
                "envelope": e.envelope.SerializeToString(),
                "headers": e.headers(),
            }
            for e in events
        ],
    )


def unpack_payload(envelope: envelope_pb2.EventEnvelope, message_type: type[Message]) -> Message:
    """Decodes the envelope's payload as `message_type`."""
    message = message_type()
    if not envelope.payload.Unpack(message):
        raise ValueError(f"payload is {envelope.payload.TypeName()}, not {message_type.DESCRIPTOR.full_name}")
    return message
