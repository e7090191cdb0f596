"""Tests for the tansu broker harness: produce/consume with acks='all', restart on the same port."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer, TopicPartition

from kinerja_testing.infra import (
    ExternalBroker,
    TansuBroker,
    create_topics,
    external_or_embedded_broker,
    port_is_open,
)

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TansuBroker]:
    log = tmp_path_factory.mktemp("tansu") / "tansu.log"
    b = TansuBroker(log_path=log)
    b.start()
    yield b
    b.stop()


def _topics(bootstrap: str) -> set[str]:
    admin = KafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=5000)
    try:
        return set(admin.list_topics())
    finally:
        admin.close()


def _produce(bootstrap: str, topic: str, value: bytes) -> None:
    producer = KafkaProducer(bootstrap_servers=bootstrap, acks="all", request_timeout_ms=5000)
    try:
        producer.send(topic, value, partition=0).get(timeout=10)
    finally:
        producer.close()


def _consume_assigned(bootstrap: str, topic: str) -> list[bytes]:
    consumer = KafkaConsumer(
        bootstrap_servers=bootstrap, auto_offset_reset="earliest", consumer_timeout_ms=5000
    )
    try:
        consumer.assign([TopicPartition(topic, 0)])
        consumer.seek_to_beginning()
        for message in consumer:
            return [message.value]
        return []
    finally:
        consumer.close()


def test_start_and_bootstrap(broker: TansuBroker) -> None:
    assert broker.is_running()
    assert broker.bootstrap_servers == f"127.0.0.1:{broker.port}"
    assert port_is_open("127.0.0.1", broker.port)


def test_create_topics_idempotent(broker: TansuBroker) -> None:
    name = f"t-{uuid.uuid4().hex[:8]}"
    create_topics(broker.bootstrap_servers, [name], partitions=3)
    create_topics(broker.bootstrap_servers, [name, f"{name}-b"], partitions=3)
    admin = KafkaAdminClient(bootstrap_servers=broker.bootstrap_servers)
    try:
        described = {d["name"]: len(d["partitions"]) for d in admin.describe_topics([name, f"{name}-b"])}
    finally:
        admin.close()
    assert described == {name: 3, f"{name}-b": 3}


def test_produce_consume_acks_all(broker: TansuBroker) -> None:
    topic = f"pc-{uuid.uuid4().hex[:8]}"
    create_topics(broker.bootstrap_servers, [topic])
    _produce(broker.bootstrap_servers, topic, b"hello")
    assert _consume_assigned(broker.bootstrap_servers, topic) == [b"hello"]


def test_restart_same_port_new_clients_work(broker: TansuBroker) -> None:
    topic = f"rs-{uuid.uuid4().hex[:8]}"
    create_topics(broker.bootstrap_servers, [topic])
    _produce(broker.bootstrap_servers, topic, b"before")
    port, pid = broker.port, broker.pid

    broker.restart()
    assert broker.port == port and broker.pid != pid and broker.is_running()
    assert topic not in _topics(broker.bootstrap_servers)  # memory storage: everything is gone

    create_topics(broker.bootstrap_servers, [topic])
    _produce(broker.bootstrap_servers, topic, b"after")
    consumer = KafkaConsumer(
        topic,
        bootstrap_servers=broker.bootstrap_servers,
        group_id=f"g-{uuid.uuid4().hex[:8]}",  # fresh group id (tansu quirk)
        auto_offset_reset="earliest",
        session_timeout_ms=3000,
        heartbeat_interval_ms=1000,
        consumer_timeout_ms=10000,
    )
    values: list[bytes] = []
    try:
        for message in consumer:
            values.append(message.value)
            break
    finally:
        consumer.close()
    assert values == [b"after"]


def test_stop_is_idempotent(tmp_path: Path) -> None:
    b = TansuBroker()
    b.start()
    assert b.is_running()
    b.stop()
    b.stop()
    assert not b.is_running()
    assert not port_is_open("127.0.0.1", b.port)


def test_env_bootstrap_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KAFKA_BOOTSTRAP_SERVERS", "kafka.example:9092")
    handle = external_or_embedded_broker()
    assert isinstance(handle, ExternalBroker)
    assert handle.bootstrap_servers == "kafka.example:9092"
    handle.stop()
