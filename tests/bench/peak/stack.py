"""The platform a peak run drives, and what each of its processes spends.

- `SmallStack`: a platform of its own, laid out as `make run` and the cluster run it: PostgreSQL (embedded,
  durable: fsync and synchronous_commit on) and the broker, then identity, org, skp, assessment's API and its
  projection consumer, and the gateway, each in a process of its own (the gateway as `--gateways`
  single-worker processes, the requests spread over them as a load balancer would). Its data stays in its
  folder between runs; with `--profile` every Python process runs under bench_assessment's sampler.
- `running_stack`: the processes of a platform already running (the national one of `make seed-national`),
  found by the ports the manifest names.
- `TreeMeter`: CPU seconds of each component's processes (with their children, and what PostgreSQL's
  postmaster reaped from ended backends), of the load drivers and of the whole machine.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import psutil
from bench_assessment import Profiles
from bench_gateway import ADMIN_NIP, ADMIN_PASSWORD, AUDIENCE, ISSUER, ServiceProcess

SERVICES = ("identity", "org", "skp", "assessment", "angka_kredit")
# Identity's argon2id: production (the service's defaults) for the run, cheap while the data is built (and
# tokens that outlast a slow build).
CHEAP_ARGON2 = {"ARGON2_TIME_COST": "1", "ARGON2_MEMORY_COST_KIB": "8", "ACCESS_TOKEN_TTL_SECONDS": "14400"}


@dataclass
class Stack:
    """Where a run sends its requests, and the processes to meter, by component."""

    gateways: list[str]
    addrs: dict[str, str]  # identity, org, skp, assessment (gRPC), kafka, postgres (admin SQLAlchemy URL)
    processes: dict[str, list[int]]  # component -> root pids (each counted with its children)
    databases: dict[str, str]  # service -> its database name
    admin: tuple[str, str] = (ADMIN_NIP, ADMIN_PASSWORD)
    profiled: dict[str, int] = field(default_factory=dict)  # profile name -> pid running under the sampler


def _profiled(profiles: Profiles, module: str, name: str) -> list[str]:
    """`python -m module`, under bench_assessment's sampler when profiling (its report in `name`.json)."""
    if not profiles.enabled:
        return [sys.executable, "-m", module]
    import bench_assessment

    return [
        sys.executable,
        bench_assessment.__file__,
        "--profiled",
        module,
        str(profiles.folder / f"{name}.json"),
    ]


