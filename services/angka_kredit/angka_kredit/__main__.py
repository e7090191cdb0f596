"""`python -m angka_kredit`: runs the angka kredit service until SIGINT/SIGTERM (migrate first)."""

from __future__ import annotations

from angka_kredit.bootstrap import build
from angka_kredit.settings import AngkaKreditSettings
from kinerja_kit.logging import configure_logging


def main() -> None:
    settings = AngkaKreditSettings()
    configure_logging("angka_kredit", settings.log_level, settings.log_json)
    build(settings).serve_forever()


if __name__ == "__main__":
    main()
