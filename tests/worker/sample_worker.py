"""A worker service the RabbitMQ tests run in subprocesses (`python -m kinerja_worker sample_worker:Recorder`).

It records in a SQLite file (WORKER_STATE) every delivery, every stored result (keyed by the job's key, so a
job done twice shows) and every timer tick. A payload's `hold` makes a job wait for the file `release`:
"before" storing (the job is not done yet) or "after" (done, but the handler has not returned).
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import eventlet

from kinerja_worker.entrypoints import Job, job, timer

QUEUE = os.environ.get("WORKER_QUEUE", "kinerja.test")
STATE = Path(os.environ.get("WORKER_STATE", "."))
PID = os.getpid()
running = 0


def db() -> sqlite3.Connection:
    connection = sqlite3.connect(STATE / "state.db", timeout=10, isolation_level=None)
    connection.executescript(
        """
        CREATE TABLE IF NOT EXISTS deliveries (job_id TEXT, name TEXT, attempt INT, redelivered INT, pid INT,
                                               running INT);
        CREATE TABLE IF NOT EXISTS stored (key TEXT, job_id TEXT, pid INT);
        CREATE TABLE IF NOT EXISTS finished (job_id TEXT, pid INT, outcome TEXT);
        CREATE TABLE IF NOT EXISTS ticks (pid INT);
        """
    )
    return connection


def wait_for_release() -> None:
    while not (STATE / "release").exists():
        eventlet.sleep(0.02)


class Recorder:
    name = "recorder"

    @job(QUEUE, "store")
    def store(self, job: Job) -> None:
        global running
        running += 1
        try:
            with db() as c:
                c.execute(
                    "INSERT INTO deliveries VALUES (?, ?, ?, ?, ?, ?)",
                    (job.id, job.name, job.attempt, int(job.redelivered), PID, running),
                )
            assert isinstance(job.payload, dict)
            hold = job.payload.get("hold")
            if hold == "before":
                wait_for_release()
            with db() as c:
                # Idempotence is the handler's duty: a job already stored (by a worker that died before its
                # acknowledgement) is not stored again.
                done = c.execute("SELECT 1 FROM stored WHERE key = ?", (job.key,)).fetchone()
                if not done:
                    c.execute("INSERT INTO stored VALUES (?, ?, ?)", (job.key, job.id, PID))
            if hold == "after":
                wait_for_release()
            with db() as c:
                c.execute(
                    "INSERT INTO finished VALUES (?, ?, ?)", (job.id, PID, "skipped" if done else "stored")
                )
        finally:
            running -= 1

    @job(QUEUE, "fail", max_attempts=3)
    def fail(self, job: Job) -> None:
        with db() as c:
            c.execute(
                "INSERT INTO deliveries VALUES (?, ?, ?, ?, ?, 0)", (job.id, job.name, job.attempt, 0, PID)
            )
        if not (isinstance(job.payload, dict) and job.payload.get("succeed_at") == job.attempt):
            raise RuntimeError(f"boom at attempt {job.attempt}")
        with db() as c:
            c.execute("INSERT INTO finished VALUES (?, ?, ?)", (job.id, PID, "stored"))

    @timer(interval=0.1)
    def tick(self) -> None:
        with db() as c:
            c.execute("INSERT INTO ticks VALUES (?)", (PID,))
