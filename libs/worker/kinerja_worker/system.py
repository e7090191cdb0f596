"""The platform's own worker service, run by `make run`: a heartbeat on a timer and a `ping` job.

It shows the shape every worker service has, and a running devstack can be checked with it:
`AmqpJobQueue().enqueue("kinerja.system", "ping", {"hello": "world"})` shows up in logs/worker.log.
"""

from __future__ import annotations

import logging
import os

from kinerja_worker.entrypoints import Job, job, timer

log = logging.getLogger(__name__)

SYSTEM_QUEUE = "kinerja.system"
HEARTBEAT_SECONDS = float(os.environ.get("WORKER_HEARTBEAT_SECONDS") or 60)


class SystemWorker:
    """Logs a heartbeat and answers `ping` jobs in the log."""

    name = "kinerja_system"

    @timer(interval=HEARTBEAT_SECONDS)
    def heartbeat(self) -> None:
        """Says the worker tier is alive."""
        log.info("worker alive")

    @job(SYSTEM_QUEUE, "ping")
    def ping(self, job: Job) -> None:
        """Logs the job it was given."""
        log.info("ping %s (key %s): %s", job.id, job.key, job.payload)
