"""Local platform for `make run` / `make stop`: infrastructure, every service, the worker and the gateway, demo data.

The same stack serves the national data set (`make seed-national`) from another data root, on ports of its
own and without demo data, so that both can run side by side:

    KINERJA_DATA=.national KINERJA_PORT_OFFSET=100 KINERJA_DEMO=0 python deploy/local/devstack.py up

or the flags `--data .national --port-offset 100 --no-demo`. Every port can also be set alone
(`IDENTITY_PORT`, ..., `GATEWAY_PORT`). `--pg-setting name=value` (or KINERJA_PG_SETTINGS, space separated)
gives the embedded PostgreSQL server settings of that data root (ALTER SYSTEM; restarted when one needs it);
`--replicas identity=2` (or KINERJA_REPLICAS) runs a service in more processes (ports +10, +20, ...).
`restart identity ...` restarts processes of a running stack as they were started (new code, same broker).
The state file (`<data>/run/state.json`) records the processes and the endpoints.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from kinerja_kit.db import provision_service_database
from kinerja_testing.infra import (
    EmbeddedPostgres,
    RabbitMQUnavailable,
    TansuBroker,
    check_rabbitmq,
    port_is_open,
)

ROOT = Path(__file__).resolve().parents[2]

SERVICES = ("identity", "org", "skp", "assessment", "angka_kredit")
PORTS = {
    "identity": 50051,
    "org": 50052,
    "skp": 50053,
    "assessment": 50054,
    "angka_kredit": 50055,
    "gateway": 8000,
}
# Processes that run a service's consumers alone (module, the service whose database and settings they use):
# assessment's projection consumer joins the API's consumer group, as it scales in the cluster. No port.
CONSUMERS = {"assessment-consumer": ("assessment.consumer", "assessment")}
# Worker processes (nameko on RabbitMQ, libs/worker): name -> module. One runs the configured worker services
# (WORKER_SERVICES; by default the system worker). No port and no database of their own.
WORKERS = {"worker": "kinerja_worker"}

BOOTSTRAP_ADMIN = {"username": "199001012015011001", "password": "Monas-Tegak-Kokoh-45"}


@dataclasses.dataclass(frozen=True)
class Stack:
    """Where a stack keeps its data (PostgreSQL, logs, state), the ports it serves on, whether it loads the
    demo data, and server settings of its embedded PostgreSQL."""

    data: Path = ROOT / ".data"
    port_offset: int = 0
    demo: bool = True
    pg_settings: tuple[str, ...] = ()
    # Services run in more than one process ("identity=2"): the others on their port plus 10, 20, ...,
    # each with the service's consumers in the same consumer group, as replicas scale in the cluster.
    replicas: tuple[str, ...] = ()

    def replica_count(self, service: str) -> int:
        for item in self.replicas:
            name, _, count = item.partition("=")
            if name == service:
                return max(1, int(count or 1))
        return 1

    @property
    def run(self) -> Path:
        return self.data / "run"

    @property
    def logs(self) -> Path:
        return self.data / "logs"

    @property
    def state(self) -> Path:
        return self.run / "state.json"

    def port(self, name: str) -> int:
        return int(os.environ.get(f"{name.upper()}_PORT", PORTS[name] + self.port_offset))

    @classmethod
    def from_env(cls) -> Stack:
        """KINERJA_DATA (relative to the repository; default .data), KINERJA_PORT_OFFSET (default 0),
        KINERJA_DEMO (0 skips the demo data), KINERJA_PG_SETTINGS (name=value, space separated),
        KINERJA_REPLICAS (service=count, space separated)."""
        data = Path(os.environ.get("KINERJA_DATA") or ".data")
        return cls(
            data=data if data.is_absolute() else ROOT / data,
            port_offset=int(os.environ.get("KINERJA_PORT_OFFSET") or 0),
            demo=os.environ.get("KINERJA_DEMO", "1").strip().lower() not in ("0", "false", "no"),
            pg_settings=tuple(os.environ.get("KINERJA_PG_SETTINGS", "").split()),
            replicas=tuple(os.environ.get("KINERJA_REPLICAS", "").split()),
        )


STACK = Stack()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    return True


def _load_state(stack: Stack) -> dict[str, object]:
    return json.loads(stack.state.read_text()) if stack.state.exists() else {}


# How each process was started (its module and its own environment), kept in the state file for `restart`.
_LAUNCHES: dict[str, dict[str, object]] = {}


def _spawn(stack: Stack, name: str, module: str, env: dict[str, str]) -> int:
    _LAUNCHES[name] = {"module": module, "env": env}
    stack.logs.mkdir(parents=True, exist_ok=True)
    log = open(stack.logs / f"{name}.log", "ab")  # noqa: SIM115 - handed to the child process
    process = subprocess.Popen(
        [sys.executable, "-m", module],
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    return process.pid


def _wait_alive(stack: Stack, name: str, pid: int, seconds: float = 2.0) -> None:
    """A process without a port to wait for: it must still be running after `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not _alive(pid):
            tail = (stack.logs / f"{name}.log").read_text(errors="replace")[-3000:]
            raise SystemExit(f"{name} stopped. Last lines of {stack.logs / (name + '.log')}:\n{tail}")
        time.sleep(0.1)


def _wait_port(stack: Stack, name: str, port: int, pid: int, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if port_is_open("127.0.0.1", port):
            return
        if not _alive(pid):
            break
        time.sleep(0.2)
    tail = (stack.logs / f"{name}.log").read_text(errors="replace")[-3000:]
    raise SystemExit(
        f"{name} did not start on port {port}. Last lines of {stack.logs / (name + '.log')}:\n{tail}"
    )


def _libpq(url: str) -> str:
    """A SQLAlchemy URL (postgresql+psycopg://...) as libpq takes it."""
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


def _apply_pg_settings(stack: Stack, admin_url: str) -> str:
    """Gives the embedded server the stack's settings (ALTER SYSTEM, kept in its data directory), reloads
    them, and restarts the server when one of them only applies then. Returns the (new) admin URL."""
    if not stack.pg_settings:
        return admin_url
    import psycopg

    with psycopg.connect(_libpq(admin_url), autocommit=True) as connection:
        for setting in stack.pg_settings:
            name, _, value = setting.partition("=")
            if not name.replace("_", "").isalnum() or not value:
                raise SystemExit(f"A PostgreSQL setting is name=value, not {setting!r}")
            connection.execute(f"ALTER SYSTEM SET {name} = '{value.replace(chr(39), '')}'")
        connection.execute("SELECT pg_reload_conf()")
        time.sleep(0.2)
        row = connection.execute("SELECT count(*) FROM pg_settings WHERE pending_restart").fetchone()
    if row and row[0]:
        print("Restarting PostgreSQL for its settings ...", flush=True)
        server = EmbeddedPostgres(stack.data / "pg")
        server.stop()
        return server.start()
    return admin_url


def up(stack: Stack = STACK) -> None:
    """Starts everything (idempotent), loads demo data when empty (unless the stack has none), prints the
    URL and logins."""
    state = _load_state(stack)
    pids = state.get("pids", {})
    if isinstance(pids, dict) and pids and all(_alive(int(p)) for p in pids.values()):
        print("The platform is already running.")
        _print_access(stack, int(str(state.get("gateway_port", stack.port("gateway")))))
        return
    if isinstance(pids, dict) and pids:
        down(stack, quiet=True)
    try:
        check_rabbitmq()
    except RabbitMQUnavailable as exc:
        raise SystemExit(str(exc)) from exc

    stack.run.mkdir(parents=True, exist_ok=True)
    for name in (*SERVICES, "gateway"):
        if port_is_open("127.0.0.1", stack.port(name)):
            raise SystemExit(
                f"Port {stack.port(name)} for {name} is taken. Stop what uses it, or set {name.upper()}_PORT."
            )

    print("Starting PostgreSQL ...", flush=True)
    if os.environ.get("DATABASE_URL"):
        admin_url = os.environ["DATABASE_URL"]
    else:
        admin_url = _apply_pg_settings(stack, EmbeddedPostgres(stack.data / "pg").start())

    print("Starting the Kafka-protocol broker ...", flush=True)
    broker_pid = 0
    if os.environ.get("KAFKA_BOOTSTRAP_SERVERS"):
        bootstrap = os.environ["KAFKA_BOOTSTRAP_SERVERS"]
    else:
        broker = TansuBroker(log_path=stack.logs / "broker.log")
        stack.logs.mkdir(parents=True, exist_ok=True)
        bootstrap = broker.start()
        broker_pid = broker.pid or 0

    print("Migrating databases ...", flush=True)
    databases = {}
    for service in SERVICES:
        db = provision_service_database(admin_url, service)
        module = __import__(f"{service}.bootstrap", fromlist=["migrate"])
        module.migrate(db.owner_url)
        databases[service] = db

    common = {
        "KAFKA_BOOTSTRAP_SERVERS": bootstrap,
        "IDENTITY_ADDR": f"127.0.0.1:{stack.port('identity')}",
        "ORG_ADDR": f"127.0.0.1:{stack.port('org')}",
        "SKP_ADDR": f"127.0.0.1:{stack.port('skp')}",
        "ASSESSMENT_ADDR": f"127.0.0.1:{stack.port('assessment')}",
        "ANGKA_KREDIT_ADDR": f"127.0.0.1:{stack.port('angka_kredit')}",
        "LOG_JSON": "true",
    }
    gateway_port = stack.port("gateway")
    endpoints = {
        "gateway": f"http://127.0.0.1:{gateway_port}",
        **{service: common[f"{service.upper()}_ADDR"] for service in SERVICES},
        "kafka": bootstrap,
        "database_url": admin_url,
    }

    def save(started: dict[str, int], **more: object) -> None:
        stack.state.write_text(
            json.dumps(
                {
                    "pids": started,
                    "admin_url": admin_url,
                    "endpoints": endpoints,
                    "launches": _LAUNCHES,
                    **more,
                }
            )
        )

    started: dict[str, int] = {}
    if broker_pid:
        started["broker"] = broker_pid
    print("Starting services ...", flush=True)
    extra = {
        "identity": {
            "BOOTSTRAP_ADMIN_USERNAME": BOOTSTRAP_ADMIN["username"],
            "BOOTSTRAP_ADMIN_PASSWORD": BOOTSTRAP_ADMIN["password"],
        }
    }
    for service in SERVICES:
        env = {
            **common,
            "DATABASE_URL": databases[service].app_url,
            "MIGRATION_DATABASE_URL": databases[service].owner_url,
            "GRPC_PORT": str(stack.port(service)),
            **extra.get(service, {}),
        }
        started[service] = _spawn(stack, service, service, env)
        _wait_port(stack, service, stack.port(service), started[service])
        save(started)
        for k in range(2, stack.replica_count(service) + 1):
            port = stack.port(service) + 10 * (k - 1)
            name = f"{service}-{k}"
            started[name] = _spawn(stack, name, service, {**env, "GRPC_PORT": str(port)})
            _wait_port(stack, name, port, started[name])
            save(started)
    for name, (consumer_module, service) in CONSUMERS.items():
        env = {**common, "DATABASE_URL": databases[service].app_url}
        started[name] = _spawn(stack, name, consumer_module, env)
        _wait_alive(stack, name, started[name])
        save(started)
    for name, worker_module in WORKERS.items():
        # The worker's own defaults (AMQP_URI: the local RabbitMQ) unless the environment says otherwise.
        started[name] = _spawn(stack, name, worker_module, {"LOG_LEVEL": os.environ.get("LOG_LEVEL", "INFO")})
        _wait_alive(stack, name, started[name])
        save(started)
    # Two uvicorn workers, so that one heavy query does not hold the only event loop (GATEWAY_WORKERS).
    workers = os.environ.get("GATEWAY_WORKERS", "2")
    gateway_env = {**common, "GATEWAY_PORT": str(gateway_port), "GATEWAY_WORKERS": workers}
    started["gateway"] = _spawn(stack, "gateway", "gateway", gateway_env)
    _wait_port(stack, "gateway", gateway_port, started["gateway"])
    save(started, gateway_port=gateway_port)
    _wait_healthy(gateway_port)

    if not stack.demo:
        _print_access(stack, gateway_port)
        return
    from kinerja_testing.demo.data import load_demo_data

    load_demo_data(
        identity_addr=common["IDENTITY_ADDR"],
        org_addr=common["ORG_ADDR"],
        skp_addr=common["SKP_ADDR"],
        assessment_addr=common["ASSESSMENT_ADDR"],
        angka_kredit_addr=common["ANGKA_KREDIT_ADDR"],
        admin_username=BOOTSTRAP_ADMIN["username"],
        admin_password=BOOTSTRAP_ADMIN["password"],
    )
    _print_access(stack, gateway_port)


def _wait_healthy(port: int, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    last = ""
    while time.monotonic() < deadline:
        try:
            response = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2)
            if response.status_code == 200:
                return
            last = response.text
        except httpx.HTTPError as exc:
            last = str(exc)
        time.sleep(0.3)
    raise SystemExit(f"The gateway did not become healthy: {last}")


def _print_access(stack: Stack, port: int) -> None:
    print()
    print(f"GraphQL: http://127.0.0.1:{port}/graphql   (health: http://127.0.0.1:{port}/healthz)")
    if not stack.demo:
        print(
            f"admin BKN (username = NIP, password): {BOOTSTRAP_ADMIN['username']}  {BOOTSTRAP_ADMIN['password']}"
        )
        print(f"Logs: {stack.logs}/   State and endpoints: {stack.state}")
        return
    from kinerja_testing.demo.data import DEMO_LOGINS

    print("Demo logins (username = NIP, password):")
    print(f"  {'admin BKN':<28} {BOOTSTRAP_ADMIN['username']}  {BOOTSTRAP_ADMIN['password']}")
    for login in DEMO_LOGINS:
        print(f"  {login.role:<28} {login.username}  {login.password}")
    print(f"Logs: {stack.logs}/   Stop with: make stop")


def down(stack: Stack = STACK, quiet: bool = False) -> None:
    """Stops what `up` started: services, consumers, the worker, gateway, broker and the embedded PostgreSQL."""
    state = _load_state(stack)
    pids = state.get("pids", {})
    if isinstance(pids, dict):
        known = ("gateway", *WORKERS, *CONSUMERS, *reversed(SERVICES), "broker")
        replicas = [name for name in pids if name not in known]
        for name in ("gateway", *WORKERS, *CONSUMERS, *replicas, *reversed(SERVICES), "broker"):
            pid = pids.get(name)
            if pid and _alive(int(pid)):
                os.kill(int(pid), signal.SIGTERM)
                deadline = time.monotonic() + 10
                while _alive(int(pid)) and time.monotonic() < deadline:
                    time.sleep(0.1)
                if _alive(int(pid)):
                    os.kill(int(pid), signal.SIGKILL)
                if not quiet:
                    print(f"stopped {name}")
    if not os.environ.get("DATABASE_URL") and (stack.data / "pg").exists():
        EmbeddedPostgres(stack.data / "pg").stop()
        if not quiet:
            print("stopped postgresql")
    stack.state.unlink(missing_ok=True)


def _stop_pid(pid: int) -> None:
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + 15
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    if _alive(pid):
        os.kill(pid, signal.SIGKILL)


def restart(stack: Stack, names: list[str]) -> None:
    """Restarts processes of a running stack (to pick up new code) as they were started, the broker,
    PostgreSQL and the other processes left running (consumers go on from their committed offsets)."""
    state = _load_state(stack)
    pids = state.get("pids", {})
    launches = state.get("launches", {})
    if not isinstance(pids, dict) or not isinstance(launches, dict):
        raise SystemExit("not running")
    for name in names:
        launch = launches.get(name)
        if not isinstance(launch, dict) and name in SERVICES:
            launch = _new_service_launch(stack, state, name)
        if not isinstance(launch, dict):
            raise SystemExit(f"{name}: not started by this devstack (started: {', '.join(launches)})")
        if pids.get(name) and _alive(int(pids[name])):
            _stop_pid(int(pids[name]))
        env = {str(k): str(v) for k, v in dict(launch["env"]).items()}
        pid = _spawn(stack, name, str(launch["module"]), env)
        port = env.get("GRPC_PORT") or env.get("GATEWAY_PORT")
        if port:
            _wait_port(stack, name, int(port), pid)
        else:
            _wait_alive(stack, name, pid)
        pids[name] = pid
        launches[name] = _LAUNCHES[name]
        endpoints = state.get("endpoints")
        if name in SERVICES and isinstance(endpoints, dict):
            endpoints[name] = f"127.0.0.1:{stack.port(name)}"
        stack.state.write_text(json.dumps({**state, "pids": pids, "launches": launches}))
        print(f"restarted {name} (pid {pid})")


def _new_service_launch(stack: Stack, state: dict[str, object], service: str) -> dict[str, object]:
    """How to start a service the running stack does not have yet (one added to the platform since it
    started): its database provisioned and migrated, the environment of the stack's other services with its
    own database and port."""
    launches = state.get("launches", {})
    admin_url = state.get("admin_url")
    model = (
        next((v for k, v in dict(launches).items() if k in SERVICES), None)
        if isinstance(launches, dict)
        else None
    )
    if not isinstance(admin_url, str) or not isinstance(model, dict):
        raise SystemExit(f"{service}: the stack's state says too little to add it")
    print(f"Migrating {service} ...", flush=True)
    db = provision_service_database(admin_url, service)
    __import__(f"{service}.bootstrap", fromlist=["migrate"]).migrate(db.owner_url)
    env = {str(k): str(v) for k, v in dict(model["env"]).items()}
    env.update(
        {
            **{f"{s.upper()}_ADDR": f"127.0.0.1:{stack.port(s)}" for s in SERVICES},
            "DATABASE_URL": db.app_url,
            "MIGRATION_DATABASE_URL": db.owner_url,
            "GRPC_PORT": str(stack.port(service)),
        }
    )
    env.pop("BOOTSTRAP_ADMIN_USERNAME", None)
    env.pop("BOOTSTRAP_ADMIN_PASSWORD", None)
    return {"module": service, "env": env}


def status(stack: Stack = STACK) -> None:
    state = _load_state(stack)
    pids = state.get("pids", {})
    if not isinstance(pids, dict) or not pids:
        print("not running")
        return
    for name, pid in pids.items():
        print(f"{name:<20} pid {pid:<8} {'running' if _alive(int(pid)) else 'STOPPED'}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("command", choices=["up", "down", "status", "restart"])
    parser.add_argument("names", nargs="*", help="restart: the processes to restart (e.g. identity gateway)")
    parser.add_argument("--data", help="data root (default: KINERJA_DATA or .data)")
    parser.add_argument("--port-offset", type=int, help="added to every default port (KINERJA_PORT_OFFSET)")
    parser.add_argument("--no-demo", action="store_true", help="load no demo data (KINERJA_DEMO=0)")
    parser.add_argument(
        "--pg-setting", action="append", default=[], metavar="NAME=VALUE", help="a PostgreSQL server setting"
    )
    parser.add_argument(
        "--replicas", action="append", default=[], metavar="SERVICE=N", help="run a service in N processes"
    )
    args = parser.parse_args()
    stack = Stack.from_env()
    if args.data:
        data = Path(args.data)
        stack = dataclasses.replace(stack, data=data if data.is_absolute() else ROOT / data)
    if args.port_offset is not None:
        stack = dataclasses.replace(stack, port_offset=args.port_offset)
    stack = dataclasses.replace(
        stack,
        demo=stack.demo and not args.no_demo,
        pg_settings=(*stack.pg_settings, *args.pg_setting),
        replicas=(*stack.replicas, *args.replicas),
    )
    if args.command == "restart":
        restart(stack, args.names)
        return
    {"up": up, "down": down, "status": status}[args.command](stack)


if __name__ == "__main__":
    main()
