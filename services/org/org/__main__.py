"""`python -m org`: runs the org service until SIGINT/SIGTERM (migrate first: `python -m org.migrate`)."""

from __future__ import annotations

from kinerja_kit.logging import configure_logging
from org.bootstrap import build
from org.settings import OrgSettings


def main() -> None:
    settings = OrgSettings()
    configure_logging("org", settings.log_level, settings.log_json)
    build(settings).serve_forever()


if __name__ == "__main__":
    main()
