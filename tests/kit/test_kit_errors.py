"""Every DomainError round-trips through a real gRPC server and back via from_rpc_error; crashes stay opaque."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator

import grpc
import pytest

from kinerja_kit.errors import (
    AlreadyExists,
    Conflict,
    DomainError,
    FailedPrecondition,
    FieldViolation,
    InvalidArgument,
    NotFound,
    PermissionDenied,
    ResourceExhausted,
    Unauthenticated,
    Unavailable,
    Violations,
    from_rpc_error,
)
from kinerja_kit.grpc_server import create_server

SERVICE = "kittest.Errors"
RAISE = f"/{SERVICE}/Raise"

NIP_EMPTY = FieldViolation("pegawai.nip", "REQUIRED", "NIP wajib diisi.")
NIP_SHORT = FieldViolation("pegawai.nip", "LENGTH", "NIP harus 18 digit.")
NAMA_EMPTY = FieldViolation("pegawai.nama", "REQUIRED", "Nama wajib diisi.")

# A list of a thousand empty items: one violation each.
MANY = [FieldViolation(f"kolom[{i}].nama", "REQUIRED", "Nama kolom wajib diisi.") for i in range(1000)]

# name -> (the error the servicer raises, the status code the client must see)
CASES: dict[str, tuple[DomainError, grpc.StatusCode]] = {
    "invalid_argument": (
        InvalidArgument([NIP_EMPTY, NAMA_EMPTY]),
        grpc.StatusCode.INVALID_ARGUMENT,
    ),
    "invalid_argument_custom_message": (
        InvalidArgument([NIP_SHORT], "Periksa kembali isian Anda."),
        grpc.StatusCode.INVALID_ARGUMENT,
    ),
    "not_found": (
        NotFound("PEGAWAI_NOT_FOUND", "Pegawai tidak ditemukan."),
        grpc.StatusCode.NOT_FOUND,
    ),
    "not_found_non_ascii": (
        NotFound("UNOR_NOT_FOUND", "Unit “Biro Umum” tidak ditemukan — periksa kode unor."),
        grpc.StatusCode.NOT_FOUND,
    ),
    "permission_denied": (PermissionDenied(), grpc.StatusCode.PERMISSION_DENIED),
    "permission_denied_custom": (
        PermissionDenied("ROLE_REQUIRED", "Hanya admin instansi yang dapat melakukan ini."),
        grpc.StatusCode.PERMISSION_DENIED,
    ),
    "unauthenticated": (Unauthenticated(), grpc.StatusCode.UNAUTHENTICATED),
    "failed_precondition": (
        FailedPrecondition("SKP_ALREADY_APPROVED", "SKP sudah disetujui dan tidak dapat diubah."),
        grpc.StatusCode.FAILED_PRECONDITION,
    ),
    "failed_precondition_with_violations": (
        FailedPrecondition("PERIODE_CLOSED", "Periode penilaian sudah ditutup.", [NIP_SHORT]),
        grpc.StatusCode.FAILED_PRECONDITION,
    ),
    "already_exists": (
        AlreadyExists("NIP_TAKEN", "NIP sudah terdaftar.", [NIP_EMPTY]),
        grpc.StatusCode.ALREADY_EXISTS,
    ),
    "conflict": (Conflict(), grpc.StatusCode.ABORTED),
    "resource_exhausted": (
        ResourceExhausted("TOO_MANY_ATTEMPTS", "Terlalu banyak percobaan. Coba lagi nanti."),
        grpc.StatusCode.RESOURCE_EXHAUSTED,
    ),
    "unavailable": (
        Unavailable("ORG_UNAVAILABLE", "Data organisasi tidak dapat dibaca saat ini."),
        grpc.StatusCode.UNAVAILABLE,
    ),
    "base_domain_error": (
        DomainError("CUSTOM", "Kesalahan khusus.", [NAMA_EMPTY], grpc.StatusCode.OUT_OF_RANGE),
        grpc.StatusCode.OUT_OF_RANGE,
    ),
}


def _raise(request: bytes, context: grpc.ServicerContext) -> bytes:
    name = request.decode()
    if name == "crash":
        raise RuntimeError("password=hunter2 at /srv/secret.py line 42")
    if name == "violations":
        found = Violations()
        assert not found
        found.raise_if_any()  # nothing collected yet: no error
        found.add("pegawai.nip", "REQUIRED", "NIP wajib diisi.")
        found.add("pegawai.nama", "REQUIRED", "Nama wajib diisi.")
        assert found
        found.raise_if_any()
    if name == "ok":
        return b"ok"
    if name == "many_violations":
        raise InvalidArgument(MANY)
    raise CASES[name][0]


def _register(server: grpc.Server) -> None:
    handler = grpc.method_handlers_generic_handler(
        SERVICE, {"Raise": grpc.unary_unary_rpc_method_handler(_raise)}
    )
    server.add_generic_rpc_handlers((handler,))


@pytest.fixture(scope="module")
def call() -> Iterator[Callable[[str], bytes]]:
    """call(name): invokes the Raise method (public: no token needed) on a real kit server."""
    server, port = create_server(_register, [SERVICE], verifier=None, public_methods=[RAISE], max_workers=4)
    server.start()
    channel = grpc.insecure_channel(f"127.0.0.1:{port}")
    method = channel.unary_unary(RAISE)

    def invoke(name: str) -> bytes:
        return bytes(method(name.encode(), timeout=5))

    try:
        yield invoke
    finally:
        channel.close()
        server.stop(None)


def test_cases_cover_every_domain_error_subclass() -> None:
    raised = {type(error) for error, _ in CASES.values()}
    assert set(DomainError.__subclasses__()) <= raised


def test_server_works_when_nothing_is_raised(call: Callable[[str], bytes]) -> None:
    assert call("ok") == b"ok"


@pytest.mark.parametrize("name", sorted(CASES))
def test_domain_error_round_trips(call: Callable[[str], bytes], name: str) -> None:
    raised, code = CASES[name]
    with pytest.raises(grpc.RpcError) as info:
        call(name)
    error = info.value
    assert isinstance(error, grpc.Call)
    assert error.code() == code
    assert error.details() == raised.message

    rebuilt = from_rpc_error(error)
    assert rebuilt is not None
    assert rebuilt.reason == raised.reason
    assert rebuilt.message == raised.message
    assert rebuilt.violations == raised.violations
    assert rebuilt.grpc_code == code
    assert str(rebuilt) == f"{raised.reason}: {raised.message}"


def test_violations_collector_reports_every_field(call: Callable[[str], bytes]) -> None:
    with pytest.raises(grpc.RpcError) as info:
        call("violations")
    rebuilt = from_rpc_error(info.value)
    assert rebuilt is not None
    assert rebuilt.grpc_code == grpc.StatusCode.INVALID_ARGUMENT
    assert rebuilt.reason == "INVALID_ARGUMENT"
    assert rebuilt.message == "Data yang dikirim tidak valid."
    assert rebuilt.violations == [
        FieldViolation("pegawai.nip", "REQUIRED", "NIP wajib diisi."),
        FieldViolation("pegawai.nama", "REQUIRED", "Nama wajib diisi."),
    ]


def test_a_thousand_violations_still_arrive_as_invalid_argument(call: Callable[[str], bytes]) -> None:
    """All of them in the status would exceed gRPC's metadata limit and the call would fail as
    RESOURCE_EXHAUSTED ("received metadata size exceeds hard limit"): the first ones are reported."""
    with pytest.raises(grpc.RpcError) as info:
        call("many_violations")
    error = info.value
    assert isinstance(error, grpc.Call)
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT, error.details()
    metadata = sum(len(key) + len(value) for key, value in error.trailing_metadata() or ())
    assert metadata < 8 * 1024
    rebuilt = from_rpc_error(error)
    assert rebuilt is not None
    assert 10 <= len(rebuilt.violations) < len(MANY)
    assert rebuilt.violations == MANY[: len(rebuilt.violations)]


def test_unexpected_exception_is_internal_with_trace_id_only(
    call: Callable[[str], bytes], caplog: pytest.LogCaptureFixture
) -> None:
    with (
        caplog.at_level(logging.ERROR, logger="kinerja_kit.grpc_server"),
        pytest.raises(grpc.RpcError) as info,
    ):
        call("crash")
    error = info.value
    assert isinstance(error, grpc.Call)
    assert error.code() == grpc.StatusCode.INTERNAL
    details = error.details() or ""
    match = re.fullmatch(r"Terjadi kesalahan pada sistem\. Kode pelacakan: ([0-9a-f]{16})", details)
    assert match, details
    for leaked in ("hunter2", "secret.py", "RuntimeError", "Traceback", "line 42"):
        assert leaked not in details
    assert not any(key.endswith("-bin") for key, _ in error.trailing_metadata() or ())
    assert from_rpc_error(error) is None

    # The trace id the caller sees finds the stack in the server log: the exception's type and frames,
    # not its message (a database error's message quotes the request's values).
    failures = [r for r in caplog.records if r.getMessage() == "rpc failed"]
    assert len(failures) == 1
    assert getattr(failures[0], "trace_id", None) == match.group(1)
    assert getattr(failures[0], "method", None) == RAISE
    logged = str(getattr(failures[0], "error", ""))
    assert "RuntimeError" in logged and "test_kit_errors.py" in logged
    assert "RuntimeError: password" not in logged and failures[0].exc_info is None


def test_from_rpc_error_ignores_errors_without_details() -> None:
    channel = grpc.insecure_channel("127.0.0.1:1")  # nothing listens: UNAVAILABLE without rich status
    try:
        with pytest.raises(grpc.RpcError) as info:
            channel.unary_unary(RAISE)(b"ok", timeout=2)
        assert isinstance(info.value, grpc.Call)
        assert info.value.code() in (grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.DEADLINE_EXCEEDED)
        assert from_rpc_error(info.value) is None
    finally:
        channel.close()
