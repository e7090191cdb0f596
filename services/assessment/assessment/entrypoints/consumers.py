"""Kafka entrypoint: the projection consumer of skp's periode and SKP topics and org's unor topic."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC
from typing import Any

from assessment.adapters.inbound import periode_from_pb, skp_from_pb, unor_from_pb
from assessment.adapters.repository import SqlStore
from assessment.service_layer import projection
from kinerja.common.v1 import envelope_pb2
from kinerja.org.v1 import org_pb2
from kinerja.skp.v1 import skp_pb2
from kinerja_kit.consumer import EventConsumer, EventHandler
from kinerja_kit.db import Transaction, UnitOfWork

TOPIC_PERIODE = "kinerja.skp.periode.v1"
TOPIC_SKP = "kinerja.skp.skp.v1"
TOPIC_UNOR = "kinerja.org.unor.v1"
PROJECTION_TOPICS = (TOPIC_PERIODE, TOPIC_SKP, TOPIC_UNOR)
CONSUMER_NAME = "assessment.projection"

SKP_EVENTS = (
    skp_pb2.SkpCreated,
    skp_pb2.SkpUpdated,
    skp_pb2.SkpSnapshotRefreshed,
    skp_pb2.RhkChanged,
    skp_pb2.IndikatorChanged,
    skp_pb2.PerilakuChanged,
    skp_pb2.LampiranChanged,
    skp_pb2.SkpSubmitted,
    skp_pb2.SkpApproved,
    skp_pb2.SkpReturned,
    skp_pb2.SkpReset,
    skp_pb2.RencanaAksiChanged,
    skp_pb2.TargetBulananChanged,
)


def _on_skp(deleted: bool) -> EventHandler:
    def handle(tx: Transaction, envelope: envelope_pb2.EventEnvelope, payload: Any) -> None:
        skp = skp_from_pb(payload.skp, envelope.aggregate_version, deleted=deleted)
        occurred = envelope.occurred_at.ToDatetime(tzinfo=UTC) if envelope.HasField("occurred_at") else None
        projection.apply_skp(SqlStore(tx), skp, occurred)

    return handle


def _on_periode(deleted: bool) -> EventHandler:
    def handle(tx: Transaction, envelope: envelope_pb2.EventEnvelope, payload: Any) -> None:
        periode = periode_from_pb(payload.periode, envelope.aggregate_version, deleted=deleted)
        projection.apply_periode(SqlStore(tx), periode)

    return handle


def _on_unor(tx: Transaction, envelope: envelope_pb2.EventEnvelope, payload: Any) -> None:
    unor = unor_from_pb(payload.unor, uuid.UUID(envelope.instansi_id), envelope.aggregate_version)
    projection.apply_unor(SqlStore(tx), unor)


def _on_unor_deleted(tx: Transaction, envelope: envelope_pb2.EventEnvelope, payload: Any) -> None:
    store = SqlStore(tx)
    known = store.unor(uuid.UUID(payload.unor_id))
    if known is not None:
        gone = known.model_copy(update={"deleted": True, "version": envelope.aggregate_version})
        projection.apply_unor(store, gone)


def handlers() -> dict[type[Any], EventHandler]:
    found: dict[type[Any], EventHandler] = {cls: _on_skp(False) for cls in SKP_EVENTS}
    found[skp_pb2.SkpDeleted] = _on_skp(True)
    found[skp_pb2.PeriodeCreated] = _on_periode(False)
    found[skp_pb2.PeriodeUpdated] = _on_periode(False)
    found[skp_pb2.PeriodeDeleted] = _on_periode(True)
    found[org_pb2.UnorCreated] = _on_unor
    found[org_pb2.UnorUpdated] = _on_unor
    found[org_pb2.UnorDeleted] = _on_unor_deleted
    return found


def projection_consumer(
    uow: UnitOfWork,
    bootstrap_servers: str,
    *,
    name: str = CONSUMER_NAME,
    session_timeout_ms: int = 10_000,
    heartbeat_interval_ms: int = 3_000,
    consumer_factory: Callable[[], Any] | None = None,
) -> EventConsumer:
    """Applies skp's periode and SKP events and org's unor events to the projections, once per event."""
    return EventConsumer(
        name=name,
        topics=list(PROJECTION_TOPICS),
        uow=uow,
        handlers=handlers(),
        bootstrap_servers=bootstrap_servers,
        session_timeout_ms=session_timeout_ms,
        heartbeat_interval_ms=heartbeat_interval_ms,
        consumer_factory=consumer_factory,
    )
