"""Gateway fixtures: the app over fake identity and org servers, and a small GraphQL client."""

from __future__ import annotations

import sys
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

sys.path.insert(0, str(Path(__file__).resolve().parent))

from gateway_e2e import ADMIN_BKN_NIP, ADMIN_BKN_PASSWORD, Tenant, build_tenant, give_logins, login
from gateway_testing import FakeIdentity, FakeOrg, Gql, gateway_settings, start_fake_servers

from gateway.app import create_app
from identity.bootstrap import build as build_identity
from identity.bootstrap import migrate as migrate_identity
from identity.settings import IdentitySettings
from kinerja_kit.auth import TokenVerifier
from kinerja_kit.db import ServiceDatabase
from kinerja_kit.tokens import TokenSigner
from org.bootstrap import build as build_org
from org.bootstrap import migrate as migrate_org
from org.settings import OrgSettings


@pytest.fixture(scope="session")
def fake_org() -> FakeOrg:
    return FakeOrg()


@pytest.fixture(scope="session")
def fake_identity(signer: TokenSigner, jwks_provider: Callable[[], str]) -> FakeIdentity:
    return FakeIdentity(signer, jwks_provider())


@pytest.fixture(scope="session")
def fake_addrs(
    fake_org: FakeOrg, fake_identity: FakeIdentity, signer: TokenSigner, jwks_provider: Callable[[], str]
) -> Iterator[tuple[str, str]]:
    verifier = TokenVerifier(jwks_provider, signer.issuer, signer.audience)
    servers, identity_addr, org_addr = start_fake_servers(fake_org, fake_identity, verifier)
    yield identity_addr, org_addr
    for server in servers:
        server.stop(0)


@pytest.fixture(scope="session")
def client(fake_addrs: tuple[str, str], signer: TokenSigner) -> Iterator[TestClient]:
    app = create_app(gateway_settings(*fake_addrs, signer))
    with TestClient(app) as test_client:
        yield test_client


def make_gql(client: TestClient) -> Gql:
    def gql(query: str, variables: dict[str, Any] | None = None, token: str | None = None) -> dict[str, Any]:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        response = client.post(
            "/graphql", json={"query": query, "variables": variables or {}}, headers=headers
        )
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    return gql


@pytest.fixture(scope="session")
def gql(client: TestClient) -> Gql:
    """gql(query, variables=None, token=None) -> the JSON body ({"data": ..., "errors": ...})."""
    return make_gql(client)


# ---- end to end: the real identity and org services (started only by the tests that ask) ----


@pytest.fixture(scope="session")
def e2e_services(
    service_database: Callable[[str], ServiceDatabase], kafka_bootstrap: str, signer: TokenSigner
) -> Iterator[tuple[str, str]]:
    """identity and org on their own databases (not the service tests'), with the outbox relay on."""
    identity_db = service_database("gateway_e2e_identity")
    org_db = service_database("gateway_e2e_org")
    migrate_identity(identity_db.owner_url)
    migrate_org(org_db.owner_url)
    common: dict[str, Any] = {
        "grpc_host": "127.0.0.1",
        "grpc_port": 0,
        "kafka_bootstrap_servers": kafka_bootstrap,
        "jwt_issuer": signer.issuer,
        "jwt_audience": signer.audience,
        "outbox_poll_seconds": 0.05,
        "db_pool_size": 5,
        "log_json": False,
    }
    identity = build_identity(
        IdentitySettings(
            database_url=identity_db.app_url,
            migration_database_url=identity_db.owner_url,
            argon2_time_cost=1,
            argon2_memory_cost_kib=8,
            bootstrap_admin_username=ADMIN_BKN_NIP,
            bootstrap_admin_password=ADMIN_BKN_PASSWORD,
            pegawai_consumer_name=f"identity.pegawai-accounts.gateway-{uuid.uuid4().hex[:8]}",
            consumer_session_timeout_ms=3000,
            consumer_heartbeat_interval_ms=1000,
            **common,
        )
    ).start()
    identity_addr = f"127.0.0.1:{identity.port}"
    org = build_org(
        OrgSettings(
            database_url=org_db.app_url,
            migration_database_url=org_db.owner_url,
            identity_addr=identity_addr,
            **common,
        )
    ).start()
    yield identity_addr, f"127.0.0.1:{org.port}"
    org.stop()
    identity.stop()


@pytest.fixture(scope="session")
def e2e_client(e2e_services: tuple[str, str], signer: TokenSigner) -> Iterator[TestClient]:
    with TestClient(create_app(gateway_settings(*e2e_services, signer))) as test_client:
        yield test_client


@pytest.fixture(scope="session")
def e2e_gql(e2e_client: TestClient) -> Gql:
    return make_gql(e2e_client)


@pytest.fixture(scope="session")
def bkn_token(e2e_gql: Gql) -> str:
    """Admin BKN, logged in through GraphQL."""
    token, _ = login(e2e_gql, ADMIN_BKN_NIP, ADMIN_BKN_PASSWORD)
    return token


@pytest.fixture(scope="session")
def tenants(e2e_gql: Gql, bkn_token: str) -> tuple[Tenant, Tenant]:
    """Instansi A and B, each with unor, pegawai, a PLT, an admin instansi and a pegawai login."""
    a, b = build_tenant(e2e_gql, bkn_token), build_tenant(e2e_gql, bkn_token)
    give_logins(e2e_gql, bkn_token, a)
    give_logins(e2e_gql, bkn_token, b)
    return a, b
