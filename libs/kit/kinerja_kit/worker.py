"""A background loop in a daemon thread (outbox relay, event consumers): start, stop, back-off."""

from __future__ import annotations

import logging
import threading

log = logging.getLogger(__name__)

MAX_BACKOFF_SECONDS = 2.0


def backoff_delay(failures: int) -> float:
    """Exponential back-off after `failures` consecutive failures, capped at MAX_BACKOFF_SECONDS."""
    return min(MAX_BACKOFF_SECONDS, 0.1 * 2 ** min(failures, 10))


class ThreadedWorker:
    """Runs `run_forever(stop_event)` in a daemon thread named after the worker."""

    name: str

    def __init__(self) -> None:
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def run_forever(self, stop_event: threading.Event) -> None:
        raise NotImplementedError

    def start(self) -> None:
        """Starts the loop unless it already runs."""
        if self._thread is not None and self._thread.is_alive():
            return
        self._stop.clear()
        self._thread = threading.Thread(
            target=self.run_forever, args=(self._stop,), name=self.name, daemon=True
        )
        self._thread.start()

    def stop(self, timeout: float | None = 10.0) -> None:
        """Asks the loop to finish its current round and waits for the thread."""
        self._stop.set()
        thread, self._thread = self._thread, None
        if thread is not None:
            thread.join(timeout)
            if thread.is_alive():
                log.warning("%s: did not stop within %ss", self.name, timeout)

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()
