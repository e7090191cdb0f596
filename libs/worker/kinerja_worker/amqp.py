"""The AMQP side of the worker tier: the queues' topology and `AmqpJobQueue`, the port's adapter.

Publishing goes through nameko's own publisher (`nameko.amqp.publish`, what its standalone dispatchers use):
publisher confirms, persistent messages, kombu's connection pool. It imports no eventlet, so a gRPC service
process can enqueue without running on eventlet.
"""

from __future__ import annotations

import os
from typing import Any

from kombu import Connection, Exchange, Queue
from nameko.amqp.publish import Publisher

from kinerja_worker.port import Payload, encode_body, new_job_id

DEFAULT_AMQP_URI = "amqp://guest:guest@127.0.0.1:5672/"
# One durable direct exchange; each queue is bound by its own name, its dead-letter queue by `<queue>.dlq`.
JOBS_EXCHANGE = Exchange("kinerja.jobs", type="direct", durable=True)
HEADER_PREFIX = "kinerja"
PERSISTENT = 2


def amqp_uri() -> str:
    """env AMQP_URI, or the local RabbitMQ (guest/guest on 127.0.0.1:5672)."""
    return os.environ.get("AMQP_URI") or DEFAULT_AMQP_URI


def job_queue(name: str) -> Queue:
    return Queue(name, exchange=JOBS_EXCHANGE, routing_key=name, durable=True)


def dead_letter_queue(name: str) -> Queue:
    """Where a job of `name` goes after its last failed attempt, with the error in its headers."""
    return Queue(f"{name}.dlq", exchange=JOBS_EXCHANGE, routing_key=f"{name}.dlq", durable=True)


def header(name: str) -> str:
    return f"{HEADER_PREFIX}.{name}"


def publisher(uri: str) -> Publisher:
    return Publisher(
        uri, exchange=JOBS_EXCHANGE, serializer="json", use_confirms=True, delivery_mode=PERSISTENT
    )


class AmqpJobQueue:
    """`JobQueue` on RabbitMQ: a persistent message on `queue` (declared with its dead-letter queue),
    confirmed by the broker before `enqueue` returns."""

    def __init__(self, uri: str | None = None) -> None:
        self._uri = uri or amqp_uri()
        self._publisher = publisher(self._uri)

    def enqueue(self, queue: str, job: str, payload: Payload, *, key: str | None = None) -> str:
        job_id = new_job_id()
        headers: dict[str, Any] = {header("job_id"): job_id, header("job"): job, header("attempt"): 1}
        if key is not None:
            headers[header("key")] = key
        self._publisher.publish(
            encode_body(job, payload),
            routing_key=queue,
            headers=headers,
            message_id=job_id,
            declare=[job_queue(queue), dead_letter_queue(queue)],
        )
        return job_id


def check_reachable(uri: str, timeout: float = 2.0) -> None:
    """Opens and closes one connection; raises ConnectionError saying how to get RabbitMQ when it fails."""
    connection = Connection(uri, connect_timeout=timeout)
    try:
        connection.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=timeout)
    except Exception as exc:
        shown = connection.as_uri(include_password=False)
        raise ConnectionError(
            f"RabbitMQ is not reachable at {shown} ({type(exc).__name__}: {exc}).\n"
            "The workers need it. Start it with `rabbitmq-server -detached` (install it first with "
            "`apt-get install -y rabbitmq-server`), or point AMQP_URI at another server "
            "(amqp://USER:PASSWORD@HOST:5672/VHOST)."
        ) from exc
    finally:
        connection.release()
