"""What the shared fixtures provide to tests in other folders: the running platform and its constants."""

from __future__ import annotations

from dataclasses import dataclass

from kinerja_kit.runtime import ServiceRuntime

ISSUER = "https://kinerja.test/identity"
AUDIENCE = "kinerja"

ADMIN_BKN_USERNAME = "199001012015011001"
ADMIN_BKN_PASSWORD = "AdminBKN2026"


@dataclass
class Platform:
    """identity and org running for real (gRPC, PostgreSQL, broker), as in production."""

    identity: ServiceRuntime
    org: ServiceRuntime

    @property
    def identity_addr(self) -> str:
        return f"127.0.0.1:{self.identity.port}"

    @property
    def org_addr(self) -> str:
        return f"127.0.0.1:{self.org.port}"
