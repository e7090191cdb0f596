"""Who a gRPC call is made for: the caller's principal, the instansi it acts on, and its metadata."""

from __future__ import annotations

import dataclasses
import uuid
from dataclasses import dataclass

import grpc

from kinerja_kit.context import Principal
from kinerja_kit.errors import DomainError, FieldViolation, InvalidArgument, Unauthenticated
from kinerja_kit.grpc_client import call_metadata

Metadata = tuple[tuple[str, str], ...]

# The code of a malformed id wherever it is given (argument, input field, query parameter), as the
# services answer it (kinerja_kit.fields.reference).
INVALID_ID = "INVALID_ID"


@dataclass(frozen=True)
class Caller:
    """A principal (with the instansi an admin BKN acts on) and the metadata its calls carry."""

    principal: Principal | None
    request_id: str
    metadata: Metadata

    @classmethod
    def of(cls, principal: Principal | None, request_id: str) -> Caller:
        return cls(principal, request_id, tuple(call_metadata(principal, request_id)))


def _instansi_error(
    reason: str, message: str, code: grpc.StatusCode = grpc.StatusCode.PERMISSION_DENIED
) -> DomainError:
    violations = [FieldViolation("instansiId", reason, message)]
    return DomainError(reason, message, violations, code)


def instansi_required() -> DomainError:
    return _instansi_error(
        "INSTANSI_REQUIRED",
        "Admin BKN harus memilih instansi (argumen instansiId).",
        grpc.StatusCode.INVALID_ARGUMENT,
    )


def instansi_forbidden() -> DomainError:
    return _instansi_error("INSTANSI_FORBIDDEN", "Anda hanya dapat mengakses data instansi Anda sendiri.")


def parse_instansi(value: str | None, field: str = "instansiId") -> uuid.UUID | None:
    """The instansi named by an `instansiId` argument (or `field`); None when not given."""
    if value is None or value == "":
        return None
    try:
        return uuid.UUID(str(value))
    except ValueError as exc:
        raise InvalidArgument([FieldViolation(field, INVALID_ID, "Instansi tidak valid.")]) from exc


def scoped_caller(principal: Principal | None, request_id: str, instansi_id: str | None) -> Caller:
    """The caller for tenant data: admin BKN must name an instansi, others may only name their own."""
    if principal is None:
        raise Unauthenticated()
    named = parse_instansi(instansi_id)
    if principal.is_admin_bkn:
        if named is None:
            raise instansi_required()
        return Caller.of(dataclasses.replace(principal, acting_instansi_id=named), request_id)
    if named is not None and named != principal.instansi_id:
        raise instansi_forbidden()
    return Caller.of(principal, request_id)


def caller_for_record(principal: Principal | None, request_id: str, instansi_id: str) -> Caller:
    """The caller to load what a record of `instansi_id` points to (its unor, relations, ...).

    An admin BKN follows the record's own instansi; anyone else calls as themself, so a record of
    another instansi can never widen what they see.
    """
    if principal is not None and principal.is_admin_bkn and instansi_id:
        return scoped_caller(principal, request_id, instansi_id)
    return Caller.of(principal, request_id)
