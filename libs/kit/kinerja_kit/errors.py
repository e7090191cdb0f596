"""Domain errors with a stable reason code and an Indonesian message, and their one mapping to gRPC."""

from __future__ import annotations

from dataclasses import dataclass, field

import grpc
from google.protobuf import any_pb2
from google.rpc import error_details_pb2, status_pb2
from grpc_status import rpc_status

ERROR_DOMAIN = "kinerja.go.id"


@dataclass(frozen=True)
class FieldViolation:
    """One bad input field: its path (e.g. "pegawai.nip"), a stable code and an Indonesian message."""

    field: str
    code: str
    message: str


@dataclass
class DomainError(Exception):
    """Base of every error a service returns on purpose."""

    reason: str
    message: str
    violations: list[FieldViolation] = field(default_factory=list)
    grpc_code: grpc.StatusCode = grpc.StatusCode.UNKNOWN

    def __post_init__(self) -> None:
        super().__init__(self.message)

    def __str__(self) -> str:
        return f"{self.reason}: {self.message}"


class InvalidArgument(DomainError):
    def __init__(self, violations: list[FieldViolation], message: str = "Data yang dikirim tidak valid."):
        super().__init__("INVALID_ARGUMENT", message, list(violations), grpc.StatusCode.INVALID_ARGUMENT)


class NotFound(DomainError):
    def __init__(self, reason: str, message: str):
        super().__init__(reason, message, [], grpc.StatusCode.NOT_FOUND)


class PermissionDenied(DomainError):
    def __init__(self, reason: str = "PERMISSION_DENIED", message: str = "Anda tidak berhak melakukan ini."):
        super().__init__(reason, message, [], grpc.StatusCode.PERMISSION_DENIED)


class Unauthenticated(DomainError):
    def __init__(self, reason: str = "UNAUTHENTICATED", message: str = "Silakan masuk terlebih dahulu."):
        super().__init__(reason, message, [], grpc.StatusCode.UNAUTHENTICATED)


class FailedPrecondition(DomainError):
    def __init__(self, reason: str, message: str, violations: list[FieldViolation] | None = None):
        super().__init__(reason, message, list(violations or []), grpc.StatusCode.FAILED_PRECONDITION)


class AlreadyExists(DomainError):
    def __init__(self, reason: str, message: str, violations: list[FieldViolation] | None = None):
        super().__init__(reason, message, list(violations or []), grpc.StatusCode.ALREADY_EXISTS)


class Conflict(DomainError):
    """The record changed since the caller read it (optimistic concurrency)."""

    def __init__(
        self, reason: str = "VERSION_CONFLICT", message: str = "Data telah diubah oleh pengguna lain."
    ):
        super().__init__(reason, message, [], grpc.StatusCode.ABORTED)


class ResourceExhausted(DomainError):
    def __init__(self, reason: str, message: str):
        super().__init__(reason, message, [], grpc.StatusCode.RESOURCE_EXHAUSTED)


class Unavailable(DomainError):
    """Something the service depends on (another service) does not answer; the caller may retry."""

    def __init__(self, reason: str, message: str):
        super().__init__(reason, message, [], grpc.StatusCode.UNAVAILABLE)


class Violations:
    """Collects every bad field of one input so all are reported at once."""

    def __init__(self) -> None:
        self.items: list[FieldViolation] = []

    def add(self, field_path: str, code: str, message: str) -> None:
        self.items.append(FieldViolation(field_path, code, message))

    def __bool__(self) -> bool:
        return bool(self.items)

    def raise_if_any(self) -> None:
        if self.items:
            raise InvalidArgument(self.items)


VIOLATION_BYTES = 4096
"""Most bytes of field violations one status carries. The status travels base64-encoded in the
trailing metadata, which a gRPC client refuses past its limit (8 KiB soft, 16 KiB hard by default): the
call would fail as RESOURCE_EXHAUSTED instead of saying what was wrong. An input with hundreds of bad
rows (a list of a thousand empty items) reports its first violations, in order."""


def reported(violations: list[FieldViolation]) -> list[FieldViolation]:
    """The violations a status carries: the first ones within VIOLATION_BYTES (at least one)."""
    kept: list[FieldViolation] = []
    size = 0
    for v in violations:
        # the three texts and a few bytes of protobuf framing per violation
        size += len(v.field.encode()) + len(v.code.encode()) + len(v.message.encode()) + 8
        if kept and size > VIOLATION_BYTES:
            break
        kept.append(v)
    return kept


def to_status(error: DomainError) -> grpc.Status:
    """Rich gRPC status: ErrorInfo (reason), LocalizedMessage (id-ID) and BadRequest field violations
    (the first ones, see VIOLATION_BYTES)."""
    details = []
    info = any_pb2.Any()
    info.Pack(error_details_pb2.ErrorInfo(reason=error.reason, domain=ERROR_DOMAIN))
    details.append(info)
    localized = any_pb2.Any()
    localized.Pack(error_details_pb2.LocalizedMessage(locale="id-ID", message=error.message))
    details.append(localized)
    if error.violations:
        bad = error_details_pb2.BadRequest(
            field_violations=[
                error_details_pb2.BadRequest.FieldViolation(
                    field=v.field, description=v.message, reason=v.code
                )
                for v in reported(error.violations)
            ]
        )
        packed = any_pb2.Any()
        packed.Pack(bad)
        details.append(packed)
    return rpc_status.to_status(
        status_pb2.Status(code=error.grpc_code.value[0], message=error.message, details=details)
    )


def from_rpc_error(error: grpc.RpcError) -> DomainError | None:
    """Rebuilds the DomainError a service raised; None when the failure was not a domain error."""
    status = rpc_status.from_call(error)  # type: ignore[arg-type]
    if status is None:
        return None
    reason = ""
    message = status.message
    violations: list[FieldViolation] = []
    for detail in status.details:
        if detail.Is(error_details_pb2.ErrorInfo.DESCRIPTOR):
            info = error_details_pb2.ErrorInfo()
            detail.Unpack(info)
            reason = info.reason
        elif detail.Is(error_details_pb2.LocalizedMessage.DESCRIPTOR):
            loc = error_details_pb2.LocalizedMessage()
            detail.Unpack(loc)
            message = loc.message
        elif detail.Is(error_details_pb2.BadRequest.DESCRIPTOR):
            bad = error_details_pb2.BadRequest()
            detail.Unpack(bad)
            violations = [
                FieldViolation(v.field, v.reason or "INVALID", v.description) for v in bad.field_violations
            ]
    if not reason:
        return None
    code = grpc.StatusCode.UNKNOWN
    for candidate in grpc.StatusCode:
        if candidate.value[0] == status.code:
            code = candidate
    return DomainError(reason, message, violations, code)
