"""Kafka client factories: the one place that holds kafka-python producer, consumer and admin settings."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from kafka import ConsumerRebalanceListener, KafkaAdminClient, KafkaConsumer, KafkaProducer
from kafka.consumer.subscription_state import TopicPartitionState
from kafka.errors import KafkaError, TopicAlreadyExistsError, UnknownTopicOrPartitionError, for_code

__all__ = [
    "BROKER_ERRORS",
    "DLQ_SUFFIX",
    "dlq_topic",
    "ensure_topics",
    "make_admin",
    "make_consumer",
    "make_producer",
    "topic_exists",
]

log = logging.getLogger(__name__)

DLQ_SUFFIX = ".dlq"

# What a broker outage or restart raises from kafka-python (KafkaTimeoutError and NoBrokersAvailable are
# KafkaError subclasses); a client that raised one is closed and recreated.
BROKER_ERRORS: tuple[type[BaseException], ...] = (KafkaError, ConnectionError, TimeoutError)


def dlq_topic(topic: str) -> str:
    """The dead-letter topic of `topic`."""
    return f"{topic}{DLQ_SUFFIX}"


def make_producer(bootstrap: str, **overrides: Any) -> KafkaProducer:
    """An idempotent acks=all producer of raw bytes (keys and values are serialized by the caller).

    Timeouts are bounded so that a dead broker fails a send within seconds instead of blocking a minute.
    """
    config: dict[str, Any] = {
        "bootstrap_servers": bootstrap,
        "client_id": "kinerja-producer",
        "acks": "all",
        "enable_idempotence": True,
        "retries": 5,
        "max_in_flight_requests_per_connection": 5,
        "linger_ms": 5,
        "compression_type": None,
        "batch_size": 64 * 1024,
        "request_timeout_ms": 10_000,
        "delivery_timeout_ms": 30_000,
        "max_block_ms": 10_000,
        "bootstrap_timeout_ms": 10_000,
        "reconnect_backoff_max_ms": 2_000,
    }
    config.update(overrides)
    return KafkaProducer(**config)


def make_consumer(
    bootstrap: str,
    group_id: str,
    topics: Iterable[str],
    *,
    session_timeout_ms: int = 10_000,
    heartbeat_interval_ms: int = 3_000,
    max_poll_records: int = 100,
    **overrides: Any,
) -> KafkaConsumer:
    """A group consumer of raw bytes that commits offsets explicitly and starts new groups at the beginning.

    tansu makes a group join wait about half of `session_timeout_ms`: tests use 3000 with heartbeat 1000.
    """
    config: dict[str, Any] = {
        "bootstrap_servers": bootstrap,
        "client_id": f"kinerja-{group_id}",
        "group_id": group_id,
        "enable_auto_commit": False,
        "auto_offset_reset": "earliest",
        "session_timeout_ms": session_timeout_ms,
        "heartbeat_interval_ms": heartbeat_interval_ms,
        "max_poll_records": max_poll_records,
        "max_poll_interval_ms": 300_000,
        # A request that hangs (tansu can leave a SyncGroup unanswered after a restart) fails and is
        # retried after this long; kafka-python wants it above the session timeout.
        "request_timeout_ms": session_timeout_ms + 5_000,
        "bootstrap_timeout_ms": 10_000,
        "reconnect_backoff_max_ms": 2_000,
    }
    config.update(overrides)
    consumer = KafkaConsumer(**config)
    topic_list = list(topics)
    if topic_list:
        consumer.subscribe(topic_list, listener=StartFromCommitted(consumer))
    return consumer


class StartFromCommitted(ConsumerRebalanceListener):  # type: ignore[misc]
    """On every assignment, start each partition at the group's committed offset, or at the beginning.

    kafka-python 3 keeps the in-memory position of a partition that stays assigned across a rebalance.
    After a broker restart that lost topics and offsets (tansu's memory storage) that position points
    into the old log, and the recreated topic's first records would be skipped. Giving each assigned
    partition a fresh state makes the fetcher look up the committed offset (or apply
    auto_offset_reset), as the eager rebalance protocol does; records read again are absorbed by the
    consumer's dedupe. The listener runs on the client's IO thread, so it must not block (no
    `committed()` call here). Pinned to kafka-python 3.0.x, whose SubscriptionState this touches.
    """

    def __init__(self, consumer: KafkaConsumer) -> None:
        self._consumer = consumer

    def on_partitions_revoked(self, revoked: Any) -> None:
        return None

    def on_partitions_assigned(self, assigned: Any) -> None:
        # Which member holds which partitions, for operators scaling a consumer group (one line per rebalance).
        log.info(
            "partitions assigned: %s",
            ", ".join(sorted(f"{tp.topic}[{tp.partition}]" for tp in assigned)) or "none",
        )
        subscription = getattr(self._consumer, "_subscription", None)
        states = getattr(subscription, "assignment", None)
        if states is None:
            return
        for partition in assigned:
            if partition in states:
                states[partition] = TopicPartitionState()


def make_admin(bootstrap: str, **overrides: Any) -> KafkaAdminClient:
    """An admin client with short timeouts."""
    config: dict[str, Any] = {
        "bootstrap_servers": bootstrap,
        "client_id": "kinerja-admin",
        "request_timeout_ms": 10_000,
        "bootstrap_timeout_ms": 10_000,
    }
    config.update(overrides)
    return KafkaAdminClient(**config)


def ensure_topics(
    bootstrap: str,
    topics: Iterable[str],
    partitions: int = 3,
    replication_factor: int = 1,
    *,
    admin: KafkaAdminClient | None = None,
) -> list[str]:
    """Creates the topics that do not exist yet (idempotent) and returns the ones it created.

    tansu auto-creates a topic on first use with 4 partitions; call this first where the count matters.
    With `admin`, that client is used (and left open) instead of a new one.
    """
    wanted = list(dict.fromkeys(topics))
    if not wanted:
        return []
    client = admin or make_admin(bootstrap)
    try:
        existing = set(client.list_topics())
        missing = [name for name in wanted if name not in existing]
        if not missing:
            return []
        result = client.create_topics(
            {
                name: {"num_partitions": partitions, "replication_factor": replication_factor}
                for name in missing
            },
            raise_errors=False,
        )
        created: list[str] = []
        for topic in result.get("topics", []):
            code = topic.get("error_code", 0)
            if code == 0:
                created.append(topic.get("name"))
                continue
            error = for_code(code)
            if error is TopicAlreadyExistsError:
                continue
            raise error(f"creating topic {topic.get('name')!r}: {topic.get('error_message')}")
        if created:
            log.info("created topics %s (%d partitions)", created, partitions)
        return created
    finally:
        if admin is None:
            client.close()


def topic_exists(admin: KafkaAdminClient, topic: str) -> bool:
    """Whether `topic` exists, asked with a metadata request that forbids auto-creation.

    Asking about one topic stays cheap on a cluster with many. Both Kafka and tansu create a topic that a
    producer or consumer merely asks about, so this must not go through those clients.
    """
    for described in admin.describe_topics([topic]):
        if described.get("name") != topic:
            continue
        code = described.get("error_code", 0)
        if code == 0:
            return True
        error = for_code(code)
        if error is UnknownTopicOrPartitionError:
            return False
        raise error(f"describing topic {topic!r}")
    return False
