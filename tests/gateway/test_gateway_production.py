"""Production mode (GATEWAY_PRODUCTION): no GraphiQL, and no introspection for callers without a valid
token; everything else answers as before."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from fastapi.testclient import TestClient

from gateway.app import create_app
from kinerja_kit.tokens import TokenSigner
from kinerja_testing.gateway import ServiceAddrs, TokenFactory, gateway_settings

INTROSPECTION = "{ __schema { queryType { name } } }"
HTML = {"accept": "text/html"}


@pytest.fixture(scope="module")
def production(fake_addrs: ServiceAddrs, signer: TokenSigner) -> Iterator[TestClient]:
    # GRAPHIQL stays true, as a dev setting left behind would: production mode wins.
    settings = gateway_settings(
        fake_addrs.identity,
        fake_addrs.org,
        signer,
        skp_addr=fake_addrs.skp,
        gateway_production=True,
        graphiql=True,
    )
    with TestClient(create_app(settings)) as client:
        yield client


def _post(client: TestClient, query: str, token: str | None = None) -> dict[str, Any]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = client.post("/graphql", json={"query": query}, headers=headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def test_production_mode_has_no_graphiql(production: TestClient) -> None:
    response = production.get("/graphql", headers=HTML)
    assert response.status_code == 404
    assert "graphiql" not in response.text.lower()
    assert response.json()["errors"][0]["extensions"]["code"] == "NOT_FOUND"


def test_production_mode_refuses_introspection_without_a_token(
    production: TestClient, token_for: TokenFactory
) -> None:
    body = _post(production, INTROSPECTION)
    assert body["data"] is None
    assert "introspection" in body["errors"][0]["message"]
    body = _post(production, '{ __type(name: "Pegawai") { name } }')
    assert body["data"] is None
    # an invalid token is no token
    assert _post(production, INTROSPECTION, token="not.a.jwt")["data"] is None
    # a valid token may introspect (tools of signed-in developers); __typename is never introspection
    assert _post(production, INTROSPECTION, token=token_for(uuid.uuid4())) == {
        "data": {"__schema": {"queryType": {"name": "Query"}}}
    }
    assert _post(production, "{ __typename }") == {"data": {"__typename": "Query"}}
    # login still works without a token
    body = _post(production, 'mutation { login(username: "x", password: "y") { errors { code } } }')
    assert "errors" not in body


def test_outside_production_graphiql_and_introspection_stay(client: TestClient) -> None:
    assert "graphiql" in client.get("/graphql", headers=HTML).text.lower()
    assert _post(client, INTROSPECTION) == {"data": {"__schema": {"queryType": {"name": "Query"}}}}


def test_the_production_overlay_sets_production_mode(repo_root: Path) -> None:
    config = repo_root / "deploy" / "k8s" / "overlays" / "production" / "config.yaml"
    maps = [d for d in yaml.safe_load_all(config.read_text()) if d and d["kind"] == "ConfigMap"]
    gateway = next(m for m in maps if m["metadata"]["name"] == "gateway-config")
    assert gateway["data"]["GATEWAY_PRODUCTION"] == "true"
