"""`python -m angka_kredit.migrate`: applies the migrations with MIGRATION_DATABASE_URL (or DATABASE_URL)."""

from __future__ import annotations

from angka_kredit.bootstrap import migrate
from angka_kredit.settings import AngkaKreditSettings
from kinerja_kit.logging import configure_logging


def main() -> None:
    settings = AngkaKreditSettings()
    configure_logging("angka_kredit", settings.log_level, settings.log_json)
    migrate(settings.migration_database_url or settings.database_url)


if __name__ == "__main__":
    main()
