"""Gateway fixtures: the app over fake identity, org and skp servers, and a small GraphQL client."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from gateway.app import create_app
from kinerja_kit.auth import TokenVerifier
from kinerja_kit.runtime import ServiceRuntime as _Runtime
from kinerja_kit.tokens import TokenSigner
from kinerja_testing.assessment import FakeAssessment, start_fake_assessment
from kinerja_testing.gateway import (
    FakeAngkaKredit,
    FakeIdentity,
    FakeOrg,
    FakeSkp,
    Gql,
    ServiceAddrs,
    gateway_settings,
    start_fake_angka_kredit,
    start_fake_servers,
)
from kinerja_testing.gateway_e2e import Tenant, build_tenant, give_logins, login
from kinerja_testing.platform import (
    ADMIN_BKN_PASSWORD,
    ADMIN_BKN_USERNAME,
    Platform,
    angka_kredit_service,
)

__all__ = ["angka_kredit_service"]  # the fixture, imported to be found here


@pytest.fixture(scope="session")
def fake_org() -> FakeOrg:
    return FakeOrg()


@pytest.fixture(scope="session")
def fake_identity(signer: TokenSigner, jwks_provider: Callable[[], str]) -> FakeIdentity:
    return FakeIdentity(signer, jwks_provider())


@pytest.fixture(scope="session")
def fake_skp() -> FakeSkp:
    return FakeSkp()


@pytest.fixture(scope="session")
def fake_addrs(
    fake_org: FakeOrg,
    fake_identity: FakeIdentity,
    fake_skp: FakeSkp,
    signer: TokenSigner,
    jwks_provider: Callable[[], str],
) -> Iterator[ServiceAddrs]:
    verifier = TokenVerifier(jwks_provider, signer.issuer, signer.audience)
    servers, addrs = start_fake_servers(fake_org, fake_identity, verifier, fake_skp)
    # An assessment service that answers (its fields are driven by test_gateway_assessment's own fake).
    assessment_server, assessment_addr = start_fake_assessment(FakeAssessment(), verifier)
    angka_kredit_server, angka_kredit_addr = start_fake_angka_kredit(FakeAngkaKredit(), verifier)
    yield dataclasses.replace(addrs, assessment=assessment_addr, angka_kredit=angka_kredit_addr)
    for server in [*servers, assessment_server, angka_kredit_server]:
        server.stop(0)


@pytest.fixture(scope="session")
def client(fake_addrs: ServiceAddrs, signer: TokenSigner) -> Iterator[TestClient]:
    settings = gateway_settings(
        fake_addrs.identity,
        fake_addrs.org,
        signer,
        skp_addr=fake_addrs.skp,
        assessment_addr=fake_addrs.assessment,
        angka_kredit_addr=fake_addrs.angka_kredit,
    )
    app = create_app(settings)
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


# ---- end to end: the real identity, org and skp services (started only by the tests that ask) ----


@pytest.fixture(scope="session")
def e2e_services(platform: Platform, angka_kredit_service: _Runtime) -> ServiceAddrs:
    """The real identity, org, skp, assessment and angka kredit services (the session's platform), as gRPC
    addresses."""
    return ServiceAddrs(
        platform.identity_addr,
        platform.org_addr,
        platform.skp_addr,
        platform.assessment_addr,
        platform.angka_kredit_addr,
    )


@pytest.fixture(scope="session")
def e2e_client(e2e_services: ServiceAddrs, signer: TokenSigner) -> Iterator[TestClient]:
    settings = gateway_settings(
        e2e_services.identity,
        e2e_services.org,
        signer,
        skp_addr=e2e_services.skp,
        assessment_addr=e2e_services.assessment,
        angka_kredit_addr=e2e_services.angka_kredit,
    )
    with TestClient(create_app(settings)) as test_client:
        yield test_client


@pytest.fixture(scope="session")
def e2e_gql(e2e_client: TestClient) -> Gql:
    return make_gql(e2e_client)


@pytest.fixture(scope="session")
def bkn_token(e2e_gql: Gql) -> str:
    """Admin BKN, logged in through GraphQL."""
    token, _ = login(e2e_gql, ADMIN_BKN_USERNAME, ADMIN_BKN_PASSWORD)
    return token


@pytest.fixture(scope="session")
def tenants(e2e_gql: Gql, bkn_token: str) -> tuple[Tenant, Tenant]:
    """Instansi A and B, each with unor, pegawai, a PLT, an admin instansi and a pegawai login."""
    a, b = build_tenant(e2e_gql, bkn_token), build_tenant(e2e_gql, bkn_token)
    give_logins(e2e_gql, bkn_token, a)
    give_logins(e2e_gql, bkn_token, b)
    return a, b
