"""Tests for the RabbitMQ check, Docker detection and the free-port helper."""

from __future__ import annotations

import socket
import time

import pytest

from kinerja_testing.infra import (
    RabbitMQUnavailable,
    check_rabbitmq,
    docker_engine_available,
    free_port,
)

pytestmark = pytest.mark.integration


def test_check_rabbitmq_local_server() -> None:
    check_rabbitmq("amqp://guest:guest@127.0.0.1:5672//")


def test_check_rabbitmq_default_uri(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AMQP_URI", raising=False)
    check_rabbitmq()


def test_check_rabbitmq_closed_port_has_clear_message() -> None:
    port = free_port()
    started = time.monotonic()
    with pytest.raises(RabbitMQUnavailable) as info:
        check_rabbitmq(f"amqp://guest:secret@127.0.0.1:{port}//", timeout=1)
    assert time.monotonic() - started < 30  # the 1 s timeout holds, not the OS's connect timeout
    message = str(info.value)
    assert f"127.0.0.1:{port}" in message
    assert "secret" not in message
    assert "rabbitmq-server -detached" in message
    assert "apt-get install" in message
    assert "AMQP_URI" in message
    assert "127.0.0.1:5672" in message and "guest" in message
    assert len(message.splitlines()) > 3


def test_check_rabbitmq_honours_env(monkeypatch: pytest.MonkeyPatch) -> None:
    port = free_port()
    monkeypatch.setenv("AMQP_URI", f"amqp://guest:guest@127.0.0.1:{port}//")
    with pytest.raises(RabbitMQUnavailable, match=str(port)):
        check_rabbitmq()


def test_docker_engine_available_is_quick_and_cached() -> None:
    first = docker_engine_available()
    assert isinstance(first, bool)
    assert docker_engine_available() is first
    assert docker_engine_available.cache_info().hits >= 1


def test_free_port_is_bindable() -> None:
    port = free_port()
    assert 0 < port < 65536
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", port))
