"""The worker tier against the real RabbitMQ: bounded jobs, acknowledgement after the handler, redelivery of a
killed worker's jobs (each done once), the dead-letter queue, the timer, a clean stop and a clear refusal."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from kombu import Connection

from kinerja_worker.amqp import AmqpJobQueue, amqp_uri, check_reachable, header

pytestmark = pytest.mark.integration

HERE = Path(__file__).resolve().parent
TIMEOUT = 20.0


def wait_for(condition: Callable[[], Any], what: str, timeout: float = TIMEOUT) -> Any:
    """Polls `condition` until it returns something true; fails saying `what` did not happen."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture(scope="session")
def rabbitmq() -> str:
    uri = amqp_uri()
    check_reachable(uri)
    return uri


@pytest.fixture
def amqp(rabbitmq: str) -> Iterator[Connection]:
    with Connection(rabbitmq) as connection:
        yield connection


@pytest.fixture
def queue_name(amqp: Connection) -> Iterator[str]:
    name = f"test.worker.{uuid.uuid4().hex[:12]}"
    yield name
    channel = amqp.channel()
    for queue in (name, f"{name}.dlq"):
        channel.queue_delete(queue)
    channel.close()


def ready_count(amqp: Connection, queue: str) -> int:
    """Messages waiting in `queue` (not those delivered and unacknowledged)."""
    channel = amqp.channel()
    try:
        return int(channel.queue_declare(queue, passive=True).message_count)
    finally:
        channel.close()


def consumer_count(amqp: Connection, queue: str) -> int:
    channel = amqp.channel()
    try:
        return int(channel.queue_declare(queue, passive=True).consumer_count)
    finally:
        channel.close()


class Workers:
    """Starts `python -m kinerja_worker sample_worker:Recorder` processes on one queue and one state file."""

    def __init__(self, queue: str, state: Path, uri: str) -> None:
        self.queue, self.state, self.uri = queue, state, uri
        self.processes: list[subprocess.Popen[bytes]] = []

    def start(self, max_jobs: int = 2) -> subprocess.Popen[bytes]:
        env = {
            **os.environ,
            "PYTHONPATH": str(HERE),
            "AMQP_URI": self.uri,
            "WORKER_QUEUE": self.queue,
            "WORKER_STATE": str(self.state),
            "WORKER_MAX_JOBS": str(max_jobs),
            "LOG_LEVEL": "WARNING",
        }
        log = open(self.state / f"worker-{len(self.processes)}.log", "wb")  # noqa: SIM115 - the child's
        process = subprocess.Popen(
            [sys.executable, "-m", "kinerja_worker", "sample_worker:Recorder"],
            env=env,
            stdout=log,
            stderr=log,
        )
        self.processes.append(process)
        return process

    def rows(self, sql: str, *args: object) -> list[tuple[Any, ...]]:
        if not (self.state / "state.db").exists():
            return []
        connection = sqlite3.connect(self.state / "state.db", timeout=10)
        try:
            return connection.execute(sql, args).fetchall()
        except sqlite3.OperationalError:  # the worker has not created its tables yet
            return []
        finally:
            connection.close()

    def release(self) -> None:
        (self.state / "release").touch()

    def stop_all(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGKILL)
                process.wait(10)


@pytest.fixture
def workers(queue_name: str, tmp_path: Path, rabbitmq: str) -> Iterator[Workers]:
    handle = Workers(queue_name, tmp_path, rabbitmq)
    yield handle
    handle.stop_all()


def test_a_worker_runs_at_most_max_jobs_at_once_and_leaves_the_rest_queued(
    workers: Workers, amqp: Connection
) -> None:
    queue = AmqpJobQueue(workers.uri)
    ids = [queue.enqueue(workers.queue, "store", {"hold": "before"}, key=f"k{i}") for i in range(5)]
    worker = workers.start(max_jobs=2)

    wait_for(lambda: len(workers.rows("SELECT * FROM deliveries")) == 2, "two jobs to start")
    # The broker delivered only two (the prefetch): the other three still wait in the queue.
    assert ready_count(amqp, workers.queue) == 3
    workers.release()
    wait_for(lambda: len(workers.rows("SELECT * FROM finished")) == 5, "all five jobs to finish")
    assert sorted(r[0] for r in workers.rows("SELECT job_id FROM stored")) == sorted(ids)
    assert max(r[0] for r in workers.rows("SELECT running FROM deliveries")) <= 2

    # SIGTERM stops it cleanly.
    worker.send_signal(signal.SIGTERM)
    assert worker.wait(TIMEOUT) == 0


