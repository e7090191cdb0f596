"""The HTTP and GraphQL edges: odd bodies, huge bodies, deep JSON, unknown fragments, several operations,
lone surrogates, long searches and malformed ids get a clear typed answer, never a 500 or INTERNAL."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from kinerja_testing.gateway import FakeOrg, Gql, TokenFactory, error_codes
from kinerja_testing.gateway_e2e import Tenant

HEADERS = {"content-type": "application/json"}


def _post(client: TestClient, body: bytes, **headers: str) -> Any:
    return client.post("/graphql", content=body, headers={**HEADERS, **headers})


def _gql(client: TestClient, query: str, variables: dict[str, Any], token: str) -> dict[str, Any]:
    """Variables as escaped JSON (a lone surrogate cannot be encoded as UTF-8 text)."""
    body = json.dumps({"query": query, "variables": variables}, ensure_ascii=True).encode()
    response = _post(client, body, authorization=f"Bearer {token}")
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    return answer


def _refused(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert len(response.content) < 1000, "a refusal is a short message, not a stack trace"
    body: dict[str, Any] = response.json()
    [error] = body["errors"]
    assert error["extensions"]["code"] == code
    assert error["message"] and "Traceback" not in response.text
    return body


@pytest.mark.parametrize("body", [b"null", b'"hello"', b"42", b"true", b"[]", b"[1, 2]"])
def test_a_body_that_is_not_an_object_is_400(client: TestClient, body: bytes) -> None:
    _refused(_post(client, body), 400, "INVALID_REQUEST")


def test_invalid_utf8_and_invalid_json_are_400(client: TestClient) -> None:
    _refused(_post(client, b'{"query": "{ __typename \xff\xfe }"}'), 400, "INVALID_ENCODING")
    _refused(_post(client, b'{"query": '), 400, "INVALID_JSON")
    _refused(_post(client, b'{"query": "{ __typename }",}'), 400, "INVALID_JSON")


def test_deeply_nested_variables_are_400(client: TestClient) -> None:
    deep = "[" * 10_000 + "]" * 10_000
    body = '{"query": "query($v: String) { __typename }", "variables": {"v": ' + deep + "}}"
    _refused(_post(client, body.encode()), 400, "JSON_TOO_DEEP")
    # GET carries variables too
    response = client.get("/graphql", params={"query": "{ __typename }", "variables": '{"v":' + deep + "}"})
    _refused(response, 400, "JSON_TOO_DEEP")
    # brackets inside strings nest nothing
    text = json.dumps({"query": "{ __typename }", "variables": {"v": "[" * 10_000}})
    assert _post(client, text.encode()).json() == {"data": {"__typename": "Query"}}


def test_a_body_over_the_limit_is_413_before_it_is_read(client: TestClient) -> None:
    big = b'{"query": "{ __typename }", "variables": {"v": "' + b"x" * (30 * 1024 * 1024) + b'"}}'
    _refused(_post(client, big), 413, "REQUEST_TOO_LARGE")

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it arrives
        yield b'{"query": "{ __typename }", "variables": {"v": "'
        for _ in range(40):
            yield b"x" * 65536
        yield b'"}}'

    _refused(client.post("/graphql", content=chunks(), headers=HEADERS), 413, "REQUEST_TOO_LARGE")
    # REST routes are bounded too, in their own error shape
    response = client.post("/auth/login", content=big, headers=HEADERS)
    assert response.status_code == 413 and response.json()["code"] == "REQUEST_TOO_LARGE"
    # and a normal body still passes
    assert _post(client, b'{"query": "{ __typename }"}').json() == {"data": {"__typename": "Query"}}


def test_an_unknown_fragment_is_the_spec_validation_error(gql: Gql, token_for: TokenFactory) -> None:
    body = gql("{ ...Nope }", token=token_for(uuid.uuid4()))
    assert body["data"] is None
    assert [e["message"] for e in body["errors"]] == ["Unknown fragment 'Nope'."]
    body = gql("{ unorTree { ...Nope } }", token=token_for(uuid.uuid4()))
    assert "Unknown fragment 'Nope'." in [e["message"] for e in body["errors"]]


def test_fragments_spread_many_times_are_measured_once(gql: Gql, token_for: TokenFactory) -> None:
    # F0 spreads F1 twice, F1 spreads F2 twice, ...: 2**40 paths, which a limiter walking every path
    # never finishes; measured once per fragment it is instant.
    fragments = " ".join(f"fragment F{i} on Query {{ ...F{i + 1} ...F{i + 1} }}" for i in range(40))
    body = gql(
        "{ ...F0 } " + fragments + " fragment F40 on Query { __typename }", token=token_for(uuid.uuid4())
    )
    assert body == {"data": {"__typename": "Query"}}


def test_several_operations_need_an_operation_name(
    client: TestClient, gql: Gql, fake_org: FakeOrg, token_for: TokenFactory
) -> None:
    token = token_for(uuid.uuid4())
    document = "query A { unorTree { id } } query B { __typename }"
    calls = sum(fake_org.calls.values())
    body = gql(document, token=token)
    assert body["data"] is None and error_codes(body) == ["OPERATION_NAME_REQUIRED"]
    assert "operation name" in body["errors"][0]["message"]
    assert sum(fake_org.calls.values()) == calls, "the first operation must not run"
    named = client.post("/graphql", json={"query": document, "operationName": "B"}).json()
    assert named == {"data": {"__typename": "Query"}}
    unknown = client.post("/graphql", json={"query": document, "operationName": "C"})
    _refused(unknown, 400, "INVALID_REQUEST")


def test_a_lone_surrogate_is_a_field_error(
    client: TestClient, fake_org: FakeOrg, token_for: TokenFactory
) -> None:
    seeded = fake_org.seed(pegawai=1)
    admin = token_for(uuid.UUID(seeded.instansi_id), role="admin_instansi")
    calls = sum(fake_org.calls.values())
    body = _gql(
        client,
        "mutation($i: UnorInput!) { createUnor(input: $i) { unor { id } errors { field code message } } }",
        {"i": {"nama": "Bidang \ud800", "jenis": "PENGAWAS"}},
        token=admin,
    )
    assert "errors" not in body, body
    [error] = body["data"]["createUnor"]["errors"]
    assert error["field"] == "input.nama" and error["code"] == "INVALID_CHARACTER"
    assert "karakter" in error["message"]
    body = _gql(client, "query($q: String) { unorTree(query: $q) { id } }", {"q": "\udfff"}, token=admin)
    assert error_codes(body) == ["INVALID_ARGUMENT"]
    assert body["errors"][0]["extensions"]["fields"][0]["code"] == "INVALID_CHARACTER"
    body = _gql(client, "query($n: String!) { pegawaiByNip(nip: $n) { id } }", {"n": "\ud800"}, token=admin)
    assert body["errors"][0]["extensions"]["fields"] == [
        {
            "field": "nip",
            "code": "INVALID_CHARACTER",
            "message": "Isian berisi karakter yang tidak diizinkan.",
        }
    ]
    assert sum(fake_org.calls.values()) == calls, "refused before any service call"


def test_a_long_search_is_refused_without_calling_the_service(
    gql: Gql, fake_org: FakeOrg, token_for: TokenFactory
) -> None:
    seeded = fake_org.seed(pegawai=1)
    token = token_for(uuid.UUID(seeded.instansi_id))
    calls = sum(fake_org.calls.values())
    body = gql(
        "query($f: PegawaiFilter) { pegawaiList(filter: $f) { totalCount } }",
        {"f": {"query": "a" * 101}},
        token=token,
    )
    assert body["errors"][0]["extensions"]["fields"] == [
        {"field": "filter.query", "code": "TOO_LONG", "message": "Kata pencarian paling banyak 100 karakter."}
    ]
    body = gql("query($q: String) { unorTree(query: $q) { id } }", {"q": "x" * 10_000}, token=token)
    assert body["errors"][0]["extensions"]["fields"][0]["code"] == "TOO_LONG"
    assert sum(fake_org.calls.values()) == calls
    assert "errors" not in gql(
        "query($q: String) { unorTree(query: $q) { id } }", {"q": "a" * 100}, token=token
    )


def test_malformed_ids_answer_invalid_id(client: TestClient, gql: Gql, token_for: TokenFactory) -> None:
    token = token_for(uuid.uuid4())
    for query in (
        '{ pegawai(id: "x") { id } }',
        '{ unor(id: "x") { id } }',
        '{ relations(pegawaiId: "x") { pegawaiId } }',
        '{ unorTree(instansiId: "x") { id } }',
        '{ instansi(id: "x") { id } }',
    ):
        body = gql(query, token=token)
        assert error_codes(body) == ["INVALID_ARGUMENT"], (query, body)
        assert [f["code"] for f in body["errors"][0]["extensions"]["fields"]] == ["INVALID_ID"], (query, body)
    response = client.get(
        "/api/v1/pegawai", params={"instansiId": "x"}, headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 400
    assert [f["code"] for f in response.json()["fields"]] == ["INVALID_ID"]


def test_malformed_ids_answer_invalid_id_from_the_services_too(
    e2e_gql: Gql, tenants: tuple[Tenant, Tenant]
) -> None:
    """Ids the gateway passes on (input fields, filters, account ids) get the same code from the real
    services."""
    admin = tenants[0].admin_token
    queries = [
        ('{ account(id: "x") { id } }', None),
        ('{ pltList(pegawaiId: "x") { totalCount } }', None),
        ('{ pegawaiList(filter: {unorId: "x"}) { totalCount } }', None),
        ('{ skpList(scope: INSTANSI, filter: {unorId: "x"}) { totalCount } }', None),
        ('{ skp(id: "x") { id } }', None),
    ]
    for query, variables in queries:
        body = e2e_gql(query, variables, token=admin)
        codes = [
            f["code"] for e in body.get("errors") or [] for f in e.get("extensions", {}).get("fields", [])
        ]
        assert codes == ["INVALID_ID"], (query, body)
    body = e2e_gql(
        "mutation($i: PegawaiInput!) { createPegawai(input: $i) { errors { field code } } }",
        {
            "i": {
                "nip": "199001012020011001",
                "nama": "Uji Id",
                "unorId": "x",
                "jabatan": {"nama": "Analis", "jenis": "PELAKSANA"},
            }
        },
        token=admin,
    )
    assert {"field": "input.unorId", "code": "INVALID_ID"} in body["data"]["createPegawai"]["errors"], body
