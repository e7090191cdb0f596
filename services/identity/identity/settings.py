"""Settings of the identity service, read from the environment."""

from __future__ import annotations

from pydantic import Field

from kinerja_kit.settings import ServiceSettings


class IdentitySettings(ServiceSettings):
    """Identity's own knobs on top of the common service settings."""

    grpc_port: int = 50051
    access_token_ttl_seconds: int = Field(default=900, ge=60)
    refresh_token_ttl_seconds: int = Field(default=8 * 3600, ge=300)
    # A rotated refresh token presented again within this many seconds gets a pair of its own (two
    # tabs refreshing at once) instead of ending the session as a reuse; 0 turns the grace off.
    refresh_reuse_grace_seconds: int = Field(default=30, ge=0, le=300)
    # Lockout: after `lockout_threshold` consecutive failures the account locks for
    # `lockout_base_seconds`, doubling for every further lock, capped at `lockout_max_seconds`.
    lockout_threshold: int = Field(default=5, ge=1)
    lockout_base_seconds: int = Field(default=15 * 60, ge=1)
    lockout_max_seconds: int = Field(default=24 * 3600, ge=1)
    # argon2id parameters (OWASP minimum is m=19 MiB, t=2, p=1); tests lower them.
    argon2_time_cost: int = Field(default=3, ge=1)
    argon2_memory_cost_kib: int = Field(default=64 * 1024, ge=8)
    argon2_parallelism: int = Field(default=1, ge=1)
    # Optional first admin BKN, created on start when no account has this username.
    bootstrap_admin_username: str = ""
    bootstrap_admin_password: str = ""
    bootstrap_admin_nama: str = "Administrator BKN"
    # How often a replica re-reads the signing keys (to follow a rotation made elsewhere).
    signing_key_refresh_seconds: int = Field(default=60, ge=1)
    # The consumer group (and processed-events name) following org's pegawai.
    pegawai_consumer_name: str = "identity.pegawai-accounts"
    consumer_session_timeout_ms: int = 10_000
    consumer_heartbeat_interval_ms: int = 3_000
