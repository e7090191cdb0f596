"""`python -m org.migrate`: applies org's migrations with MIGRATION_DATABASE_URL (or DATABASE_URL)."""

from __future__ import annotations

from kinerja_kit.logging import configure_logging
from org.bootstrap import migrate
from org.settings import OrgSettings


def main() -> None:
    settings = OrgSettings()
    configure_logging("org", settings.log_level, settings.log_json)
    migrate(settings.migration_database_url or settings.database_url)


if __name__ == "__main__":
    main()
