"""Settings of the angka kredit service, read from the environment."""

from __future__ import annotations

from kinerja_kit.settings import ServiceSettings


class AngkaKreditSettings(ServiceSettings):
    """Angka kredit's settings: the common service settings with its own default port and consumer group."""

    grpc_port: int = 50055
    # The consumer group of assessment's PredikatDitetapkan (kinerja.assessment.penilaian.v1).
    predikat_consumer_name: str = "angka_kredit.predikat"
    consumer_session_timeout_ms: int = 10_000
    consumer_heartbeat_interval_ms: int = 3_000
