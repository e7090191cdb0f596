"""`python -m skp`: runs the skp service until SIGINT/SIGTERM (migrate first: `python -m skp.migrate`)."""

from __future__ import annotations

from kinerja_kit.logging import configure_logging
from skp.bootstrap import build
from skp.settings import SkpSettings


def main() -> None:
    settings = SkpSettings()
    configure_logging("skp", settings.log_level, settings.log_json)
    build(settings).serve_forever()


if __name__ == "__main__":
    main()
