"""Lockout schedule: every `threshold` consecutive failures lock the account, each lock twice as long."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

WIB = timezone(timedelta(hours=7), "WIB")


@dataclass(frozen=True)
class LockoutPolicy:
    """Numbers of the lockout rule (from settings)."""

    threshold: int = 5
    base: timedelta = timedelta(minutes=15)
    cap: timedelta = timedelta(hours=24)

    def lock_duration(self, consecutive_failures: int) -> timedelta | None:
        """How long to lock after this many consecutive failures; None when this failure does not lock.

        The 5th failure locks for the base time, the 10th for twice that, the 15th for four times, ...
        """
        if consecutive_failures <= 0 or consecutive_failures % self.threshold:
            return None
        duration = self.base
        for _ in range(consecutive_failures // self.threshold - 1):
            if duration >= self.cap:
                break
            duration *= 2
        return min(duration, self.cap)

    def after_failure(self, consecutive_failures: int, now: datetime) -> datetime | None:
        """The locked-until time after a failure that brought the counter to `consecutive_failures`."""
        duration = self.lock_duration(consecutive_failures)
        return None if duration is None else now + duration


def locked_message(until: datetime, now: datetime) -> str:
    """The Indonesian message telling when to try again (in WIB; with the date when not today)."""
    local = until.astimezone(WIB)
    when = f"{local:%H:%M} WIB"
    if local.date() != now.astimezone(WIB).date():
        when += f" tanggal {local:%d-%m-%Y}"
    return f"Akun terkunci sementara karena terlalu banyak percobaan masuk. Coba lagi setelah {when}."
