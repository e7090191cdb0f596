"""`python -m identity`: runs the identity service until SIGINT/SIGTERM (migrate first: identity.migrate)."""

from __future__ import annotations

from identity.bootstrap import build
from identity.settings import IdentitySettings
from kinerja_kit.logging import configure_logging


def main() -> None:
    settings = IdentitySettings()
    configure_logging("identity", settings.log_level, settings.log_json)
    build(settings).serve_forever()


if __name__ == "__main__":
    main()