class SmallStack:
    def __init__(self, root: Path, profiles: Profiles, gateways: int) -> None:
        self.root = root
        self.profiles = profiles
        self.gateway_count = gateways
        self.running: dict[str, ServiceProcess] = {}
        self.env: dict[str, dict[str, str]] = {}
        self.postgres: Any = None
        self.broker: Any = None

    def start(self, cheap_logins: bool) -> Stack:
        from kinerja_kit.db import provision_service_database
        from kinerja_testing.infra import EmbeddedPostgres, TansuBroker, free_port

        logs = self.root / "logs"
        logs.mkdir(parents=True, exist_ok=True)
        self.postgres = EmbeddedPostgres(self.root / "pg")
        admin_url = self.postgres.start()
        self.broker = TansuBroker(log_path=logs / "broker.log")
        bootstrap = self.broker.start()
        ports = {s: free_port() for s in SERVICES}
        common = {
            "KAFKA_BOOTSTRAP_SERVERS": bootstrap,
            **{f"{s.upper()}_ADDR": f"127.0.0.1:{ports[s]}" for s in SERVICES},
            "JWT_ISSUER": ISSUER,
            "JWT_AUDIENCE": AUDIENCE,
            "LOG_LEVEL": "WARNING",
            "LOG_JSON": "false",
            # Sent events are kept this long for a broker that lost them: the embedded one loses every topic
            # when this platform starts again, and replays all that is kept (an hour by default) before a
            # run can measure. 20 minutes still covers the outbox lag read after a 10-minute run.
            "OUTBOX_RETENTION_SECONDS": "1200",
        }
        databases = {}
        for service in SERVICES:
            # the benchmarks' database names, so bench_assessment's helpers (accounts, lag) read them as they are
            database = provision_service_database(admin_url, f"bench_{service}")
            __import__(f"{service}.bootstrap", fromlist=["migrate"]).migrate(database.owner_url)
            databases[service] = f"kinerja_bench_{service}"
            self.env[service] = {
                **os.environ,
                **common,
                "DATABASE_URL": database.app_url,
                "MIGRATION_DATABASE_URL": database.owner_url,
                "GRPC_PORT": str(ports[service]),
            }
        self.env["identity"].update(
            BOOTSTRAP_ADMIN_USERNAME=ADMIN_NIP, BOOTSTRAP_ADMIN_PASSWORD=ADMIN_PASSWORD
        )
        if cheap_logins:
            self.env["identity"].update(CHEAP_ARGON2)
        self.env["assessment"]["RUN_PROJECTION_CONSUMER"] = "false"  # as the cluster: the consumer alone
        self.env["assessment-consumer"] = {**self.env["assessment"], "GRPC_PORT": "0"}
        for service in SERVICES:
            self._start(service, service, ports[service])
        self._start("assessment-consumer", "assessment.consumer", None)
        gateways = []
        for n in range(1, self.gateway_count + 1):
            port = free_port()
            name = f"gateway-{n}"
            self.env[name] = {
                **os.environ,
                **common,
                "GATEWAY_HOST": "127.0.0.1",
                "GATEWAY_PORT": str(port),
                "GATEWAY_WORKERS": "1",
            }
            self._start(name, "gateway", None)
            gateways.append(f"http://127.0.0.1:{port}")
        for base in gateways:
            _wait_healthy(base)
        processes = {
            "gateway": [_pid(self.running[f"gateway-{n}"]) for n in range(1, self.gateway_count + 1)],
            **{s: [_pid(self.running[s])] for s in (*SERVICES, "assessment-consumer")},
            "broker": [self.broker.pid],
        }
        addrs = {s: f"127.0.0.1:{ports[s]}" for s in SERVICES} | {"kafka": bootstrap, "postgres": admin_url}
        profiled = (
            {name: _pid(process) for name, process in self.running.items()} if self.profiles.enabled else {}
        )
        return Stack(gateways, addrs, processes, databases, profiled=profiled)

    def _start(self, name: str, module: str, port: int | None) -> None:
        command = _profiled(self.profiles, module, name)
        process = ServiceProcess(command, self.env[name], self.root / "logs" / f"{name}.log", port).start()
        self.running[name] = process

    def restart_identity(self, stack: Stack, cheap_logins: bool) -> None:
        """Identity again, with production (or cheap) argon2 parameters; the same port, keys and data."""
        env = self.env["identity"]
        for key in CHEAP_ARGON2:
            env.pop(key, None)
        if cheap_logins:
            env.update(CHEAP_ARGON2)
        self.running["identity"].stop()
        self._start("identity", "identity", int(env["GRPC_PORT"]))
        stack.processes["identity"] = [_pid(self.running["identity"])]
        if stack.profiled:
            stack.profiled["identity"] = _pid(self.running["identity"])

    def stop(self) -> None:
        for process in reversed(list(self.running.values())):
            process.stop()
        if self.broker is not None:
            self.broker.stop()
        if self.postgres is not None:
            self.postgres.stop()


def _pid(process: ServiceProcess) -> int:
    assert process.process is not None
    return process.process.pid


