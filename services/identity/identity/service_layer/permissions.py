"""Who is calling, and the checks every handler starts with."""

from __future__ import annotations

import uuid

from kinerja_kit.context import Principal, current_principal
from kinerja_kit.errors import FieldViolation, InvalidArgument, PermissionDenied, Unauthenticated
from kinerja_kit.ids import parse_uuid


def require_principal() -> Principal:
    """The verified caller; the interceptor guarantees one on non-public methods."""
    principal = current_principal.get()
    if principal is None:
        raise Unauthenticated()
    return principal


def require_admin(principal: Principal) -> None:
    if not principal.is_admin:
        raise PermissionDenied("ADMIN_REQUIRED", "Hanya admin yang dapat melakukan ini.")


def account_id_arg(value: str, field: str = "account_id") -> uuid.UUID:
    """Parses an account id from a request, as a field violation when malformed."""
    parsed = parse_uuid(value)
    if parsed is None:
        raise InvalidArgument([FieldViolation(field, "INVALID_ID", "ID akun tidak valid.")])
    return parsed


def own_account_id(principal: Principal) -> uuid.UUID | None:
    """The caller's own account id (the token subject), when it is one."""
    return parse_uuid(principal.subject)
