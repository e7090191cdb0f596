"""Kafka entrypoint: the consumer of assessment's PredikatDitetapkan (every other type is skipped)."""

from __future__ import annotations

import uuid
from typing import Any

from angka_kredit.adapters.repository import SqlStore
from angka_kredit.service_layer.konversi import apply_predikat
from kinerja.assessment.v1 import assessment_pb2
from kinerja.common.v1 import envelope_pb2
from kinerja_kit.consumer import EventConsumer
from kinerja_kit.db import Transaction, UnitOfWork

TOPIC_PENILAIAN = "kinerja.assessment.penilaian.v1"
CONSUMED_TOPICS = (TOPIC_PENILAIAN,)
CONSUMER_NAME = "angka_kredit.predikat"


def _on_predikat(tx: Transaction, envelope: envelope_pb2.EventEnvelope, payload: Any) -> None:
    apply_predikat(SqlStore(tx), uuid.UUID(envelope.instansi_id), payload)


def predikat_consumer(
    uow: UnitOfWork,
    bootstrap_servers: str,
    *,
    name: str = CONSUMER_NAME,
    session_timeout_ms: int = 10_000,
    heartbeat_interval_ms: int = 3_000,
) -> EventConsumer:
    return EventConsumer(
        name=name,
        topics=CONSUMED_TOPICS,
        uow=uow,
        handlers={assessment_pb2.PredikatDitetapkan: _on_predikat},
        bootstrap_servers=bootstrap_servers,
        session_timeout_ms=session_timeout_ms,
        heartbeat_interval_ms=heartbeat_interval_ms,
    )
