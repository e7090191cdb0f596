"""Infrastructure harness: PostgreSQL, Kafka-protocol broker and RabbitMQ for `make run` and the pytest fixtures."""

from kinerja_testing.infra.broker import (
    BrokerHandle,
    ContainerKafka,
    ExternalBroker,
    TansuBroker,
    committed_offsets,
    create_topics,
    end_offsets,
    external_or_embedded_broker,
    group_members,
    tansu_binary,
    wait_for_broker,
)
from kinerja_testing.infra.docker import docker_engine_available
from kinerja_testing.infra.ports import free_port, port_is_open
from kinerja_testing.infra.postgres import (
    ContainerPostgres,
    EmbeddedPostgres,
    ExternalPostgres,
    PostgresHandle,
    external_or_embedded_postgres,
    normalize_postgres_url,
)
from kinerja_testing.infra.rabbitmq import DEFAULT_AMQP_URI, RabbitMQUnavailable, amqp_uri, check_rabbitmq

__all__ = [
    "DEFAULT_AMQP_URI",
    "BrokerHandle",
    "ContainerKafka",
    "ContainerPostgres",
    "EmbeddedPostgres",
    "ExternalBroker",
    "ExternalPostgres",
    "PostgresHandle",
    "RabbitMQUnavailable",
    "TansuBroker",
    "amqp_uri",
    "check_rabbitmq",
    "committed_offsets",
    "create_topics",
    "docker_engine_available",
    "end_offsets",
    "external_or_embedded_broker",
    "external_or_embedded_postgres",
    "free_port",
    "group_members",
    "normalize_postgres_url",
    "port_is_open",
    "tansu_binary",
    "wait_for_broker",
]
