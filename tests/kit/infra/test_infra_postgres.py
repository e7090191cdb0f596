"""Tests for the embedded PostgreSQL harness (real server processes, no mocks)."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from kinerja_testing.infra import (
    EmbeddedPostgres,
    ExternalPostgres,
    docker_engine_available,
    external_or_embedded_postgres,
    normalize_postgres_url,
)
from kinerja_testing.infra.postgres import PORT_FILE, _read_pidfile

pytestmark = pytest.mark.integration


def _select_one(url: str) -> int:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(sa.text("select 1")).scalar_one())
    finally:
        engine.dispose()


@pytest.fixture
def data_dir(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "pgdata"
    yield path
    EmbeddedPostgres(path).stop()  # never leak a server, whatever the test did


def test_start_select_stop(data_dir: Path) -> None:
    pg = EmbeddedPostgres(data_dir)
    url = pg.start()
    assert url == f"postgresql+psycopg://postgres@127.0.0.1:{pg.port}/postgres"
    assert pg.url == url
    assert pg.is_running()
    assert _select_one(url) == 1
    info = _read_pidfile(data_dir)
    assert info is not None
    socket_dir = Path(info.socket_dir)
    assert socket_dir.is_dir() and len(str(socket_dir)) < 100
    pg.stop()
    assert not pg.is_running()
    assert not socket_dir.exists()
    pg.stop()  # idempotent


def test_reuses_running_server_and_remembered_port(data_dir: Path) -> None:
    first = EmbeddedPostgres(data_dir)
    url = first.start()
    info = _read_pidfile(data_dir)
    assert info is not None

    second = EmbeddedPostgres(data_dir)
    assert second.start() == url
    reused = _read_pidfile(data_dir)
    assert reused is not None and reused.pid == info.pid
    assert _select_one(second.url) == 1

    second.stop()
    assert not first.is_running()
    assert (data_dir / PORT_FILE).read_text().strip() == str(first.port)
    # a rerun (`make run` again) comes back on the same port
    assert EmbeddedPostgres(data_dir).start() == url


def test_stale_postmaster_pid_is_handled(data_dir: Path) -> None:
    pg = EmbeddedPostgres(data_dir)
    url = pg.start()
    info = _read_pidfile(data_dir)
    assert info is not None
    os.kill(info.pid, signal.SIGKILL)
    deadline = time.monotonic() + 5
    while pg.is_running() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert (data_dir / "postmaster.pid").exists()  # left behind by the killed server

    again = EmbeddedPostgres(data_dir)
    assert again.start() == url
    assert _select_one(url) == 1


def test_database_url_env_wins(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://u:p@db.example:5432/app")
    handle = external_or_embedded_postgres(tmp_path / "unused")
    assert isinstance(handle, ExternalPostgres)
    assert handle.url == "postgresql+psycopg://u:p@db.example:5432/app"
    handle.stop()
    assert not (tmp_path / "unused").exists()


def test_falls_back_to_embedded(monkeypatch: pytest.MonkeyPatch, data_dir: Path) -> None:
    if docker_engine_available():
        pytest.skip("a Docker engine answers here: the fallback would start a container")
    monkeypatch.delenv("DATABASE_URL", raising=False)
    handle = external_or_embedded_postgres(data_dir)
    assert isinstance(handle, EmbeddedPostgres)
    assert _select_one(handle.url) == 1
    handle.stop()


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgres://a@h/d", "postgresql+psycopg://a@h/d"),
        ("postgresql://a@h/d", "postgresql+psycopg://a@h/d"),
        ("postgresql+psycopg2://a@h/d", "postgresql+psycopg://a@h/d"),
        ("postgresql+psycopg://a@h/d", "postgresql+psycopg://a@h/d"),
    ],
)
def test_normalize_postgres_url(given: str, expected: str) -> None:
    assert normalize_postgres_url(given) == expected


def _settings(url: str, *names: str) -> dict[str, str]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return {name: conn.execute(sa.text(f"show {name}")).scalar_one() for name in names}
    finally:
        engine.dispose()


def test_embedded_server_is_durable_by_default(data_dir: Path) -> None:
    """What `make run` and the benchmarks start: a crash loses no committed transaction."""
    url = EmbeddedPostgres(data_dir).start()
    assert _settings(url, "fsync", "synchronous_commit", "full_page_writes") == {
        "fsync": "on",
        "synchronous_commit": "on",
        "full_page_writes": "on",
    }


def test_throwaway_server_may_trade_durability_for_speed(data_dir: Path) -> None:
    url = EmbeddedPostgres(data_dir, durable=False).start()
    assert _settings(url, "fsync", "synchronous_commit") == {"fsync": "off", "synchronous_commit": "off"}
