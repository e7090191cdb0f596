"""Mutations return typed UserErrors; unexpected failures show a trace id and never a stack trace."""

from __future__ import annotations

import logging
import uuid

import grpc
import pytest

from gateway.api.errors import camel_path, user_errors
from gateway.api.limits import RequestGuard
from kinerja_kit.errors import DomainError, FieldViolation, InvalidArgument, NotFound
from kinerja_testing.gateway import FakeIdentity, FakeOrg, Gql, TokenFactory, error_codes

CREATE_PEGAWAI = """
mutation($input: PegawaiInput!) {
  createPegawai(input: $input) { pegawai { id nama } errors { field code message } }
}
"""


def test_camel_path() -> None:
    assert camel_path("pegawai.unor_id") == "pegawai.unorId"
    assert camel_path("relations.rekan_kerja_ids[2]") == "relations.rekanKerjaIds[2]"
    assert camel_path("nama") == "nama"


def test_user_errors_one_per_violation_or_one_general() -> None:
    err = InvalidArgument(
        [
            FieldViolation("pegawai.nip", "NIP_INVALID", "NIP salah."),
            FieldViolation("expected_version", "X", "y"),
        ]
    )
    assert [(e.field, e.code) for e in user_errors(err, {"pegawai": "input"})] == [
        ("input.nip", "NIP_INVALID"),
        ("expectedVersion", "X"),
    ]
    general = user_errors(NotFound("UNOR_NOT_FOUND", "Unor tidak ditemukan."))
    assert [(e.field, e.code, e.message) for e in general] == [
        (None, "UNOR_NOT_FOUND", "Unor tidak ditemukan.")
    ]


def test_bad_input_returns_every_violation_as_user_errors(
    gql: Gql, fake_org: FakeOrg, token_for: TokenFactory
) -> None:
    seeded = fake_org.seed(pegawai=1)
    before = len(fake_org.data.pegawai)
    body = gql(
        CREATE_PEGAWAI,
        {
            "input": {
                "nip": "12ab",
                "nama": " ",
                "unorId": str(uuid.uuid4()),
                "jabatan": {"nama": "Pengelola Umum", "jenis": "PELAKSANA"},
            }
        },
        token=token_for(uuid.UUID(seeded.instansi_id), role="admin_instansi"),
    )
    assert "errors" not in body
    payload = body["data"]["createPegawai"]
    assert payload["pegawai"] is None
    assert {(e["field"], e["code"]) for e in payload["errors"]} == {
        ("input.nip", "NIP_INVALID"),
        ("input.nama", "REQUIRED"),
        ("input.unorId", "UNOR_NOT_FOUND"),
    }
    assert all(e["message"] for e in payload["errors"])
    assert len(fake_org.data.pegawai) == before


def test_valid_mutation_returns_the_result_and_no_errors(
    gql: Gql, fake_org: FakeOrg, token_for: TokenFactory
) -> None:
    seeded = fake_org.seed(pegawai=1)
    body = gql(
        CREATE_PEGAWAI,
        {
            "input": {
                "nip": "199203032019031002",
                "nama": "Siti Aminah",
                "unorId": seeded.unor_ids[1],
                "jabatan": {"nama": "Pranata Komputer", "jenis": "FUNGSIONAL", "jenjang": "Ahli Muda"},
            }
        },
        token=token_for(uuid.UUID(seeded.instansi_id), role="admin_instansi"),
    )
    payload = body["data"]["createPegawai"]
    assert payload["errors"] == []
    assert payload["pegawai"]["nama"] == "Siti Aminah"


def test_general_domain_error_has_no_field(gql: Gql, fake_org: FakeOrg, token_for: TokenFactory) -> None:
    seeded = fake_org.seed(pegawai=1)
    body = gql(
        'mutation { deleteUnor(id: "00000000-0000-7000-8000-0000000000aa") { deletedId errors { field code } } }',
        token=token_for(uuid.UUID(seeded.instansi_id), role="admin_instansi"),
    )
    assert body["data"]["deleteUnor"] == {
        "deletedId": None,
        "errors": [{"field": None, "code": "UNOR_NOT_FOUND"}],
    }


