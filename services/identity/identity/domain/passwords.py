"""Password policy and generation of temporary passwords."""

from __future__ import annotations

import secrets
import string
from dataclasses import dataclass

from kinerja_kit.errors import Violations

MIN_LENGTH = 8
# argon2 hashes anything, but an unbounded input is a cheap way to burn CPU.
MAX_LENGTH = 128
TEMPORARY_LENGTH = 12
_TEMP_ALPHABET = "".join(c for c in string.ascii_letters + string.digits if c not in "0O1lI")


@dataclass(frozen=True)
class PasswordPolicy:
    """What a new password must satisfy."""

    min_length: int = MIN_LENGTH
    max_length: int = MAX_LENGTH

    def check(self, password: str, *, username: str, violations: Violations, field: str) -> None:
        """Adds one violation per broken rule (all of them, not just the first)."""
        if len(password) < self.min_length:
            violations.add(field, "PASSWORD_TOO_SHORT", f"Kata sandi minimal {self.min_length} karakter.")
        if len(password) > self.max_length:
            violations.add(field, "PASSWORD_TOO_LONG", f"Kata sandi maksimal {self.max_length} karakter.")
        if not any(c.isalpha() for c in password):
            violations.add(field, "PASSWORD_NEEDS_LETTER", "Kata sandi harus memuat huruf.")
        if not any(c.isdigit() for c in password):
            violations.add(field, "PASSWORD_NEEDS_DIGIT", "Kata sandi harus memuat angka.")
        if username and password.strip() == username:
            violations.add(field, "PASSWORD_EQUALS_USERNAME", "Kata sandi tidak boleh sama dengan NIP/NIK.")


def temporary_password(length: int = TEMPORARY_LENGTH) -> str:
    """A random password that satisfies the policy (letters and digits, unambiguous characters)."""
    while True:
        candidate = "".join(secrets.choice(_TEMP_ALPHABET) for _ in range(length))
        if any(c.isalpha() for c in candidate) and any(c.isdigit() for c in candidate):
            return candidate
