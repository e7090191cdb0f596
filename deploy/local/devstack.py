"""Local platform for `make run` / `make stop`: infrastructure, every service and the gateway, demo data."""

from __future__ import annotations

import argparse
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
DATA = ROOT / ".data"
RUN = DATA / "run"
LOGS = DATA / "logs"
STATE = RUN / "state.json"

SERVICES = ("identity", "org", "skp", "assessment")
PORTS = {"identity": 50051, "org": 50052, "skp": 50053, "assessment": 50054, "gateway": 8000}
# Processes that run a service's consumers alone (module, the service whose database and settings they use):
# assessment's projection consumer joins the API's consumer group, as it scales in the cluster. No port.
CONSUMERS = {"assessment-consumer": ("assessment.consumer", "assessment")}

BOOTSTRAP_ADMIN = {"username": "199001012015011001", "password": "Monas-Tegak-Kokoh-45"}


def _env_port(name: str) -> int:
    return int(os.environ.get(f"{name.upper()}_PORT", PORTS[name]))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    return True


def _load_state() -> dict[str, object]:
    return json.loads(STATE.read_text()) if STATE.exists() else {}


def _spawn(name: str, module: str, env: dict[str, str]) -> int:
    LOGS.mkdir(parents=True, exist_ok=True)
    log = open(LOGS / f"{name}.log", "ab")  # noqa: SIM115 - handed to the child process
    process = subprocess.Popen(
        [sys.executable, "-m", module],
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    return process.pid


def _wait_alive(name: str, pid: int, seconds: float = 2.0) -> None:
    """A process without a port to wait for: it must still be running after `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not _alive(pid):
            tail = (LOGS / f"{name}.log").read_text(errors="replace")[-3000:]
            raise SystemExit(f"{name} stopped. Last lines of {LOGS / (name + '.log')}:\n{tail}")
        time.sleep(0.1)


def _wait_port(name: str, port: int, pid: int, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if port_is_open("127.0.0.1", port):
            return
        if not _alive(pid):
            break
        time.sleep(0.2)
    tail = (LOGS / f"{name}.log").read_text(errors="replace")[-3000:]
    raise SystemExit(f"{name} did not start on port {port}. Last lines of {LOGS / (name + '.log')}:\n{tail}")


def up() -> None:
    """Starts everything (idempotent), loads demo data when empty, prints the URL and logins."""
    state = _load_state()
    pids = state.get("pids", {})
    if isinstance(pids, dict) and pids and all(_alive(int(p)) for p in pids.values()):
        print("The platform is already running.")
        _print_access(int(str(state.get("gateway_port", PORTS["gateway"]))))
        return
    if isinstance(pids, dict) and pids:
        down(quiet=True)
    try:
        check_rabbitmq()
    except RabbitMQUnavailable as exc:
        raise SystemExit(str(exc)) from exc

    RUN.mkdir(parents=True, exist_ok=True)
    for name in (*SERVICES, "gateway"):
        if port_is_open("127.0.0.1", _env_port(name)):
            raise SystemExit(
                f"Port {_env_port(name)} for {name} is taken. Stop what uses it, or set {name.upper()}_PORT."
            )

    print("Starting PostgreSQL ...", flush=True)
    if os.environ.get("DATABASE_URL"):
        admin_url = os.environ["DATABASE_URL"]
    else:
        admin_url = EmbeddedPostgres(DATA / "pg").start()

    print("Starting the Kafka-protocol broker ...", flush=True)
    broker_pid = 0
    if os.environ.get("KAFKA_BOOTSTRAP_SERVERS"):
        bootstrap = os.environ["KAFKA_BOOTSTRAP_SERVERS"]
    else:
        broker = TansuBroker(log_path=LOGS / "broker.log")
        LOGS.mkdir(parents=True, exist_ok=True)
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
        "IDENTITY_ADDR": f"127.0.0.1:{_env_port('identity')}",
        "ORG_ADDR": f"127.0.0.1:{_env_port('org')}",
        "SKP_ADDR": f"127.0.0.1:{_env_port('skp')}",
        "ASSESSMENT_ADDR": f"127.0.0.1:{_env_port('assessment')}",
        "LOG_JSON": "true",
    }
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
            "GRPC_PORT": str(_env_port(service)),
            **extra.get(service, {}),
        }
        started[service] = _spawn(service, service, env)
        _wait_port(service, _env_port(service), started[service])
        STATE.write_text(json.dumps({"pids": started, "admin_url": admin_url}))
    for name, (consumer_module, service) in CONSUMERS.items():
        env = {**common, "DATABASE_URL": databases[service].app_url}
        started[name] = _spawn(name, consumer_module, env)
        _wait_alive(name, started[name])
        STATE.write_text(json.dumps({"pids": started, "admin_url": admin_url}))
    gateway_port = _env_port("gateway")
    # Two uvicorn workers, so that one heavy query does not hold the only event loop (GATEWAY_WORKERS).
    workers = os.environ.get("GATEWAY_WORKERS", "2")
    gateway_env = {**common, "GATEWAY_PORT": str(gateway_port), "GATEWAY_WORKERS": workers}
    started["gateway"] = _spawn("gateway", "gateway", gateway_env)
    _wait_port("gateway", gateway_port, started["gateway"])
    STATE.write_text(json.dumps({"pids": started, "admin_url": admin_url, "gateway_port": gateway_port}))
    _wait_healthy(gateway_port)

    from kinerja_testing.demo.data import load_demo_data

    load_demo_data(
        identity_addr=common["IDENTITY_ADDR"],
        org_addr=common["ORG_ADDR"],
        skp_addr=common["SKP_ADDR"],
        assessment_addr=common["ASSESSMENT_ADDR"],
        admin_username=BOOTSTRAP_ADMIN["username"],
        admin_password=BOOTSTRAP_ADMIN["password"],
    )
    _print_access(gateway_port)


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


def _print_access(port: int) -> None:
    from kinerja_testing.demo.data import DEMO_LOGINS

    print()
    print(f"GraphQL: http://127.0.0.1:{port}/graphql   (health: http://127.0.0.1:{port}/healthz)")
    print("Demo logins (username = NIP, password):")
    print(f"  {'admin BKN':<28} {BOOTSTRAP_ADMIN['username']}  {BOOTSTRAP_ADMIN['password']}")
    for login in DEMO_LOGINS:
        print(f"  {login.role:<28} {login.username}  {login.password}")
    print(f"Logs: {LOGS}/   Stop with: make stop")


def down(quiet: bool = False) -> None:
    """Stops what `up` started: services, gateway, broker and the embedded PostgreSQL."""
    state = _load_state()
    pids = state.get("pids", {})
    if isinstance(pids, dict):
        for name in ("gateway", *CONSUMERS, *reversed(SERVICES), "broker"):
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
    if not os.environ.get("DATABASE_URL") and (DATA / "pg").exists():
        EmbeddedPostgres(DATA / "pg").stop()
        if not quiet:
            print("stopped postgresql")
    STATE.unlink(missing_ok=True)


def status() -> None:
    state = _load_state()
    pids = state.get("pids", {})
    if not isinstance(pids, dict) or not pids:
        print("not running")
        return
    for name, pid in pids.items():
        print(f"{name:<20} pid {pid:<8} {'running' if _alive(int(pid)) else 'STOPPED'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("command", choices=["up", "down", "status"])
    args = parser.parse_args()
    {"up": up, "down": down, "status": status}[args.command]()


if __name__ == "__main__":
    main()
