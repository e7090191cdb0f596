"""Shared fixtures: one real PostgreSQL and one Kafka-protocol broker per test session, and token helpers."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from kinerja_kit.auth import combined_jwks
from kinerja_kit.context import ROLE_ADMIN_BKN, ROLE_ADMIN_INSTANSI, ROLE_PEGAWAI
from kinerja_kit.db import ServiceDatabase, provision_service_database
from kinerja_kit.ids import NATIONAL_INSTANSI_ID, new_id
from kinerja_kit.runtime import jwks_from_identity
from kinerja_kit.tokens import SigningKey, TokenSigner, jwks_json
from kinerja_testing.infra.broker import BrokerHandle, TansuBroker, external_or_embedded_broker
from kinerja_testing.infra.postgres import PostgresHandle, external_or_embedded_postgres
from kinerja_testing.platform import (
    ADMIN_BKN_PASSWORD,
    ADMIN_BKN_USERNAME,
    AUDIENCE,
    CONSUMER_HEARTBEAT_MS,
    CONSUMER_SESSION_TIMEOUT_MS,
    ISSUER,
    Platform,
    random_nip,
)


@pytest.fixture(scope="session")
def postgres(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PostgresHandle]:
    # A throwaway cluster: the tests run with fsync and synchronous_commit off (never `make run` or bench).
    handle = external_or_embedded_postgres(tmp_path_factory.mktemp("pg") / "data", durable=False)
    yield handle
    handle.stop()


@pytest.fixture(scope="session")
def pg_admin_url(postgres: PostgresHandle) -> str:
    """Superuser URL of the session's PostgreSQL."""
    return postgres.url


@pytest.fixture(scope="session")
def broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BrokerHandle]:
    handle = external_or_embedded_broker(tmp_path_factory.mktemp("broker") / "tansu.log")
    yield handle
    handle.stop()


@pytest.fixture(scope="session")
def kafka_bootstrap(broker: BrokerHandle) -> str:
    return broker.bootstrap_servers


@pytest.fixture(scope="session")
def restartable_broker(broker: BrokerHandle) -> TansuBroker:
    """The embedded broker, for tests that stop and start it; skipped on external brokers."""
    if not isinstance(broker, TansuBroker):
        pytest.skip("needs the embedded broker to stop and start it")
    return broker


@pytest.fixture(scope="session")
def service_database(pg_admin_url: str) -> Callable[[str], ServiceDatabase]:
    """Provisions (once per name) a service database with its owner and runtime roles."""
    made: dict[str, ServiceDatabase] = {}

    def make(name: str) -> ServiceDatabase:
        if name not in made:
            made[name] = provision_service_database(pg_admin_url, name)
        return made[name]

    return make


@pytest.fixture(scope="session")
def signing_key() -> SigningKey:
    return SigningKey.generate()


@pytest.fixture(scope="session")
def signer(signing_key: SigningKey) -> TokenSigner:
    """Signs test tokens the services verify like identity's own (same claims, RS256, kid)."""
    return TokenSigner(signing_key, ISSUER, AUDIENCE)


@pytest.fixture(scope="session")
def jwks_provider(signing_key: SigningKey) -> Callable[[], str]:
    return lambda: jwks_json([signing_key])


TokenFactory = Callable[..., str]


@pytest.fixture(scope="session")
def token_for(signer: TokenSigner) -> TokenFactory:
    """token_for(instansi_id, role="pegawai", pegawai_id=None, username=...) -> a signed access token."""

    def make(
        instansi_id: uuid.UUID | None = None,
        role: str = ROLE_PEGAWAI,
        pegawai_id: uuid.UUID | None = None,
        username: str = "199001012020011001",
    ) -> str:
        roles = [ROLE_PEGAWAI] if role == ROLE_PEGAWAI else [role]
        if role == ROLE_ADMIN_INSTANSI:
            roles.append(ROLE_PEGAWAI)
        return signer.issue(
            subject=str(new_id()),
            instansi_id=instansi_id or (NATIONAL_INSTANSI_ID if role == ROLE_ADMIN_BKN else new_id()),
            roles=roles,
            username=username,
            pegawai_id=pegawai_id,
        )

    return make


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def platform(
    service_database: Callable[[str], ServiceDatabase], kafka_bootstrap: str, jwks_provider: Callable[[], str]
) -> Iterator[Platform]:
    """The services, trusting identity's keys and the test signer's; admin BKN bootstrapped."""
    import assessment.bootstrap
    import identity.bootstrap
    import org.bootstrap
    import skp.bootstrap
    from assessment.settings import AssessmentSettings
    from identity.settings import IdentitySettings
    from org.settings import OrgSettings
    from skp.settings import SkpSettings

    common = {
        "kafka_bootstrap_servers": kafka_bootstrap,
        "grpc_port": 0,
        "jwt_issuer": ISSUER,
        "jwt_audience": AUDIENCE,
    }
    identity_db = service_database("identity")
    org_db = service_database("org")
    skp_db = service_database("skp")
    assessment_db = service_database("assessment")
    identity.bootstrap.migrate(identity_db.owner_url)
    org.bootstrap.migrate(org_db.owner_url)
    skp.bootstrap.migrate(skp_db.owner_url)
    assessment.bootstrap.migrate(assessment_db.owner_url)
    identity_runtime = identity.bootstrap.build(
        IdentitySettings(
            database_url=identity_db.app_url,
            argon2_time_cost=1,
            argon2_memory_cost_kib=1024,
            bootstrap_admin_username=ADMIN_BKN_USERNAME,
            bootstrap_admin_password=ADMIN_BKN_PASSWORD,
            consumer_session_timeout_ms=3000,
            consumer_heartbeat_interval_ms=1000,
            **common,
        ),
        jwks_provider=jwks_provider,
    ).start()
    identity_keys = jwks_from_identity(f"127.0.0.1:{identity_runtime.port}")
    org_runtime = org.bootstrap.build(
        OrgSettings(database_url=org_db.app_url, **common),
        jwks_provider=combined_jwks(identity_keys, jwks_provider),
    ).start()
    skp_runtime = skp.bootstrap.build(
        SkpSettings(database_url=skp_db.app_url, org_addr=f"127.0.0.1:{org_runtime.port}", **common),
        jwks_provider=combined_jwks(identity_keys, jwks_provider),
    ).start()
    # Its projection consumer joins its group with the short test timeouts (a tansu join waits about half).
    assessment_runtime = assessment.bootstrap.build(
        AssessmentSettings(
            database_url=assessment_db.app_url,
            org_addr=f"127.0.0.1:{org_runtime.port}",
            skp_addr=f"127.0.0.1:{skp_runtime.port}",
            consumer_session_timeout_ms=CONSUMER_SESSION_TIMEOUT_MS,
            consumer_heartbeat_interval_ms=CONSUMER_HEARTBEAT_MS,
            **common,
        ),
        jwks_provider=combined_jwks(identity_keys, jwks_provider),
    ).start()
    yield Platform(identity_runtime, org_runtime, skp_runtime, assessment_runtime)
    assessment_runtime.stop()
    skp_runtime.stop()
    org_runtime.stop()
    identity_runtime.stop()


@pytest.fixture(scope="session")
def nip_factory() -> Callable[[], str]:
    """Valid, unique 18-digit NIPs (real birth date and CPNS month, gender digit, sequence)."""
    return random_nip
