"""Settings of the org service, read from the environment."""

from __future__ import annotations

from kinerja_kit.settings import ServiceSettings


class OrgSettings(ServiceSettings):
    """Org's settings: the common service settings with its own default port."""

    grpc_port: int = 50052
