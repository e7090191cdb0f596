"""What every service's command and query handlers share: the caller, the admin rule, today in WIB,
id parsing and the translation of known constraint violations."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy.exc import IntegrityError

from kinerja_kit.context import Principal, current_principal
from kinerja_kit.errors import (
    DomainError,
    FieldViolation,
    InvalidArgument,
    NotFound,
    PermissionDenied,
    Unauthenticated,
)
from kinerja_kit.ids import parse_uuid

ZONE = ZoneInfo("Asia/Jakarta")
MAX_BATCH = 1000


def today() -> date:
    """Today in Western Indonesia (WIB): the day periods, deadlines and relations are judged on."""
    return datetime.now(ZONE).date()


def parse_day(value: str) -> date | None:
    """A day a contract message carries as text (YYYY-MM-DD, e.g. an event's dates); None when it is empty or
    not such a day."""
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def caller() -> Principal:
    """The verified caller of this RPC."""
    principal = current_principal.get()
    if principal is None:
        raise Unauthenticated()
    return principal


def require_admin(principal: Principal) -> None:
    """Admin writes need admin instansi of the tenant, or admin BKN acting on an instansi (x-instansi-id)."""
    if principal.is_admin_bkn:
        if principal.acting_instansi_id is None:
            raise PermissionDenied(
                "INSTANSI_REQUIRED", "Admin BKN harus memilih instansi terlebih dahulu untuk mengubah data."
            )
        return
    if not principal.is_admin_instansi:
        raise PermissionDenied("ADMIN_REQUIRED", "Hanya admin instansi yang dapat mengubah data ini.")


def parse_id(value: str, reason: str, message: str) -> uuid.UUID:
    """An id of something that must exist: a malformed id cannot name anything, so NOT_FOUND."""
    parsed = parse_uuid(value.strip())
    if parsed is None:
        raise NotFound(reason, message)
    return parsed


def parse_ids(values: list[str]) -> list[uuid.UUID]:
    """Well-formed ids in order, without duplicates; malformed ones are skipped (batch reads)."""
    if len(values) > MAX_BATCH:
        raise InvalidArgument([FieldViolation("ids", "TOO_MANY", f"Paling banyak {MAX_BATCH} id sekaligus.")])
    seen: dict[uuid.UUID, None] = {}
    for value in values:
        parsed = parse_uuid(value.strip())
        if parsed is not None:
            seen.setdefault(parsed, None)
    return list(seen)


def constraint_of(error: IntegrityError) -> str:
    """The name of the constraint PostgreSQL reported."""
    diag = getattr(error.orig, "diag", None)
    return str(getattr(diag, "constraint_name", "") or "")


def raise_integrity(error: IntegrityError, mapping: dict[str, DomainError]) -> None:
    """Re-raises a known constraint violation as its domain error; unknown ones propagate."""
    found = mapping.get(constraint_of(error))
    if found is not None:
        raise found from error
    raise error
