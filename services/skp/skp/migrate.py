"""`python -m skp.migrate`: applies skp's migrations with MIGRATION_DATABASE_URL (or DATABASE_URL)."""

from __future__ import annotations

from kinerja_kit.logging import configure_logging
from skp.bootstrap import migrate
from skp.settings import SkpSettings


def main() -> None:
    settings = SkpSettings()
    configure_logging("skp", settings.log_level, settings.log_json)
    migrate(settings.migration_database_url or settings.database_url)


if __name__ == "__main__":
    main()
