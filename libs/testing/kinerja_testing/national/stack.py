"""The national stack: the devstack (`deploy/local/devstack.py`) with its data root in `.national/`, without
demo data, on ports of its own (the usual ones plus 100) so that it runs beside `make run`; its PostgreSQL
sized for a data set of a million pegawai."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[4]
DEVSTACK = REPO / "deploy" / "local" / "devstack.py"
DATA = REPO / ".national"
PORT_OFFSET = 100
# The server settings of the national data set's PostgreSQL (kept in its data directory, see devstack
# --pg-setting): buffers and WAL for tables of millions of rows, checkpoints spaced for bulk loads.
PG_SETTINGS = (
    "shared_buffers=1GB",
    "effective_cache_size=8GB",
    "maintenance_work_mem=512MB",
    "max_wal_size=8GB",
    "checkpoint_timeout=15min",
    "checkpoint_completion_target=0.9",
)
# Services in more than one process (devstack --replicas): none. A second identity joining the consumer
# group of org's pegawai topic while the first is busy stalls the group's rebalance on tansu (measured: no
# account for minutes), so the accounts are opened by the one identity process.
REPLICAS: tuple[str, ...] = ()
OUTBOX_RETENTION_SECONDS = 86_400
# Same username and password as `make run`'s bootstrap admin (devstack.BOOTSTRAP_ADMIN).
ADMIN_BKN = {"username": "199001012015011001", "password": "Monas-Tegak-Kokoh-45"}


@dataclass(frozen=True)
class Endpoints:
    """Where the national stack answers."""

    gateway: str
    identity: str
    org: str
    skp: str
    assessment: str
    kafka: str
    database_url: str
    # A stack started before the service existed has none until `devstack restart angka_kredit` adds it.
    angka_kredit: str = ""

    def as_dict(self) -> dict[str, str]:
        return dict(self.__dict__)

    def database(self, service: str) -> str:
        """A libpq URL of a service's database, as the server's superuser (for counts only)."""
        from sqlalchemy.engine import make_url

        url = make_url(self.database_url).set(drivername="postgresql", database=f"kinerja_{service}")
        return url.render_as_string(hide_password=False)


def _env(data: Path) -> dict[str, str]:
    return {
        **os.environ,
        "KINERJA_DATA": str(data),
        "KINERJA_PORT_OFFSET": str(PORT_OFFSET),
        "KINERJA_DEMO": "0",
        "KINERJA_PG_SETTINGS": " ".join(PG_SETTINGS),
        "KINERJA_REPLICAS": " ".join(REPLICAS),
        # Sent events are kept a day (not an hour): the broker keeps its topics in memory, and when the stack
        # is stopped and started in the middle of a load, each relay publishes again what it sent within
        # this window (consumers skip what they had applied), so identity still gets every PegawaiCreated.
        "OUTBOX_RETENTION_SECONDS": str(OUTBOX_RETENTION_SECONDS),
        "PYTHONUNBUFFERED": "1",
    }


def devstack(command: str, data: Path = DATA, quiet: bool = False) -> None:
    """Runs `devstack.py <command>` for the national data root."""
    out = subprocess.DEVNULL if quiet else None
    done = subprocess.run(
        [sys.executable, str(DEVSTACK), command], env=_env(data), cwd=REPO, stdout=out, check=False
    )
    if done.returncode:
        raise SystemExit(f"devstack {command} failed ({done.returncode}); logs in {data / 'logs'}")


def start(data: Path = DATA) -> Endpoints:
    """Starts the national stack (or finds it running) and returns its endpoints."""
    devstack("up", data)
    return endpoints(data)


def stop(data: Path = DATA) -> None:
    devstack("down", data)


def endpoints(data: Path = DATA) -> Endpoints:
    state = json.loads((data / "run" / "state.json").read_text())
    found = state.get("endpoints")
    if not isinstance(found, dict):
        raise SystemExit(
            f"{data / 'run' / 'state.json'} names no endpoints: stop the stack and start it again"
        )
    return Endpoints(**{k: str(found[k]) for k in Endpoints.__dataclass_fields__ if k in found})


def running(data: Path = DATA) -> bool:
    state_file = data / "run" / "state.json"
    if not state_file.exists():
        return False
    pids = json.loads(state_file.read_text()).get("pids", {})
    return bool(pids) and all(_alive(int(p)) for p in pids.values())


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    return True


def wipe(data: Path = DATA) -> None:
    """Stops the stack and removes its data root."""
    if (data / "run" / "state.json").exists() or (data / "pg").exists():
        devstack("down", data, quiet=True)
    shutil.rmtree(data, ignore_errors=True)


def disk_usage(data: Path = DATA) -> int:
    """Bytes under the data root."""
    total = 0
    for root, _, files in os.walk(data):
        for name in files:
            try:
                total += os.lstat(os.path.join(root, name)).st_size
            except OSError:
                continue
    return total
