"""What every org handler shares: the caller, permission checks, today's date, topics, id parsing."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date, datetime
from typing import Protocol, TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy.exc import IntegrityError

from kinerja_kit.context import Principal, current_principal
from kinerja_kit.errors import (
    Conflict,
    DomainError,
    FieldViolation,
    InvalidArgument,
    NotFound,
    PermissionDenied,
    Unauthenticated,
)
from kinerja_kit.ids import parse_uuid
from org.adapters.repository import OrgRepository

TOPIC_INSTANSI = "kinerja.org.instansi.v1"
TOPIC_UNOR = "kinerja.org.unor.v1"
TOPIC_PEGAWAI = "kinerja.org.pegawai.v1"
TOPIC_PLT = "kinerja.org.plt.v1"
TOPICS = (TOPIC_INSTANSI, TOPIC_UNOR, TOPIC_PEGAWAI, TOPIC_PLT)

ZONE = ZoneInfo("Asia/Jakarta")
MAX_BATCH = 1000


def today() -> date:
    """Today in Western Indonesia (WIB): the day PLT/PLH periods and relations are judged on."""
    return datetime.now(ZONE).date()


def caller() -> Principal:
    """The verified caller of this RPC."""
    principal = current_principal.get()
    if principal is None:
        raise Unauthenticated()
    return principal


def require_admin(principal: Principal) -> None:
    """Writes need admin instansi of the tenant, or admin BKN acting on an instansi (x-instansi-id)."""
    if principal.is_admin_bkn:
        if principal.acting_instansi_id is None:
            raise PermissionDenied(
                "INSTANSI_REQUIRED", "Admin BKN harus memilih instansi terlebih dahulu untuk mengubah data."
            )
        return
    if not principal.is_admin_instansi:
        raise PermissionDenied("ADMIN_REQUIRED", "Hanya admin instansi yang dapat mengubah data ini.")


class HasVersion(Protocol):
    version: int


def open_instansi_for_write(repo: OrgRepository) -> None:
    """The tenant must be an existing instansi; then its writes are serialised for this transaction."""
    if repo.instansi(repo.tenant) is None:
        raise NotFound("INSTANSI_NOT_FOUND", "Instansi tidak ditemukan.")
    repo.lock_instansi()


RowT = TypeVar("RowT", bound=HasVersion)


def row_for_write(
    repo: OrgRepository,
    load: Callable[..., RowT | None],
    row_id: uuid.UUID,
    not_found: tuple[str, str],
    expected_version: int = 0,
) -> RowT:
    """Opens the instansi for writing and locks the row; NOT_FOUND when missing, ABORTED when stale."""
    open_instansi_for_write(repo)
    row = load(row_id, for_update=True)
    if row is None:
        raise NotFound(*not_found)
    if expected_version and expected_version != row.version:
        raise Conflict()
    return row


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
