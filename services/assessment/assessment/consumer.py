"""`python -m assessment.consumer`: the projection consumer alone (scaled as a consumer group)."""

from __future__ import annotations

from assessment.bootstrap import build_consumers
from assessment.settings import AssessmentSettings
from kinerja_kit.logging import configure_logging


def main() -> None:
    settings = AssessmentSettings()
    configure_logging("assessment.consumer", settings.log_level, settings.log_json)
    build_consumers(settings).serve_forever()


if __name__ == "__main__":
    main()
