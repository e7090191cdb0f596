"""What the shared fixtures provide to tests in other folders: the running platform and its constants."""

from __future__ import annotations

import random
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import grpc
import pytest
from kafka import KafkaConsumer, KafkaProducer
from kafka.consumer.fetcher import ConsumerRecord
from kafka.structs import TopicPartition

from kinerja_kit.errors import DomainError, from_rpc_error
from kinerja_kit.kafka import make_producer
from kinerja_kit.runtime import ServiceRuntime

ISSUER = "https://kinerja.test/identity"
AUDIENCE = "kinerja"

ADMIN_BKN_USERNAME = "199001012015011001"
ADMIN_BKN_PASSWORD = "Monas-Tegak-Kokoh-45"


@dataclass
class Platform:
    """identity, org, skp and assessment running for real (gRPC, PostgreSQL, broker), as in production."""

    identity: ServiceRuntime
    org: ServiceRuntime
    skp: ServiceRuntime
    assessment: ServiceRuntime
    # Started on demand by the `angka_kredit_service` fixture (kinerja_testing.angka_kredit), which sets it.
    angka_kredit: ServiceRuntime | None = None

    @property
    def identity_addr(self) -> str:
        return f"127.0.0.1:{self.identity.port}"

    @property
    def org_addr(self) -> str:
        return f"127.0.0.1:{self.org.port}"

    @property
    def skp_addr(self) -> str:
        return f"127.0.0.1:{self.skp.port}"

    @property
    def assessment_addr(self) -> str:
        return f"127.0.0.1:{self.assessment.port}"

    @property
    def angka_kredit_addr(self) -> str:
        """angka kredit's address once `start_angka_kredit` (or the `angka_kredit_service` fixture) ran."""
        if self.angka_kredit is None:
            raise RuntimeError("angka kredit is not running: request the angka_kredit_service fixture")
        return f"127.0.0.1:{self.angka_kredit.port}"


_angka_kredit_lock = threading.Lock()


def start_angka_kredit(
    platform: Platform,
    service_database: Callable[[str], Any],
    kafka_bootstrap: str,
    jwks_provider: Callable[[], str],
) -> ServiceRuntime:
    """angka kredit on the platform (its database `angka_kredit` migrated, org at the platform's org, the
    test token settings, the short consumer timeouts): started once per session and kept on
    `platform.angka_kredit`; later calls answer the same runtime. The session's end stops it
    (`stop_angka_kredit`)."""
    import angka_kredit.bootstrap
    from angka_kredit.settings import AngkaKreditSettings
    from kinerja_kit.auth import combined_jwks
    from kinerja_kit.runtime import jwks_from_identity

    with _angka_kredit_lock:
        if platform.angka_kredit is not None:
            return platform.angka_kredit
        db = service_database("angka_kredit")
        angka_kredit.bootstrap.migrate(db.owner_url)
        settings = AngkaKreditSettings(
            database_url=db.app_url,
            org_addr=platform.org_addr,
            kafka_bootstrap_servers=kafka_bootstrap,
            grpc_port=0,
            jwt_issuer=ISSUER,
            jwt_audience=AUDIENCE,
            consumer_session_timeout_ms=CONSUMER_SESSION_TIMEOUT_MS,
            consumer_heartbeat_interval_ms=CONSUMER_HEARTBEAT_MS,
        )
        keys = combined_jwks(jwks_from_identity(platform.identity_addr), jwks_provider)
        platform.angka_kredit = angka_kredit.bootstrap.build(settings, jwks_provider=keys).start()
        return platform.angka_kredit


def stop_angka_kredit(platform: Platform) -> None:
    with _angka_kredit_lock:
        runtime, platform.angka_kredit = platform.angka_kredit, None
    if runtime is not None:
        runtime.stop()


@pytest.fixture(scope="session")
def angka_kredit_service(
    platform: Platform,
    service_database: Callable[[str], Any],
    kafka_bootstrap: str,
    jwks_provider: Callable[[], str],
) -> Iterator[ServiceRuntime]:
    """angka kredit running beside the platform (import this fixture into a conftest to use it); then
    `platform.angka_kredit_addr` is its address."""
    runtime = start_angka_kredit(platform, service_database, kafka_bootstrap, jwks_provider)
    yield runtime
    stop_angka_kredit(platform)


_used_nips: set[str] = set()
_lock = threading.Lock()


def random_nip(gender: int | None = None) -> str:
    """A valid NIP never handed out before in this test session (birth date, CPNS month, gender, sequence)."""
    rng = random.Random()
    while True:
        born = date(rng.randint(1960, 2000), rng.randint(1, 12), rng.randint(1, 28))
        tmt_year = min(born.year + rng.randint(20, 30), date.today().year)
        candidate = f"{born:%Y%m%d}{tmt_year}{rng.randint(1, 12):02d}{gender or rng.randint(1, 2)}{rng.randint(1, 999):03d}"
        with _lock:
            if candidate not in _used_nips:
                _used_nips.add(candidate)
                return candidate


def random_nik() -> str:
    return "33" + "".join(random.choices("0123456789", k=14))


