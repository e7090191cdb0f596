"""Runs worker services in one process on RabbitMQ (nameko's ServiceRunner), stopped cleanly by SIGTERM.

Settings (env): AMQP_URI (default amqp://guest:guest@127.0.0.1:5672/), WORKER_SERVICES (`module:Class`,
comma separated; default the system worker), WORKER_MAX_JOBS (jobs run at once per service, default 4),
LOG_LEVEL. The process must be monkey patched by eventlet first: `python -m kinerja_worker` does that.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import signal
import sys
from types import FrameType

import eventlet
from nameko.constants import AMQP_URI_CONFIG_KEY, MAX_WORKERS_CONFIG_KEY
from nameko.runners import ServiceRunner

from kinerja_worker.amqp import amqp_uri, check_reachable

log = logging.getLogger("kinerja_worker")

DEFAULT_SERVICES = "kinerja_worker.system:SystemWorker"
DEFAULT_MAX_JOBS = 4


def load_service(spec: str) -> type:
    """`package.module:ClassName` -> the class."""
    module_name, _, class_name = spec.strip().partition(":")
    if not class_name:
        raise SystemExit(f"A worker service is given as module:Class, not {spec!r}")
    service: type = getattr(importlib.import_module(module_name), class_name)
    return service


def worker_config(uri: str, max_jobs: int) -> dict[str, object]:
    """nameko's configuration: the broker and the bound on jobs at once (also the broker's prefetch)."""
    return {AMQP_URI_CONFIG_KEY: uri, MAX_WORKERS_CONFIG_KEY: max_jobs}


def run(services: list[type], uri: str, max_jobs: int) -> None:
    runner = ServiceRunner(worker_config(uri, max_jobs))
    for service in services:
        runner.add_service(service)

    def stop(signum: int, frame: FrameType | None) -> None:
        # Stops in a green thread: running jobs finish and are acknowledged, undelivered ones stay queued.
        eventlet.spawn_n(runner.stop)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    runner.start()
    log.info(
        "worker started: %s (at most %d jobs at once)", ", ".join(s.__name__ for s in services), max_jobs
    )
    runner.wait()
    log.info("worker stopped")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kinerja_worker", description=__doc__)
    parser.add_argument(
        "services", nargs="*", help="module:Class (default: WORKER_SERVICES or the system worker)"
    )
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=os.environ.get("LOG_LEVEL", "INFO").upper(),
        format="%(asctime)s %(levelname)s %(name)s %(message)s",
    )
    specs = args.services or (os.environ.get("WORKER_SERVICES") or DEFAULT_SERVICES).split(",")
    uri = amqp_uri()
    try:
        check_reachable(uri)
    except ConnectionError as exc:
        print(exc, file=sys.stderr)
        return 2
    run(
        [load_service(spec) for spec in specs],
        uri,
        int(os.environ.get("WORKER_MAX_JOBS") or DEFAULT_MAX_JOBS),
    )
    return 0
