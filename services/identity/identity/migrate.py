"""`python -m identity.migrate`: applies identity's migrations with MIGRATION_DATABASE_URL (or DATABASE_URL)."""

from __future__ import annotations

from identity.bootstrap import migrate
from identity.settings import IdentitySettings
from kinerja_kit.logging import configure_logging


def main() -> None:
    settings = IdentitySettings()
    configure_logging("identity", settings.log_level, settings.log_json)
    migrate(settings.migration_database_url or settings.database_url)


if __name__ == "__main__":
    main()
