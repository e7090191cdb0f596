"""Small checks shared by the input validators: required text, length, identifiers, dates."""

from __future__ import annotations

import uuid
from datetime import date

from kinerja_kit.errors import Violations
from kinerja_kit.ids import parse_uuid
from org.domain.values import MIN_YEAR, parse_iso_date


def text(
    violations: Violations, path: str, label: str, value: str, *, max_len: int, required: bool = False
) -> str:
    """Trims whitespace (inner runs collapsed); records REQUIRED / TOO_LONG violations."""
    cleaned = " ".join(value.split())
    if required and not cleaned:
        violations.add(path, "REQUIRED", f"{label} wajib diisi.")
    elif len(cleaned) > max_len:
        violations.add(path, "TOO_LONG", f"{label} paling banyak {max_len} karakter.")
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


def optional_date(
    violations: Violations,
    path: str,
    label: str,
    value: str,
    *,
    today: date,
    required: bool = False,
    years_ahead: int = 1,
) -> date | None:
    """A YYYY-MM-DD date from 1940 up to `years_ahead` years on; empty allowed unless required."""
    value = value.strip()
    if not value:
        if required:
            violations.add(path, "REQUIRED", f"{label} wajib diisi.")
        return None
    parsed = parse_iso_date(value)
    last_year = today.year + years_ahead
    if parsed is None or not MIN_YEAR <= parsed.year <= last_year:
        violations.add(
            path,
            "INVALID_DATE",
            f"{label} harus tanggal yang valid (TTTT-BB-HH, tahun {MIN_YEAR}-{last_year}).",
        )
        return None
    return parsed
