"""Typed settings read from the environment (one loader for every service)."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class CommonSettings(BaseSettings):
    """What every service needs; a service subclasses it with its own prefix and fields."""

    model_config = SettingsConfigDict(env_prefix="", extra="ignore", case_sensitive=False)

    log_level: str = "INFO"
    log_json: bool = True
    kafka_bootstrap_servers: str = "127.0.0.1:9092"
    amqp_uri: str = "amqp://guest:guest@127.0.0.1:5672//"
    identity_addr: str = "127.0.0.1:50051"
    org_addr: str = "127.0.0.1:50052"
    skp_addr: str = "127.0.0.1:50053"
    assessment_addr: str = "127.0.0.1:50054"
    angka_kredit_addr: str = "127.0.0.1:50055"
    jwt_issuer: str = "https://kinerja.local/identity"
    jwt_audience: str = "kinerja"
    # How long public keys fetched from identity are trusted before refreshing.
    jwks_cache_seconds: int = 300
    grpc_max_workers: int = Field(default=16, ge=1)
    default_deadline_seconds: float = 10.0


class ServiceSettings(CommonSettings):
    """A service with its own database and gRPC port."""

    database_url: str = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
    # URL of the owner role that runs migrations; defaults to database_url.
    migration_database_url: str = ""
    grpc_host: str = "127.0.0.1"
    grpc_port: int = 0
    db_pool_size: int = 10
    outbox_batch_size: int = 200
    outbox_poll_seconds: float = 0.2
    # Sent outbox rows are kept this long, then pruned. A relay that finds the broker without its topics
    # (the embedded tansu loses them when it restarts) publishes the rows sent within this window again.
    outbox_retention_seconds: float = Field(default=3600.0, ge=0)
    # How often an idle relay checks that the broker still has its topics (a publishing round always
    # checks first); 0 turns the check, and so re-publishing, off.
    outbox_broker_check_seconds: float = Field(default=5.0, ge=0)
    # How long a create's idempotency key answers its first result (kinerja_kit.idempotency).
    idempotency_retention_seconds: float = Field(default=86400.0, ge=0)