def test_login_and_password_errors(gql: Gql, fake_identity: FakeIdentity) -> None:
    instansi = str(uuid.uuid4())
    account = fake_identity.add_account(instansi, "198501012010011001", "benar-sekali", ["pegawai"])
    wrong = gql(
        'mutation { login(username: "198501012010011001", password: "salah") { tokens { accessToken } errors { field code message } } }'
    )
    assert wrong["data"]["login"] == {
        "tokens": None,
        "errors": [{"field": None, "code": "LOGIN_FAILED", "message": "NIP atau kata sandi salah."}],
    }
    good = gql(
        'mutation { login(username: "198501012010011001", password: "benar-sekali") { tokens { accessToken tokenType } account { id } errors { code } } }'
    )
    assert good["data"]["login"]["errors"] == []
    assert good["data"]["login"]["account"]["id"] == account.id
    token = good["data"]["login"]["tokens"]["accessToken"]
    short = gql(
        'mutation { changePassword(oldPassword: "benar-sekali", newPassword: "pendek") { ok errors { field code } } }',
        token=token,
    )
    assert short["data"]["changePassword"] == {
        "ok": False,
        "errors": [{"field": "newPassword", "code": "PASSWORD_TOO_SHORT"}],
    }


def test_unexpected_failure_shows_a_trace_id_and_no_stack(
    gql: Gql, fake_org: FakeOrg, token_for: TokenFactory, caplog: pytest.LogCaptureFixture
) -> None:
    seeded = fake_org.seed(pegawai=1)
    with caplog.at_level(logging.ERROR, logger="gateway.graphql"):
        body = gql('{ pegawaiByNip(nip: "boom") { id } }', token=token_for(uuid.UUID(seeded.instansi_id)))
    assert body["data"] == {"pegawaiByNip": None}
    [error] = body["errors"]
    trace_id = error["extensions"]["traceId"]
    assert error["extensions"]["code"] == "INTERNAL"
    assert trace_id in error["message"] and "kesalahan" in error["message"]
    text = str(body)
    for leak in ("Traceback", "exploded", "secret", ".py", "StatusCode"):
        assert leak not in text
    assert set(error) <= {"message", "locations", "path", "extensions"}
    [logged] = [r for r in caplog.records if getattr(r, "trace_id", None) == trace_id]
    # The log finds the failure by its types and frames, never by its message (it may quote the input).
    assert logged.exc_info is None and "RpcError" in logged.error  # type: ignore[attr-defined]
    for leak in ("exploded", "secret"):
        assert leak not in logged.error  # type: ignore[attr-defined]


def test_a_domain_error_in_a_query_keeps_its_code(
    gql: Gql, fake_org: FakeOrg, token_for: TokenFactory
) -> None:
    seeded = fake_org.seed(pegawai=1)
    body = gql(
        'mutation { createInstansi(input: {kode: "X", nama: "Y", jenis: "PUSAT"}) { errors { code } } }',
        token=token_for(uuid.UUID(seeded.instansi_id), role="admin_instansi"),
    )
    assert error_codes(body) == ["ADMIN_BKN_ONLY"]
    assert "kesalahan" not in body["errors"][0]["message"]


def test_from_rpc_error_reaches_the_gateway_as_domain_error() -> None:
    err = DomainError("X", "pesan", [], grpc.StatusCode.NOT_FOUND)
    assert user_errors(err)[0].code == "X"


def test_a_crash_before_execution_is_masked_too(
    gql: Gql, token_for: TokenFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A failure in the request guard (after validation, before any resolver) is masked like any other.
    def explode(*args: object) -> None:
        raise ValueError("max() arg is an empty sequence")

    monkeypatch.setattr(RequestGuard, "check", explode)
    body = gql('mutation { createUnor(input: {nama: "x", jenis: PENGAWAS}) { errors { code } } }',
               token=token_for(uuid.uuid4()))  # fmt: skip
    [error] = body["errors"]
    assert error["extensions"]["code"] == "INTERNAL" and error["extensions"]["traceId"] in error["message"]
    assert "max()" not in str(body)


def test_an_empty_selection_set_is_a_validation_error(gql: Gql, token_for: TokenFactory) -> None:
    # It once crashed strawberry's depth limiter; the gateway's own limits measure it as empty.
    body = gql(
        'mutation { createUnor(input: {nama: "x", jenis: PENGAWAS}) { } }', token=token_for(uuid.uuid4())
    )
    [error] = body["errors"]
    assert "extensions" not in error or error["extensions"].get("code") != "INTERNAL"
    assert "locations" in error
