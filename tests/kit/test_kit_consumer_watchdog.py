"""The consumer replaces a client whose group rebalance has stalled (a small fake client, no broker)."""

from __future__ import annotations

import threading
import time
from typing import Any

from kinerja_kit.consumer import EventConsumer
from kinerja_kit.db import UnitOfWork


class FakeCoordinator:
    def __init__(self, rebalancing: bool) -> None:
        self.rebalancing = rebalancing

    def rebalance_in_progress(self) -> bool:
        return self.rebalancing


class FakeConsumer:
    """Polls nothing; its group is stuck in a rebalance, or stable."""

    def __init__(self, rebalancing: bool) -> None:
        self._coordinator = FakeCoordinator(rebalancing)
        self.closed = False

    def poll(self, timeout_ms: int = 0) -> dict[Any, Any]:
        time.sleep(timeout_ms / 1000)
        return {}

    def close(self, autocommit: bool = False, timeout_ms: int = 0) -> None:
        self.closed = True


def _run(rebalancing: bool, seconds: float) -> list[FakeConsumer]:
    made: list[FakeConsumer] = []

    def factory() -> FakeConsumer:
        made.append(FakeConsumer(rebalancing))
        return made[-1]

    consumer = EventConsumer(
        name="watchdog-test",
        topics=["kinerja.test.v1"],
        uow=UnitOfWork(session_factory=None),  # type: ignore[arg-type]  # never used: nothing is polled
        handlers={},
        bootstrap_servers="127.0.0.1:1",
        poll_timeout_ms=20,
        stall_seconds=0.2,
        consumer_factory=factory,  # type: ignore[arg-type]
    )
    stop = threading.Event()
    thread = threading.Thread(target=consumer.run_forever, args=(stop,))
    thread.start()
    time.sleep(seconds)
    stop.set()
    thread.join(5)
    return made


def test_a_stalled_rebalance_gets_a_fresh_client() -> None:
    made = _run(rebalancing=True, seconds=1.0)
    assert len(made) >= 3  # replaced roughly every stall_seconds
    assert all(c.closed for c in made)


def test_a_stable_group_keeps_its_client() -> None:
    made = _run(rebalancing=False, seconds=0.6)
    assert len(made) == 1
