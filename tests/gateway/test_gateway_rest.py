"""REST routes: health, login, public keys, and the typed JSON list serving what GraphQL serves."""

from __future__ import annotations

import json
import uuid

from fastapi.testclient import TestClient

from gateway.app import create_app
from kinerja_kit.tokens import TokenSigner
from kinerja_testing.gateway import FakeIdentity, FakeOrg, Gql, ServiceAddrs, TokenFactory, gateway_settings
from kinerja_testing.infra import free_port


def test_healthz_is_green_when_every_service_answers(client: TestClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "services": {
            "identity": "SERVING",
            "org": "SERVING",
            "skp": "SERVING",
            "assessment": "SERVING",
            "angka_kredit": "SERVING",
        },
    }


def test_healthz_names_the_service_that_does_not_answer(
    fake_addrs: ServiceAddrs, signer: TokenSigner
) -> None:
    for down_service in ("org", "skp", "assessment", "angka_kredit"):
        addrs = {
            "org": fake_addrs.org,
            "skp": fake_addrs.skp,
            "assessment": fake_addrs.assessment,
            "angka_kredit": fake_addrs.angka_kredit,
            down_service: f"127.0.0.1:{free_port()}",
        }
        settings = gateway_settings(
            fake_addrs.identity,
            addrs["org"],
            signer,
            skp_addr=addrs["skp"],
            assessment_addr=addrs["assessment"],
            angka_kredit_addr=addrs["angka_kredit"],
            health_timeout_seconds=0.5,
        )
        with TestClient(create_app(settings)) as down:
            response = down.get("/healthz")
        assert response.status_code == 503
        body = response.json()
        assert body["failed"] == [down_service] and body["services"]["identity"] == "SERVING"


def test_login_returns_tokens_and_refuses_wrong_passwords(
    client: TestClient, fake_identity: FakeIdentity
) -> None:
    fake_identity.add_account(str(uuid.uuid4()), "197001012000031001", "kata-sandi-ok", ["pegawai"])
    good = client.post("/auth/login", json={"username": "197001012000031001", "password": "kata-sandi-ok"})
    assert good.status_code == 200
    assert good.json()["tokenType"] == "Bearer" and good.json()["accessToken"]
    bad = client.post("/auth/login", json={"username": "197001012000031001", "password": "salah"})
    assert bad.status_code == 401
    assert bad.json() == {"code": "LOGIN_FAILED", "message": "NIP atau kata sandi salah."}
    assert client.post("/auth/login", json={"username": ""}).status_code == 422


def test_jwks_serves_identitys_public_keys(client: TestClient, fake_identity: FakeIdentity) -> None:
    keys = client.get("/.well-known/jwks.json").json()["keys"]
    assert keys and all("d" not in k for k in keys)
    assert {k["kid"] for k in keys} == {k["kid"] for k in json.loads(fake_identity.jwks)["keys"]}


def test_json_list_serves_the_same_page_as_graphql(
    client: TestClient, gql: Gql, fake_org: FakeOrg, token_for: TokenFactory
) -> None:
    seeded = fake_org.seed(pegawai=15)
    token = token_for(uuid.UUID(seeded.instansi_id))
    rest = client.get("/api/v1/pegawai", params={"first": 10}, headers={"Authorization": f"Bearer {token}"})
    assert rest.status_code == 200
    page = rest.json()
    body = gql(
        "{ pegawaiList(first: 10) { totalCount pageInfo { hasNextPage endCursor } edges { node { id nama unor { id nama } } } } }",
        token=token,
    )["data"]["pegawaiList"]
    assert page["totalCount"] == body["totalCount"] == 15 and page["totalCountExact"] is True
    assert page["hasNextPage"] is True and page["endCursor"] == body["pageInfo"]["endCursor"]
    assert [(p["id"], p["nama"], p["unor"]) for p in page["items"]] == [
        (e["node"]["id"], e["node"]["nama"], e["node"]["unor"]) for e in body["edges"]
    ]
    nxt = client.get(
        "/api/v1/pegawai",
        params={"first": 10, "after": page["endCursor"]},
        headers={"Authorization": f"Bearer {token}"},
    ).json()
    assert len(nxt["items"]) == 5 and nxt["hasNextPage"] is False


def test_json_list_applies_the_same_tenancy_and_limits(
    client: TestClient, fake_org: FakeOrg, token_for: TokenFactory
) -> None:
    mine, theirs = fake_org.seed(pegawai=1), fake_org.seed(pegawai=1)
    headers = {"Authorization": f"Bearer {token_for(uuid.UUID(mine.instansi_id))}"}
    forbidden = client.get("/api/v1/pegawai", params={"instansiId": theirs.instansi_id}, headers=headers)
    assert forbidden.status_code == 403 and forbidden.json()["code"] == "INSTANSI_FORBIDDEN"
    bkn = {"Authorization": f"Bearer {token_for(role='admin_bkn')}"}
    assert client.get("/api/v1/pegawai", headers=bkn).json()["code"] == "INSTANSI_REQUIRED"
    assert client.get("/api/v1/pegawai", params={"first": 101}, headers=headers).status_code == 400
    assert client.get("/api/v1/pegawai").status_code == 401


def test_graphiql_is_served(client: TestClient) -> None:
    page = client.get("/graphql", headers={"Accept": "text/html"})
    assert page.status_code == 200 and "graphiql" in page.text.lower()


def test_request_id_is_kept_or_made(client: TestClient) -> None:
    assert client.get("/healthz", headers={"x-request-id": "abc-123"}).headers["x-request-id"] == "abc-123"
    assert len(client.get("/healthz").headers["x-request-id"]) == 32


def test_login_refuses_a_lone_surrogate_as_a_client_error(client: TestClient) -> None:
    """protobuf cannot encode a lone surrogate: it must be refused before the gRPC request is built."""
    body = b'{"username": "197001012000031001", "password": "kata\\ud800sandi"}'
    response = client.post("/auth/login", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 422, response.text
    assert response.json() == {
        "code": "INVALID_REQUEST",
        "message": "Permintaan tidak valid.",
        "fields": [{"field": "password", "code": "STRING_UNICODE"}],
    }