def _wait_healthy(base: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                return
        time.sleep(0.3)
    raise RuntimeError(f"the gateway at {base} did not become healthy")


@contextlib.contextmanager
def small_stack(
    root: Path, profiles: Profiles, gateways: int, cheap_logins: bool
) -> Iterator[tuple[SmallStack, Stack]]:
    small = SmallStack(root, profiles, gateways)
    try:
        yield small, small.start(cheap_logins)
    finally:
        small.stop()


# ---- a platform already running ----


def _port(address: str) -> int:
    return int(address.rstrip("/").rsplit(":", 1)[1].split("/")[0])


def _listening() -> dict[int, int]:
    """Port -> pid of every local TCP listener this user may see."""
    found = {}
    for connection in psutil.net_connections(kind="tcp"):
        if connection.status == psutil.CONN_LISTEN and connection.pid:
            found.setdefault(connection.laddr.port, connection.pid)
    return found


def _root(pid: int) -> int:
    """The top of the process tree that serves a port (uvicorn's workers share the port of their parent)."""
    process = psutil.Process(pid)
    command = " ".join(process.cmdline())
    parent = process.parent()
    while parent is not None and parent.pid > 1:
        try:
            if " ".join(parent.cmdline()) != command and "multiprocessing" not in command:
                break
        except psutil.Error:
            break
        process, parent = parent, parent.parent()
        command = " ".join(process.cmdline())
    return process.pid


def running_stack(endpoints: dict[str, str], admin: tuple[str, str]) -> Stack:
    """The national stack's processes, by the ports of its manifest; its assessment consumer by command."""
    from sqlalchemy.engine import make_url

    listening = _listening()
    processes: dict[str, list[int]] = {}
    gateway = endpoints["gateway"].rstrip("/")
    wanted = {
        "gateway": _port(gateway),
        **{s: _port(endpoints[s]) for s in SERVICES if endpoints.get(s)},
        "broker": _port(endpoints["kafka"]),
    }
    for name, port in wanted.items():
        if port in listening:
            processes[name] = [_root(listening[port])]
    consumers = []
    for process in psutil.process_iter(["cmdline"]):
        command = process.info["cmdline"] or []
        if "assessment.consumer" in command and "--profiled" not in command:
            with contextlib.suppress(psutil.Error):  # this stack's: the same broker
                if process.environ().get("KAFKA_BOOTSTRAP_SERVERS") == endpoints["kafka"]:
                    consumers.append(process.pid)
    if consumers:
        processes["assessment-consumer"] = consumers
    url = make_url(endpoints["database_url"])
    if url.port in listening:
        processes["postgres"] = [listening[url.port]]
    addrs = {s: endpoints[s] for s in SERVICES if endpoints.get(s)} | {
        "kafka": endpoints["kafka"],
        "postgres": endpoints["database_url"],
    }
    databases = {s: f"kinerja_{s}" for s in SERVICES}
    return Stack([gateway], addrs, processes, databases, admin=admin)


# ---- CPU ----


def _tree_cpu(pid: int, reaped: bool) -> float:
    """CPU seconds of a process and its live children (plus, with `reaped`, the children it waited for)."""
    try:
        root = psutil.Process(pid)
        family = [root, *root.children(recursive=True)]
    except psutil.Error:
        return 0.0
    total = 0.0
    for i, process in enumerate(family):
        try:
            times = process.cpu_times()
        except psutil.Error:
            continue
        total += times.user + times.system
        if reaped and i == 0:
            total += times.children_user + times.children_system
    return total


def _postgres_root(admin_url: str) -> int | None:
    from sqlalchemy.engine import make_url

    port = make_url(admin_url).port
    listening = _listening()
    return _root(listening[port]) if port in listening else None


class TreeMeter:
    """CPU seconds between `start` and `stop` of each component (its process trees), of PostgreSQL and of
    the machine (every process, whoever started it: what is not ours shows as `other`)."""

    def __init__(self, stack: Stack) -> None:
        self.components = dict(stack.processes)
        if "postgres" not in self.components:
            root = _postgres_root(stack.addrs["postgres"])
            if root:
                self.components["postgres"] = [root]
        self.components["this process"] = [os.getpid()]
        self.before: dict[str, float] = {}
        self.wall = 0.0

    def _now(self) -> dict[str, float]:
        now = {
            name: sum(_tree_cpu(pid, reaped=name == "postgres") for pid in pids)
            for name, pids in self.components.items()
            if name != "this process"
        }
        # this process's own CPU, not its children (the drivers are counted apart)
        own = psutil.Process().cpu_times()
        now["this process"] = own.user + own.system
        machine = psutil.cpu_times()
        now["machine"] = sum(machine) - machine.idle - getattr(machine, "iowait", 0.0)
        return now

    def start(self) -> None:
        self.before = self._now()
        self.wall = time.monotonic()

    def stop(self) -> tuple[dict[str, float], float]:
        after = self._now()
        return {
            name: after[name] - self.before.get(name, 0.0) for name in after
        }, time.monotonic() - self.wall


# ---- quiet before measuring ----


def backlog(stack: Stack) -> dict[str, int]:
    """Events not yet published (each service's outbox) and not yet consumed (the consumer groups that
    follow them: assessment's projection, identity's accounts), by where they wait."""
    import psycopg
    from bench_assessment import _database_url

    from assessment.entrypoints.consumers import CONSUMER_NAME, PROJECTION_TOPICS
    from identity.entrypoints.consumers import PEGAWAI_TOPIC
    from kinerja_testing.infra.broker import committed_offsets, end_offsets

    waiting = {}
    for service, database in stack.databases.items():
        with psycopg.connect(_database_url(stack.addrs["postgres"], database), autocommit=True) as connection:
            row = connection.execute("select count(*) from outbox where sent_at is null").fetchone()
            waiting[f"{service} outbox"] = int(row[0]) if row else 0
    groups = {CONSUMER_NAME: PROJECTION_TOPICS, "identity.pegawai-accounts": (PEGAWAI_TOPIC,)}
    for group, topics in groups.items():
        lag = 0
        for topic in topics:
            committed = committed_offsets(stack.addrs["kafka"], group, topic)
            ends = end_offsets(stack.addrs["kafka"], topic)
            # (tansu may answer a committed offset past the end it reports: that partition has caught up)
            lag += sum(max(0, end - committed.get(p, 0)) for p, end in ends.items())
        waiting[f"{group} lag"] = lag
    return waiting


def wait_quiet(stack: Stack, timeout: float = 1800.0) -> None:
    """Until every outbox is published and every consumer group has caught up (a restarted embedded broker
    gets the last hour of events again, and a data load leaves a queue): a run measures its own load."""
    if timeout <= 0:
        return
    deadline = time.monotonic() + timeout
    quiet = 0
    shown = 0.0
    while quiet < 2:
        waiting = backlog(stack)
        quiet = quiet + 1 if not any(waiting.values()) else 0
        if any(waiting.values()) and time.monotonic() - shown > 15:
            busy = ", ".join(f"{k} {v}" for k, v in waiting.items() if v)
            print(f"  waiting for the platform to be quiet: {busy}", flush=True)
            shown = time.monotonic()
        if time.monotonic() > deadline:
            raise RuntimeError(f"the platform did not become quiet: {waiting}")
        time.sleep(2.0)


# ---- a running platform's processes again, under the sampler ----


def _environ(pid: int) -> dict[str, str]:
    return dict(psutil.Process(pid).environ())


class CloneStack:
    """With --profile on a platform already running: its services and gateway started again beside it,
    under the sampler, from the same environment (database, broker, settings) on ports of their own, calling
    each other; the run goes through them while the originals idle. The consumers stay as they are."""

    def __init__(self, stack: Stack, profiles: Profiles, root: Path, gateways: int) -> None:
        self.stack = stack
        self.profiles = profiles
        self.root = root
        self.gateway_count = gateways
        self.running: dict[str, ServiceProcess] = {}

    def start(self) -> Stack:
        from kinerja_testing.infra import free_port

        (self.root / "logs").mkdir(parents=True, exist_ok=True)
        ports = {s: free_port() for s in SERVICES}
        addresses = {f"{s.upper()}_ADDR": f"127.0.0.1:{ports[s]}" for s in SERVICES}
        for service in SERVICES:
            env = {
                **_environ(self.stack.processes[service][0]),
                **addresses,
                "GRPC_PORT": str(ports[service]),
            }
            self._start(service, service, env, ports[service])
        gateways = []
        gateway_env = _environ(self.stack.processes["gateway"][0])
        for n in range(1, self.gateway_count + 1):
            port = free_port()
            env = {**gateway_env, **addresses, "GATEWAY_HOST": "127.0.0.1", "GATEWAY_PORT": str(port),
                   "GATEWAY_WORKERS": "1"}  # fmt: skip
            self._start(f"gateway-{n}", "gateway", env, None)
            gateways.append(f"http://127.0.0.1:{port}")
        for base in gateways:
            _wait_healthy(base)
        processes = {
            **self.stack.processes,
            "gateway": [_pid(self.running[f"gateway-{n}"]) for n in range(1, self.gateway_count + 1)],
            **{s: [_pid(self.running[s])] for s in SERVICES},
        }
        addrs = {**self.stack.addrs, **{s: f"127.0.0.1:{ports[s]}" for s in SERVICES}}
        profiled = {name: _pid(process) for name, process in self.running.items()}
        return Stack(gateways, addrs, processes, self.stack.databases, self.stack.admin, profiled)

    def _start(self, name: str, module: str, env: dict[str, str], port: int | None) -> None:
        command = _profiled(self.profiles, module, name)
        self.running[name] = ServiceProcess(command, env, self.root / "logs" / f"{name}.log", port).start()

    def stop(self) -> None:
        for process in reversed(list(self.running.values())):
            process.stop()


@contextlib.contextmanager
def cloned(stack: Stack, profiles: Profiles, root: Path, gateways: int) -> Iterator[Stack]:
    clone = CloneStack(stack, profiles, root, gateways)
    try:
        yield clone.start()
    finally:
        clone.stop()
