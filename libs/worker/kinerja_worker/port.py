"""The port a service enqueues background jobs through, the job a worker receives, and an in-memory fake.

No nameko, eventlet or kombu here: a service depends on `JobQueue` only, and its bootstrap wires the AMQP
adapter (`kinerja_worker.amqp.AmqpJobQueue`) or, in unit tests, `InMemoryJobQueue`.
"""

from __future__ import annotations

import base64
import dataclasses
import json
import uuid
from collections.abc import Mapping
from typing import Any, Protocol

Payload = bytes | Mapping[str, Any]


@dataclasses.dataclass(frozen=True)
class Job:
    """One job as a worker's handler receives it.

    `key` is the caller's idempotency key (e.g. the document request id): a job may be delivered more than
    once (its worker died after doing the work but before the acknowledgement), so a handler whose effect
    must happen once checks `key` (or `id`) against what it already stored.
    """

    id: str
    queue: str
    name: str
    payload: bytes | dict[str, Any]
    key: str | None = None
    # 1 on the first delivery; a failed job is enqueued again with attempt + 1 (up to the handler's limit).
    attempt: int = 1
    # True when the broker delivers it again after a worker died holding it unacknowledged.
    redelivered: bool = False


class JobQueue(Protocol):
    """Where a service puts work for its workers."""

    def enqueue(self, queue: str, job: str, payload: Payload, *, key: str | None = None) -> str:
        """Enqueues `job` (a handler's name) with `payload` on `queue`; returns the job id."""
        ...


def new_job_id() -> str:
    return str(uuid.uuid4())


def encode_body(job: str, payload: Payload) -> dict[str, Any]:
    """The JSON body of a job message: its name and its payload (bytes travel as base64)."""
    if isinstance(payload, bytes | bytearray):
        return {"job": job, "payload_base64": base64.b64encode(bytes(payload)).decode("ascii")}
    # Fail here, in the caller, rather than in a worker: the payload must be JSON.
    json.dumps(dict(payload))
    return {"job": job, "payload": dict(payload)}


def decode_payload(body: Mapping[str, Any]) -> bytes | dict[str, Any]:
    if "payload_base64" in body:
        return base64.b64decode(body["payload_base64"])
    return dict(body.get("payload") or {})


class InMemoryJobQueue:
    """A `JobQueue` for unit tests: keeps what was enqueued, per queue, in order; `take` hands jobs out."""

    def __init__(self) -> None:
        self._queues: dict[str, list[Job]] = {}

    def enqueue(self, queue: str, job: str, payload: Payload, *, key: str | None = None) -> str:
        body = encode_body(job, payload)
        item = Job(id=new_job_id(), queue=queue, name=job, payload=decode_payload(body), key=key)
        self._queues.setdefault(queue, []).append(item)
        return item.id

    def pending(self, queue: str) -> list[Job]:
        """The jobs waiting on `queue`, oldest first."""
        return list(self._queues.get(queue, []))

    def take(self, queue: str) -> Job | None:
        """Removes and returns the oldest job of `queue` (None when it is empty), as a worker would."""
        jobs = self._queues.get(queue)
        return jobs.pop(0) if jobs else None