def md(token: str, instansi: uuid.UUID | str | None = None) -> list[tuple[str, str]]:
    """Call metadata with a bearer token (and the instansi an admin BKN acts on)."""
    metadata = [("authorization", f"Bearer {token}")]
    if instansi is not None:
        metadata.append(("x-instansi-id", str(instansi)))
    return metadata


def wait_for(predicate: Callable[[], bool], timeout: float = 60.0, what: str = "condition") -> bool:
    """Re-checks `predicate` every 50 ms until it holds (then True); fails the test after `timeout` (generous:
    a loaded machine must not fail a test that waits for what will happen)."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(0.05)
    return True


# Consumer timeouts for tests against tansu: a group join waits about half of the session timeout.
CONSUMER_SESSION_TIMEOUT_MS = 3000
CONSUMER_HEARTBEAT_MS = 1000


def fast_producer(bootstrap: str) -> KafkaProducer:
    """A producer that gives up within a couple of seconds when the broker is gone."""
    return make_producer(
        bootstrap,
        request_timeout_ms=1500,
        delivery_timeout_ms=3000,
        max_block_ms=1500,
        bootstrap_timeout_ms=1500,
        retries=2,
    )


def read_records(
    bootstrap: str, topic: str, expected: int, timeout: float = 15.0, key: str | None = None
) -> list[ConsumerRecord]:
    """The records of a topic from its start (with this key, when given), read without a consumer group
    until `expected` are there, then once more: a test must see a duplicate already published."""
    consumer = KafkaConsumer(
        bootstrap_servers=bootstrap, group_id=None, enable_auto_commit=False, auto_offset_reset="earliest"
    )

    def wanted(batch: list[ConsumerRecord]) -> list[ConsumerRecord]:
        return batch if key is None else [r for r in batch if r.key == key.encode()]

    try:
        deadline = time.monotonic() + timeout
        partitions = consumer.partitions_for_topic(topic)
        while not partitions and time.monotonic() < deadline:
            time.sleep(0.05)
            partitions = consumer.partitions_for_topic(topic)
        assert partitions, f"topic {topic} has no partitions"
        consumer.assign([TopicPartition(topic, p) for p in sorted(partitions)])
        consumer.seek_to_beginning()
        records: list[ConsumerRecord] = []
        while len(records) < expected and time.monotonic() < deadline:
            for batch in consumer.poll(timeout_ms=200).values():
                records.extend(wanted(batch))
        for batch in consumer.poll(timeout_ms=200).values():
            records.extend(wanted(batch))
        return records
    finally:
        consumer.close()


def rpc_error(call: Callable[..., Any], *args: Any, **kwargs: Any) -> tuple[grpc.StatusCode, DomainError]:
    """Calls an RPC that must fail; returns its status code and the domain error it carried."""
    with pytest.raises(grpc.RpcError) as info:
        call(*args, **kwargs)
    error = info.value
    domain = from_rpc_error(error)  # type: ignore[arg-type]
    assert domain is not None, f"no domain error in {error}"
    return error.code(), domain  # type: ignore[attr-defined]


def every_page(list_page: Callable[[str], Any], items: str) -> tuple[list[Any], list[int]]:
    """Every page of a list RPC from the first to the last (`list_page(page_token)` answers one page):
    the items of its repeated field `items` in the order listed, and each page's size."""
    seen: list[Any] = []
    sizes: list[int] = []
    token = ""
    while True:
        page = list_page(token)
        found = list(getattr(page, items))
        seen += found
        sizes.append(len(found))
        token = page.next_page_token
        if not token:
            return seen, sizes


# Seed 001, "Perjanjian Kinerja Tahun 2021": the first table (sasaran strategis, [(indikator, target, satuan)]).
PERJANJIAN_SEED_001 = [
    (
        "Meningkatnya pelaksanaan area perubahan manajemen perubahan, penguatan organisasi dan penataan "
        "tata laksana dan kapasitas organisasi Setjen MPR RI",
        [
            ("Nilai manajemen Perubahan", "4.3", "Nilai"),
            ("Nilai Penataan dan Penguatan organisasi", "4.29", "Nilai"),
            ("Nilai penataan tatalaksana", "3.27", "Nilai"),
            ("Nilai Kapasitas Organisasi Setjen MPR RI", "4.54", "Nilai"),
        ],
    ),
    (
        "Meningkatnya pelaksanaan area perubahan penataan Sistem Manajemen SDM",
        [("Nilai penataan Sistem Manajemen SDM", "12.67", "Nilai")],
    ),
    (
        "Meningkatnya Pelaksanaan area perubahan Penataan Peraturan perundang-undangan",
        [("Nilai Penataan Peraturan perundang-undangan", "4.58", "Nilai")],
    ),
    (
        "Terselenggaranya Layanan Internal Biro SDM, Organisasi dan Hukum",
        [("Tingkat pemenuhan layanan Internal Biro Administrasi dan pengawasan", "86", "Persen (%)")],
    ),
]


def proto_strings(message: Any) -> list[str]:
    """Every string value anywhere inside a protobuf message (isolation tests look for a foreign id)."""
    found: list[str] = []
    for _field, value in message.ListFields():
        values = [value] if isinstance(value, str | bytes) or not hasattr(value, "__len__") else list(value)
        for item in values:
            if isinstance(item, str):
                found.append(item)
            elif hasattr(item, "ListFields"):
                found += proto_strings(item)
    return found
