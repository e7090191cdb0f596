"""The one set of text input rules every service applies at its edge: Unicode normalised, forbidden
characters refused, whitespace collapsed, a maximum length per field; search queries; optional ids; the
year of an assessment.

A text field is NFC-normalised (NFKC for codes: eselon, NIP/NIK, kode, where compatibility forms such
as full-width digits mean the plain character, and anything outside ASCII is refused). Refused anywhere:
control characters other than tab and line breaks (NUL among them: PostgreSQL cannot store it), lone
surrogates, Unicode non-characters and the bidirectional overrides that make text display other than
it reads. Tab and line breaks are whitespace: every run of whitespace becomes one space.
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from datetime import date

from kinerja_kit.errors import FieldViolation, InvalidArgument, Violations
from kinerja_kit.ids import parse_uuid

SEARCH_MAX = 100
# The first year the platform holds (PermenPAN-RB 6/2022 applies from 2022; earlier data may be migrated).
MIN_YEAR = 2020
"""Longest search query of any list: a name fragment or a NIP prefix is far shorter."""

# Anything longer than this many times the field's limit (plus some slack for whitespace that
# collapses) is refused before normalisation: no work in proportion to what a client chooses to send.
_RAW_FACTOR = 4
_RAW_SLACK = 256


def _forbidden_class() -> str:
    ranges = [
        "\x00-\x08",  # C0 controls except tab, line feed (and VT, FF: see below)
        "\x0b\x0c",  # vertical tab, form feed
        "\x0e-\x1f",  # C0 controls except carriage return
        "\x7f-\x9f",  # DEL and C1 controls (NEL among them)
        "\u202a-\u202e",  # bidirectional embeddings and overrides
        "\u2066-\u2069",  # bidirectional isolates
        "\ud800-\udfff",  # surrogates: only ever lone in a str
        "\ufdd0-\ufdef",  # non-characters
    ]
    # The last two code points of every plane are non-characters too.
    ranges += [f"{chr(plane << 16 | 0xFFFE)}{chr(plane << 16 | 0xFFFF)}" for plane in range(17)]
    return "[" + "".join(ranges) + "]"


_FORBIDDEN = re.compile(_forbidden_class())


def has_forbidden_character(value: str) -> bool:
    """True when `value` holds a character no text field accepts (NUL, other controls, a lone
    surrogate, a non-character, a bidirectional override)."""
    return _FORBIDDEN.search(value) is not None


def clean(value: str, *, code: bool = False) -> str | None:
    """The text as it will be stored: normalised (NFC, or NFKC for a code) with whitespace collapsed;
    None when it holds a forbidden character (or, for a code, anything outside ASCII)."""
    if has_forbidden_character(value):
        return None
    normalised = unicodedata.normalize("NFKC" if code else "NFC", value)
    if code and not normalised.isascii():
        return None
    return " ".join(normalised.split())


def text(
    violations: Violations,
    path: str,
    label: str,
    value: str,
    *,
    max_len: int,
    required: bool = False,
    code: bool = False,
) -> str:
    """A text field as it will be stored (see `clean`); records INVALID_CHARACTER, REQUIRED or TOO_LONG
    ("" when refused).

    `code=True` for identifiers and codes (eselon, NIP/NIK, kode): NFKC and ASCII only.
    The length is counted in characters after normalisation.
    """
    cleaned = checked(violations, path, label, value, max_len=max_len, code=code)
    if cleaned is None:
        return ""
    if required and not cleaned:
        violations.add(path, "REQUIRED", f"{label} wajib diisi.")
    return cleaned


def checked(
    violations: Violations, path: str, label: str, value: str, *, max_len: int, code: bool = False
) -> str | None:
    """`text` for a field with rules of its own after these (a NIP's digits, a jenjang from a list):
    None when refused here (INVALID_CHARACTER or TOO_LONG recorded), so nothing more is said of it."""
    if len(value) > max_len * _RAW_FACTOR + _RAW_SLACK:
        violations.add(path, "TOO_LONG", f"{label} paling banyak {max_len} karakter.")
        return None
    cleaned = clean(value, code=code)
    if cleaned is None:
        message = (
            f"{label} hanya boleh berisi huruf latin, angka 0-9 dan tanda baca."
            if code and not has_forbidden_character(value)
            else f"{label} berisi karakter yang tidak diizinkan."
        )
        violations.add(path, "INVALID_CHARACTER", message)
        return None
    if len(cleaned) > max_len:
        violations.add(path, "TOO_LONG", f"{label} paling banyak {max_len} karakter.")
        return None
    return cleaned


def search_query(value: str, *, path: str = "query", max_len: int = SEARCH_MAX) -> str:
    """A list's search text as it will be matched (NFC, whitespace collapsed, "" for none); raises
    InvalidArgument with INVALID_CHARACTER or TOO_LONG before anything reaches the database."""
    violations = Violations()
    cleaned = text(violations, path, "Kata pencarian", value, max_len=max_len)
    if violations:
        raise InvalidArgument(violations.items, violations.items[0].message)
    return cleaned


def reference(violations: Violations, path: str, label: str, value: str) -> uuid.UUID | None:
    """An optional id: empty gives None; a malformed one is recorded as INVALID_ID."""
    value = value.strip()
    if not value:
        return None
    parsed = parse_uuid(value)
    if parsed is None:
        violations.add(path, "INVALID_ID", f"{label} tidak valid.")
    return parsed


def refuse(path: str, code: str, message: str) -> InvalidArgument:
    """One field's violation as the error to raise."""
    return InvalidArgument([FieldViolation(path, code, message)], message)


def tahun(
    value: int,
    today: date,
    *,
    path: str = "tahun",
    optional: bool = False,
    violations: Violations | None = None,
) -> int:
    """A year of planning or assessment: from MIN_YEAR to next year; 0 means "any" where `optional`.
    Refused at once, or added to `violations` (then 0 is returned) when a form reports all its fields."""
    if optional and value == 0:
        return 0
    if MIN_YEAR <= value <= today.year + 1:
        return value
    message = f"Tahun harus antara {MIN_YEAR} dan {today.year + 1}."
    if violations is None:
        raise refuse(path, "INVALID_YEAR", message)
    violations.add(path, "INVALID_YEAR", message)
    return 0
