"""What a worker service declares its handlers with: `@job(queue, name)` for enqueued jobs, `@timer` for
scheduled ones (nameko's own).

    class DocumentsWorker:
        name = "documents_worker"

        @job("documents", "render_pdf", max_attempts=3)
        def render_pdf(self, job: Job) -> None: ...

        @timer(interval=3600)
        def prune(self) -> None: ...

Semantics (kinerja_worker/README.md): a service runs at most `max_workers` jobs at once (the broker hands it
no more than that: nameko's prefetch), a job is acknowledged only after its handler returned, a job whose
worker died unacknowledged is delivered again (`job.redelivered`), and a handler that raises gets the job
again at the back of the queue until `max_attempts`, after which the job goes to `<queue>.dlq` with the error.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from functools import partial
from types import TracebackType
from typing import Any

from kombu.message import Message
from nameko.constants import AMQP_URI_CONFIG_KEY
from nameko.containers import WorkerContext
from nameko.exceptions import ContainerBeingKilled
from nameko.messaging import Consumer
from nameko.timer import timer

from kinerja_worker.amqp import dead_letter_queue, header, job_queue, publisher
from kinerja_worker.port import Job, decode_payload

__all__ = ["Job", "JobEntrypoint", "job", "timer"]

ExcInfo = tuple[type[BaseException], BaseException, TracebackType]
DEFAULT_MAX_ATTEMPTS = 3
# How much of a failed job's traceback its dead letter keeps.
ERROR_TAIL = 4000


class JobEntrypoint(Consumer):  # type: ignore[misc]
    """Runs the decorated method for each job `name` (default: the method's name) taken from `queue`."""

    def __init__(
        self, queue: str, name: str | None = None, max_attempts: int = DEFAULT_MAX_ATTEMPTS, **kwargs: Any
    ) -> None:
        if max_attempts < 1:
            raise ValueError("max_attempts is at least 1")
        self.queue_name = queue
        self.job_name = name
        self.max_attempts = max_attempts
        super().__init__(job_queue(queue), requeue_on_error=False, **kwargs)

    @property
    def handles(self) -> str:
        return self.job_name or self.method_name

    def _consumes(self) -> bool:
        """One consumer per queue and service, whichever handlers share the queue: the broker's prefetch
        (max_workers) then bounds the jobs the service holds from that queue."""
        siblings = [
            e
            for e in self.container.entrypoints
            if isinstance(e, JobEntrypoint) and e.queue_name == self.queue_name
        ]
        return min(siblings, key=lambda e: e.method_name) is self

    def setup(self) -> None:
        self._publisher = publisher(self.container.config[AMQP_URI_CONFIG_KEY])
        if self._consumes():
            super().setup()

    def stop(self) -> None:
        if self._consumes():
            super().stop()

    def _sibling(self, name: str) -> JobEntrypoint | None:
        """The entrypoint of this service handling `name` on this queue: several handlers of one queue each
        consume from it, and whichever receives a job runs it with the right one."""
        for entrypoint in self.container.entrypoints:
            if (
                isinstance(entrypoint, JobEntrypoint)
                and entrypoint.queue_name == self.queue_name
                and entrypoint.handles == name
            ):
                return entrypoint
        return None

    def handle_message(self, body: dict[str, Any], message: Message) -> None:
        headers = dict(message.headers or {})
        name = str(headers.get(header("job")) or body.get("job") or "")
        target = self._sibling(name)
        if target is None:
            self._dead_letter(body, headers, f"no handler for job {name!r} on queue {self.queue_name}")
            self.queue_consumer.ack_message(message)
            return
        job_item = Job(
            id=str(headers.get(header("job_id")) or message.properties.get("message_id") or ""),
            queue=self.queue_name,
            name=name,
            payload=decode_payload(body),
            key=headers.get(header("key")),
            attempt=int(headers.get(header("attempt")) or 1),
            redelivered=bool(message.delivery_info.get("redelivered")),
        )
        handle_result: Callable[..., Any] = partial(target._finish, message, body, headers, job_item)
        try:
            self.container.spawn_worker(target, (job_item,), {}, context_data={}, handle_result=handle_result)
        except ContainerBeingKilled:
            self.queue_consumer.requeue_message(message)

    def _finish(
        self,
        message: Message,
        body: dict[str, Any],
        headers: dict[str, Any],
        job_item: Job,
        worker_ctx: WorkerContext,
        result: Any = None,
        exc_info: ExcInfo | None = None,
    ) -> tuple[Any, ExcInfo | None]:
        """After the handler: a failure is enqueued again or dead-lettered first; then the acknowledgement.
        A worker dying in between leaves the job unacknowledged, so it comes back (at least once)."""
        if exc_info is not None:
            if job_item.attempt < self.max_attempts:
                self._publisher.publish(
                    body,
                    routing_key=self.queue_name,
                    headers={**headers, header("attempt"): job_item.attempt + 1},
                    message_id=job_item.id,
                    declare=[job_queue(self.queue_name)],
                )
            else:
                error = "".join(traceback.format_exception(*exc_info))[-ERROR_TAIL:]
                self._dead_letter(body, {**headers, header("attempts"): job_item.attempt}, error)
        self.queue_consumer.ack_message(message)
        return result, exc_info

    def _dead_letter(self, body: dict[str, Any], headers: dict[str, Any], error: str) -> None:
        dlq = dead_letter_queue(self.queue_name)
        self._publisher.publish(
            body,
            routing_key=dlq.routing_key,
            headers={**headers, header("error"): error},
            declare=[dlq],
        )


job = JobEntrypoint.decorator
