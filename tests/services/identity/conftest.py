"""Fixtures of the identity tests: one migrated database and one running identity service per session."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator

import grpc
import pytest
from sqlalchemy import Engine

from identity.bootstrap import build, build_deps, migrate
from identity.service_layer.deps import Deps
from identity.settings import IdentitySettings
from kinerja.identity.v1 import identity_pb2_grpc
from kinerja_kit.consumer import EventConsumer
from kinerja_kit.db import ServiceDatabase, UnitOfWork, make_engine
from kinerja_kit.runtime import ServiceRuntime
from kinerja_kit.tokens import TokenSigner
from kinerja_testing.identity import ADMIN_BKN_NIP, ADMIN_BKN_PASSWORD, Factory


@pytest.fixture(scope="session")
def identity_db(service_database: Callable[[str], ServiceDatabase]) -> ServiceDatabase:
    db = service_database("identity")
    migrate(db.owner_url)
    return db


@pytest.fixture(scope="session")
def identity_settings(
    identity_db: ServiceDatabase, kafka_bootstrap: str, signer: TokenSigner
) -> IdentitySettings:
    return IdentitySettings(
        database_url=identity_db.app_url,
        migration_database_url=identity_db.owner_url,
        grpc_host="127.0.0.1",
        grpc_port=0,
        kafka_bootstrap_servers=kafka_bootstrap,
        jwt_issuer=signer.issuer,
        jwt_audience=signer.audience,
        argon2_time_cost=1,
        argon2_memory_cost_kib=8,
        argon2_parallelism=1,
        bootstrap_admin_username=ADMIN_BKN_NIP,
        bootstrap_admin_password=ADMIN_BKN_PASSWORD,
        pegawai_consumer_name=f"identity.pegawai-accounts.test-{uuid.uuid4().hex[:8]}",
        consumer_session_timeout_ms=3000,
        consumer_heartbeat_interval_ms=1000,
        outbox_poll_seconds=0.05,
        db_pool_size=5,
    )


@pytest.fixture(scope="session")
def identity_runtime(
    identity_settings: IdentitySettings, jwks_provider: Callable[[], str]
) -> Iterator[ServiceRuntime]:
    runtime = build(identity_settings, jwks_provider=jwks_provider).start()
    yield runtime
    runtime.stop()


@pytest.fixture(scope="session")
def pegawai_consumer(identity_runtime: ServiceRuntime) -> EventConsumer:
    consumer = next(w for w in identity_runtime.workers if isinstance(w, EventConsumer))
    return consumer


@pytest.fixture(scope="session")
def stub(identity_runtime: ServiceRuntime) -> Iterator[identity_pb2_grpc.IdentityServiceStub]:
    channel = grpc.insecure_channel(f"127.0.0.1:{identity_runtime.port}")
    yield identity_pb2_grpc.IdentityServiceStub(channel)
    channel.close()


@pytest.fixture(scope="session")
def app_engine(identity_db: ServiceDatabase) -> Iterator[Engine]:
    """The runtime role (no BYPASSRLS), as the service connects."""
    engine = make_engine(identity_db.app_url, pool_size=2)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def deps(identity_settings: IdentitySettings, app_engine: Engine) -> Deps:
    """Handler dependencies for test factories (same database, same settings as the service)."""
    return build_deps(identity_settings, UnitOfWork.from_engine(app_engine))


@pytest.fixture(scope="session")
def factory(deps: Deps, identity_runtime: ServiceRuntime) -> Factory:
    return Factory(deps)
