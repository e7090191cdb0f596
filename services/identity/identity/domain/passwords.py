"""Password policy and generation of temporary passwords.

Besides length and character rules, a new password must resist guessing: its strength is estimated
with zxcvbn (Dropbox's estimator; the `zxcvbn` package on the package index, a maintained Python port)
over its bundled frequency lists (common passwords from leaks, English words, names, keyboard
patterns, sequences, dates and years), with the account's NIP/NIK and name and the words of this
platform (kinerja, BKN, SKP, ...) added as the first words an attacker tries.
"""

from __future__ import annotations

import re
import secrets
import string
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from zxcvbn import zxcvbn

from kinerja_kit.errors import Violations

MIN_LENGTH = 8
# argon2 hashes anything, but an unbounded input is a cheap way to burn CPU.
MAX_LENGTH = 128
# zxcvbn refuses longer inputs (its matching grows quickly); a longer password is judged on its start,
# which can only underrate it.
ESTIMATOR_MAX_LENGTH = 72
# zxcvbn scores 0-4; 3 is "safely unguessable" against an online attack and a slow hash offline
# (guesses >= 10^8), the level its authors and OWASP suggest for a minimum.
MIN_SCORE = 3
# What anyone guessing a password of this platform tries first (lowercase; zxcvbn also tries them
# capitalised, reversed and in l33t, followed by digits or a year).
CONTEXT_WORDS = (
    "kinerja",
    "ekinerja",
    "bkn",
    "skp",
    "siasn",
    "simpeg",
    "asn",
    "pns",
    "pegawai",
    "instansi",
    "admin",
    "administrator",
    "sandi",
    "katasandi",
    "rahasia",
    "indonesia",
)
# A part of the name at least this long may not appear in the password (shorter ones, like "Sri" or
# the letters of a degree, are too common in ordinary words).
MIN_NAME_PART = 4
# Letters a password must have beyond its predictable parts (platform words, years, sequences ...).
MIN_OWN_LETTERS = 4
TEMPORARY_LENGTH = 12
_TEMP_ALPHABET = "".join(c for c in string.ascii_letters + string.digits if c not in "0O1lI")
_NOT_LETTERS = re.compile(r"[^a-z]+")
# zxcvbn keeps the user inputs of a call in a module-level dictionary: one estimate at a time.
_ESTIMATOR_LOCK = threading.Lock()


def name_parts(nama: str) -> list[str]:
    """The words of a name worth refusing in a password (lowercase letters, long enough)."""
    return [p for p in _NOT_LETTERS.split(nama.lower()) if len(p) >= MIN_NAME_PART]


def estimate(password: str, user_inputs: Iterable[str]) -> dict[str, Any]:
    """zxcvbn's analysis of `password` (score 0-4, guesses, the matched sequence)."""
    with _ESTIMATOR_LOCK:
        result: dict[str, Any] = zxcvbn(password[:ESTIMATOR_MAX_LENGTH], user_inputs=list(user_inputs))
    return result


def _is_predictable(match: dict[str, Any]) -> bool:
    """A part an attacker tries first: a common password, a word of this platform, the NIP or name,
    a date or year, a sequence or a keyboard pattern."""
    if match.get("pattern") == "dictionary":
        return match.get("dictionary_name") in ("passwords", "user_inputs")
    return match.get("pattern") in ("date", "regex", "sequence", "spatial")


def _built_on_a_common_word(password: str, result: dict[str, Any]) -> bool:
    """Whether a common password or a word of this platform makes up half or more of the password."""
    judged = len(password[:ESTIMATOR_MAX_LENGTH])
    return any(
        _is_predictable(m) and m.get("pattern") == "dictionary" and 2 * len(m["token"]) >= judged
        for m in result["sequence"]
    )


def _own_letters(result: dict[str, Any]) -> int:
    """How many letters are left outside the predictable parts (e.g. none in "AdminBKN2026": admin,
    BKN and a year, which the estimator alone still rates as fair)."""
    own = 0
    for match in result["sequence"]:
        if _is_predictable(match):
            continue
        # A repetition adds nothing of its own beyond one copy of what is repeated.
        token = match["base_token"] if match.get("pattern") == "repeat" else match["token"]
        own += sum(c.isalpha() for c in token)
    return own


@dataclass(frozen=True)
class PasswordPolicy:
    """What a new password must satisfy."""

    min_length: int = MIN_LENGTH
    max_length: int = MAX_LENGTH
    min_score: int = MIN_SCORE

    def check(
        self, password: str, *, username: str, violations: Violations, field: str, nama: str = ""
    ) -> None:
        """Adds one violation per broken rule; the guessability rules run once the basic ones pass."""
        before = len(violations.items)
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
        if len(violations.items) > before:
            return
        parts = name_parts(nama)
        lowered = password.lower()
        if any(part in lowered for part in parts):
            violations.add(field, "PASSWORD_CONTAINS_NAME", "Kata sandi tidak boleh memuat nama Anda.")
            return
        result = estimate(password, [*CONTEXT_WORDS, username, *parts])
        if result["score"] >= self.min_score and _own_letters(result) >= MIN_OWN_LETTERS:
            return
        if _built_on_a_common_word(password, result) or result["score"] >= self.min_score:
            violations.add(
                field,
                "PASSWORD_TOO_COMMON",
                "Kata sandi terlalu umum dan mudah ditebak. Hindari kata sandi populer, nama aplikasi "
                "atau instansi, dan tahun.",
            )
        else:
            violations.add(
                field,
                "PASSWORD_TOO_WEAK",
                "Kata sandi terlalu mudah ditebak. Gunakan gabungan beberapa kata yang tidak umum "
                "dengan angka atau tanda baca, tanpa NIP, nama, atau tanggal.",
            )


def temporary_password(length: int = TEMPORARY_LENGTH) -> str:
    """A random password that satisfies the policy (letters and digits, unambiguous characters)."""
    while True:
        candidate = "".join(secrets.choice(_TEMP_ALPHABET) for _ in range(length))
        if any(c.isalpha() for c in candidate) and any(c.isdigit() for c in candidate):
            return candidate
