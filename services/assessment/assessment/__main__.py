"""`python -m assessment`: runs the assessment service until SIGINT/SIGTERM (migrate first)."""

from __future__ import annotations

from assessment.bootstrap import build
from assessment.settings import AssessmentSettings
from kinerja_kit.logging import configure_logging


def main() -> None:
    settings = AssessmentSettings()
    configure_logging("assessment", settings.log_level, settings.log_json)
    build(settings, with_consumers=settings.run_projection_consumer).serve_forever()


if __name__ == "__main__":
    main()
