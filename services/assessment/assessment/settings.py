"""Settings of the assessment service, read from the environment."""

from __future__ import annotations

from kinerja_kit.settings import ServiceSettings


class AssessmentSettings(ServiceSettings):
    """Assessment's settings: the common service settings with its own default port and consumer group."""

    grpc_port: int = 50054
    # The consumer group of the projections (skp's periode and SKP topics, org's unor topic).
    projection_consumer_name: str = "assessment.projection"
    # Whether `python -m assessment` also runs the projection consumer; off where the consumer runs as its
    # own Deployment (`python -m assessment.consumer`), so API pods do not take partitions from it.
    run_projection_consumer: bool = True
    consumer_session_timeout_ms: int = 10_000
    consumer_heartbeat_interval_ms: int = 3_000
