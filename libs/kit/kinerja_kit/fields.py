"""Field checks shared by every service's input validators: trimmed text with a length, optional ids."""

from __future__ import annotations

import uuid

from kinerja_kit.errors import Violations
from kinerja_kit.ids import parse_uuid


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
