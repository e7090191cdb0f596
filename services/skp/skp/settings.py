"""Settings of the skp service, read from the environment."""

from __future__ import annotations

from kinerja_kit.settings import ServiceSettings


class SkpSettings(ServiceSettings):
    """Skp's settings: the common service settings with its own default port (org is read at ORG_ADDR)."""

    grpc_port: int = 50053
