"""Wires the identity service: database, handlers, gRPC server, outbox relay, consumer, first admin."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from sqlalchemy import Engine

from identity.adapters.hashing import Argon2Hasher
from identity.adapters.keystore import SigningKeyStore
from identity.domain.lockout import LockoutPolicy
from identity.entrypoints.consumers import PEGAWAI_TOPIC, pegawai_consumer
from identity.entrypoints.grpc_api import (
    PASSWORD_CHANGE_METHODS,
    PUBLIC_METHODS,
    SERVICE_NAME,
    IdentityServicer,
    register,
)
from identity.service_layer.admin_bootstrap import ensure_bootstrap_admin
from identity.service_layer.deps import Deps, TokenSettings
from identity.service_layer.messages import TOPIC
from identity.settings import IdentitySettings
from kinerja_kit.auth import TokenVerifier, combined_jwks
from kinerja_kit.db import UnitOfWork, make_engine
from kinerja_kit.grpc_server import create_server
from kinerja_kit.migrations import upgrade
from kinerja_kit.relay import service_relay
from kinerja_kit.runtime import ServiceRuntime

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def migrate(owner_url: str) -> None:
    """Brings the identity database to the latest schema (run as the owner role)."""
    upgrade(MIGRATIONS, owner_url)


def build_deps(settings: IdentitySettings, uow: UnitOfWork) -> Deps:
    """The handlers' dependencies from settings."""
    access_ttl = settings.access_token_ttl_seconds
    return Deps(
        uow=uow,
        hasher=Argon2Hasher(
            time_cost=settings.argon2_time_cost,
            memory_cost_kib=settings.argon2_memory_cost_kib,
            parallelism=settings.argon2_parallelism,
        ),
        keys=SigningKeyStore(
            uow,
            publish_after_retire=timedelta(seconds=access_ttl),
            refresh_seconds=settings.signing_key_refresh_seconds,
        ),
        tokens=TokenSettings(
            issuer=settings.jwt_issuer,
            audience=settings.jwt_audience,
            access_ttl_seconds=access_ttl,
            refresh_ttl=timedelta(seconds=settings.refresh_token_ttl_seconds),
            refresh_reuse_grace=timedelta(seconds=settings.refresh_reuse_grace_seconds),
        ),
        lockout=LockoutPolicy(
            threshold=settings.lockout_threshold,
            base=timedelta(seconds=settings.lockout_base_seconds),
            cap=timedelta(seconds=settings.lockout_max_seconds),
        ),
    )


def build(
    settings: IdentitySettings,
    *,
    jwks_provider: Callable[[], str] | None = None,
    engine: Engine | None = None,
) -> ServiceRuntime:
    """The identity runtime (call .start()).

    Tokens are verified against identity's own keys, read from its database (no network call);
    `jwks_provider`, when given, adds keys to trust as well (tests sign tokens with their own key).
    """
    engine = engine or make_engine(settings.database_url, settings.db_pool_size, application_name="identity")
    uow = UnitOfWork.from_engine(engine)
    deps = build_deps(settings, uow)
    deps.keys.ensure_key()
    ensure_bootstrap_admin(
        deps,
        settings.bootstrap_admin_username,
        settings.bootstrap_admin_password,
        settings.bootstrap_admin_nama,
    )
    verifier = TokenVerifier(
        combined_jwks(deps.keys.jwks, jwks_provider) if jwks_provider else deps.keys.jwks,
        settings.jwt_issuer,
        settings.jwt_audience,
        cache_seconds=settings.jwks_cache_seconds,
    )
    servicer = IdentityServicer(deps)
    server, port = create_server(
        register(servicer),
        [SERVICE_NAME],
        verifier=verifier,
        public_methods=PUBLIC_METHODS,
        password_change_methods=PASSWORD_CHANGE_METHODS,
        host=settings.grpc_host,
        port=settings.grpc_port,
        max_workers=settings.grpc_max_workers,
    )
    relay = service_relay(engine, settings, [TOPIC, PEGAWAI_TOPIC], "identity.relay")
    consumer = pegawai_consumer(
        uow,
        settings.kafka_bootstrap_servers,
        name=settings.pegawai_consumer_name,
        session_timeout_ms=settings.consumer_session_timeout_ms,
        heartbeat_interval_ms=settings.consumer_heartbeat_interval_ms,
    )
    return ServiceRuntime("identity", engine, uow, server, port, workers=[relay, consumer])
