"""Typed settings of the gateway, read from the environment."""

from __future__ import annotations

from pydantic import Field

from kinerja_kit.settings import CommonSettings


class GatewaySettings(CommonSettings):
    """Where the gateway listens, which services it calls, and its query limits."""

    gateway_host: str = "127.0.0.1"
    gateway_port: int = 8000
    # A service is healthy when it answers its gRPC health check within this time.
    health_timeout_seconds: float = 1.0
    graphiql: bool = True
    max_page_size: int = Field(default=100, ge=1)
    max_query_depth: int = Field(default=10, ge=1)
    max_aliases: int = Field(default=15, ge=1)
    max_tokens: int = Field(default=2000, ge=100)
