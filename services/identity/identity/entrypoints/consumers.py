"""Kafka entrypoint: the consumer of org's pegawai topic that keeps accounts in step."""

from __future__ import annotations

from identity.service_layer import pegawai_sync
from kinerja.org.v1 import org_pb2
from kinerja_kit.consumer import EventConsumer
from kinerja_kit.db import UnitOfWork

PEGAWAI_TOPIC = "kinerja.org.pegawai.v1"
CONSUMER_NAME = "identity.pegawai-accounts"


def pegawai_consumer(
    uow: UnitOfWork,
    bootstrap_servers: str,
    *,
    name: str = CONSUMER_NAME,
    session_timeout_ms: int = 10_000,
    heartbeat_interval_ms: int = 3_000,
) -> EventConsumer:
    """Applies PegawaiCreated/Updated/Removed to accounts, exactly once per event."""
    return EventConsumer(
        name=name,
        topics=[PEGAWAI_TOPIC],
        uow=uow,
        handlers={
            org_pb2.PegawaiCreated: pegawai_sync.on_pegawai_created,
            org_pb2.PegawaiUpdated: pegawai_sync.on_pegawai_updated,
            org_pb2.PegawaiRemoved: pegawai_sync.on_pegawai_removed,
        },
        batch_handlers={org_pb2.PegawaiCreated: pegawai_sync.on_pegawai_created_many},
        bootstrap_servers=bootstrap_servers,
        session_timeout_ms=session_timeout_ms,
        heartbeat_interval_ms=heartbeat_interval_ms,
    )
