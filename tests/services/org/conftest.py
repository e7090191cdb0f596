"""Fixtures of the org tests: one migrated database and one running org service per session."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import grpc
import pytest
from sqlalchemy import Engine, create_engine
from sqlalchemy.engine import make_url

from kinerja.org.v1 import org_pb2_grpc
from kinerja_kit.db import ServiceDatabase, make_engine
from kinerja_kit.runtime import ServiceRuntime
from kinerja_kit.tokens import TokenSigner
from kinerja_testing.org import OrgWorld, Tenant
from org.bootstrap import build, migrate
from org.settings import OrgSettings


@pytest.fixture(scope="session")
def org_db(service_database: Callable[[str], ServiceDatabase]) -> ServiceDatabase:
    db = service_database("org")
    migrate(db.owner_url)
    return db


@pytest.fixture(scope="session")
def org_settings(org_db: ServiceDatabase, signer: TokenSigner) -> OrgSettings:
    return OrgSettings(
        database_url=org_db.app_url,
        migration_database_url=org_db.owner_url,
        grpc_host="127.0.0.1",
        grpc_port=0,
        jwt_issuer=signer.issuer,
        jwt_audience=signer.audience,
        db_pool_size=5,
    )


@pytest.fixture(scope="session")
def org_runtime(org_settings: OrgSettings, jwks_provider: Callable[[], str]) -> Iterator[ServiceRuntime]:
    """The org service without its relay: events stay in the outbox for the tests to read."""
    runtime = build(org_settings, jwks_provider=jwks_provider, with_relay=False).start()
    yield runtime
    runtime.stop()


@pytest.fixture(scope="session")
def stub(org_runtime: ServiceRuntime) -> Iterator[org_pb2_grpc.OrgServiceStub]:
    channel = grpc.insecure_channel(f"127.0.0.1:{org_runtime.port}")
    yield org_pb2_grpc.OrgServiceStub(channel)
    channel.close()


@pytest.fixture(scope="session")
def app_engine(org_db: ServiceDatabase) -> Iterator[Engine]:
    """The runtime role (no BYPASSRLS), as the service connects."""
    engine = make_engine(org_db.app_url, pool_size=2)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def inspect_engine(pg_admin_url: str, org_db: ServiceDatabase) -> Iterator[Engine]:
    """A superuser on the org database: sees every row, to check what a call stored."""
    engine = create_engine(make_url(pg_admin_url).set(database=org_db.name))
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def world(
    stub: org_pb2_grpc.OrgServiceStub, token_for: Callable[..., str], inspect_engine: Engine
) -> OrgWorld:
    return OrgWorld(stub, token_for, inspect_engine)


@pytest.fixture(scope="session")
def demo(world: OrgWorld) -> Tenant:
    """A demo tree (variant 1) shared by read-only tests: do not change it."""
    return world.tree(1)


@pytest.fixture
def tenant(world: OrgWorld) -> Tenant:
    """A fresh, empty instansi for one test."""
    return world.instansi()
