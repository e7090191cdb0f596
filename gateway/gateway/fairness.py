"""At most a few GraphQL requests in flight per principal in one worker, so that one caller's heavy
queries cannot take the whole event loop from everyone else."""

from __future__ import annotations

from collections import Counter

from gateway.edges import TOO_MANY_REQUESTS, RequestRefused


class PrincipalGate:
    """Counts the requests in flight per key (a token's subject, or the client's address without a
    token); a request over `limit` is refused at once rather than queued behind the others."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._in_flight: Counter[str] = Counter()

    def enter(self, key: str) -> None:
        """Takes a slot for `key`, or raises RequestRefused (429)."""
        if self._in_flight[key] >= self.limit:
            raise RequestRefused(
                429,
                TOO_MANY_REQUESTS,
                f"Terlalu banyak permintaan bersamaan: paling banyak {self.limit} sekaligus. "
                "Tunggu permintaan sebelumnya selesai, lalu coba lagi.",
                {"Retry-After": "1"},
            )
        self._in_flight[key] += 1

    def leave(self, key: str) -> None:
        self._in_flight[key] -= 1
        if self._in_flight[key] <= 0:
            del self._in_flight[key]  # no entry is kept for a caller with nothing in flight

    def in_flight(self, key: str) -> int:
        return self._in_flight.get(key, 0)
