"""`python -m assessment.migrate`: applies assessment's migrations with MIGRATION_DATABASE_URL (or DATABASE_URL)."""

from __future__ import annotations

from assessment.bootstrap import migrate
from assessment.settings import AssessmentSettings
from kinerja_kit.logging import configure_logging


def main() -> None:
    settings = AssessmentSettings()
    configure_logging("assessment", settings.log_level, settings.log_json)
    migrate(settings.migration_database_url or settings.database_url)


if __name__ == "__main__":
    main()
