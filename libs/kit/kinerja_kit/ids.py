"""Identifiers: UUIDv7 for events and new rows (time-ordered, index-friendly)."""

from __future__ import annotations

import uuid

import uuid6

NATIONAL_INSTANSI_ID = uuid.UUID(int=0)
"""Tenant of national records (admin BKN accounts): never a real instansi."""


def new_id() -> uuid.UUID:
    """Returns a new UUIDv7."""
    return uuid.UUID(str(uuid6.uuid7()))


def parse_uuid(value: str | uuid.UUID | None) -> uuid.UUID | None:
    """Parses a UUID string; None for empty or malformed input."""
    if value is None or value == "":
        return None
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(value)
    except (ValueError, AttributeError, TypeError):
        return None