def test_a_killed_workers_jobs_are_delivered_again_and_each_is_done_once(
    workers: Workers, amqp: Connection
) -> None:
    queue = AmqpJobQueue(workers.uri)
    not_done = queue.enqueue(workers.queue, "store", {"hold": "before"}, key="not-done")
    done_not_acked = queue.enqueue(workers.queue, "store", {"hold": "after"}, key="done-not-acked")
    first = workers.start(max_jobs=2)
    wait_for(lambda: len(workers.rows("SELECT * FROM deliveries")) == 2, "both jobs to start")
    wait_for(
        lambda: workers.rows("SELECT 1 FROM stored WHERE job_id = ?", done_not_acked), "the second stored"
    )

    first.send_signal(signal.SIGKILL)
    first.wait(TIMEOUT)
    # Neither was acknowledged (the stored one's handler had not returned): both are back in the queue.
    wait_for(lambda: ready_count(amqp, workers.queue) == 2, "both jobs back in the queue")

    workers.release()
    second = workers.start(max_jobs=2)
    wait_for(lambda: len(workers.rows("SELECT * FROM finished")) == 2, "the second worker to finish both")
    wait_for(lambda: ready_count(amqp, workers.queue) == 0, "the queue to be empty")

    redelivered = workers.rows("SELECT job_id, redelivered FROM deliveries WHERE pid = ?", second.pid)
    assert sorted(redelivered) == sorted([(not_done, 1), (done_not_acked, 1)])
    stored = workers.rows("SELECT key, job_id, pid FROM stored ORDER BY key")
    assert stored == [("done-not-acked", done_not_acked, first.pid), ("not-done", not_done, second.pid)]
    outcomes = dict(workers.rows("SELECT job_id, outcome FROM finished"))
    assert outcomes == {not_done: "stored", done_not_acked: "skipped"}


def test_a_failing_job_is_tried_max_attempts_then_dead_lettered_with_its_error_and_the_queue_goes_on(
    workers: Workers, amqp: Connection
) -> None:
    queue = AmqpJobQueue(workers.uri)
    failing = queue.enqueue(workers.queue, "fail", {"why": "always"}, key="bad")
    flaky = queue.enqueue(workers.queue, "fail", {"succeed_at": 2})
    after = queue.enqueue(workers.queue, "store", {}, key="after")
    unknown = queue.enqueue(workers.queue, "no_such_job", b"\x00raw")
    workers.start(max_jobs=2)

    wait_for(lambda: ready_count(amqp, f"{workers.queue}.dlq") == 2, "two dead letters")
    # The retried and the later jobs were done meanwhile (or are finishing in the other slot).
    wait_for(
        lambda: {r[0] for r in workers.rows("SELECT job_id FROM finished")} == {flaky, after}, "the rest"
    )
    attempts = workers.rows("SELECT attempt FROM deliveries WHERE job_id = ? ORDER BY attempt", failing)
    assert attempts == [(1,), (2,), (3,)]

    letters = {}
    with amqp.SimpleQueue(f"{workers.queue}.dlq") as dlq:
        for _ in range(2):
            message = dlq.get(timeout=TIMEOUT)
            letters[message.headers[header("job_id")]] = message
            message.ack()
    assert set(letters) == {failing, unknown}
    dead = letters[failing]
    assert dead.headers[header("attempts")] == 3 and dead.headers[header("key")] == "bad"
    assert "RuntimeError: boom at attempt 3" in dead.headers[header("error")]
    assert dead.payload == {"job": "fail", "payload": {"why": "always"}}
    assert "no handler for job 'no_such_job'" in letters[unknown].headers[header("error")]


def test_a_timer_runs_its_handler_every_interval(workers: Workers, amqp: Connection) -> None:
    worker = workers.start()
    wait_for(lambda: len(workers.rows("SELECT * FROM ticks WHERE pid = ?", worker.pid)) >= 3, "three ticks")
    wait_for(lambda: consumer_count(amqp, workers.queue) == 1, "the worker to consume its queue")


def test_without_rabbitmq_the_worker_says_how_to_get_it() -> None:
    env = {**os.environ, "AMQP_URI": "amqp://guest:guest@127.0.0.1:9/"}
    result = subprocess.run(
        [sys.executable, "-m", "kinerja_worker"], env=env, capture_output=True, text=True, timeout=TIMEOUT
    )
    assert result.returncode == 2
    assert "RabbitMQ is not reachable at amqp://guest:**@127.0.0.1:9//" in result.stderr
    assert "rabbitmq-server" in result.stderr and "AMQP_URI" in result.stderr
