"""Handler logic with nameko's own tools, no broker needed: `worker_factory` (dependencies replaced) here,
`entrypoint_hook` (the call as the `@job` entrypoint makes it) in hook_checks.py, a monkey-patched process."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from nameko.containers import ServiceContainer
from nameko.extensions import DependencyProvider
from nameko.testing.services import worker_factory

from kinerja_worker.entrypoints import Job, JobEntrypoint, job, timer
from kinerja_worker.system import SystemWorker

HERE = Path(__file__).resolve().parent


class Storage(DependencyProvider):  # type: ignore[misc]
    """Where rendered files go; replaced by a small fake in the tests."""

    def get_dependency(self, worker_ctx: Any) -> dict[str, bytes]:
        return {}


class FakeStorage(dict[str, bytes]):
    """Files by key; `put` refuses to overwrite, as a checksum-addressed store would."""

    def put(self, key: str, data: bytes) -> bool:
        if key in self:
            return False
        self[key] = data
        return True


class Renderer:
    name = "renderer"
    storage = Storage()

    @job("documents", "render")
    def render(self, job: Job) -> str:
        assert isinstance(job.payload, dict)
        key = job.key or job.id
        self.storage.put(key, f"PDF of {job.payload['skp_id']}".encode())
        return key

    @job("documents", "noop")
    def noop(self, job: Job) -> None:
        pass

    @timer(interval=60)
    def prune(self) -> None:
        self.storage.clear()


def test_worker_factory_runs_the_handler_with_a_fake_storage() -> None:
    storage = FakeStorage()
    service = worker_factory(Renderer, storage=storage)
    job_item = Job(id="1", queue="documents", name="render", payload={"skp_id": "s-1"}, key="req-1")
    assert service.render(job_item) == "req-1"
    # A redelivered job (its worker died before the acknowledgement) leaves the stored file alone.
    assert service.render(dataclasses.replace(job_item, redelivered=True)) == "req-1"
    assert storage == {"req-1": b"PDF of s-1"}
    service.prune()
    assert storage == {}


def test_the_job_entrypoints_of_a_service() -> None:
    container = ServiceContainer(Renderer, config={"AMQP_URI": "memory://"})
    entrypoints = {e.method_name: e for e in container.entrypoints if isinstance(e, JobEntrypoint)}
    assert {name: (e.queue_name, e.handles) for name, e in entrypoints.items()} == {
        "render": ("documents", "render"),
        "noop": ("documents", "noop"),
    }


def test_entrypoint_hook_calls_the_job_entrypoint() -> None:
    result = subprocess.run(
        [sys.executable, str(HERE / "hook_checks.py")],
        env={**os.environ, "PYTHONPATH": str(HERE)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0 and "hooked" in result.stdout, result.stderr


def test_the_system_worker_answers_ping() -> None:
    service = worker_factory(SystemWorker)
    service.ping(Job(id="3", queue="kinerja.system", name="ping", payload={"hello": "world"}))
    service.heartbeat()
