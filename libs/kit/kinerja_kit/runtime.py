"""Runs one service process: its engine, unit of work, gRPC server, outbox relay and consumers."""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Protocol

import grpc
from sqlalchemy import Engine

from kinerja_kit.auth import TokenVerifier
from kinerja_kit.db import UnitOfWork
from kinerja_kit.settings import CommonSettings

log = logging.getLogger(__name__)


class Worker(Protocol):
    """A background loop (relay, consumer) with start/stop."""

    def start(self) -> None: ...

    def stop(self, timeout: float = ...) -> None: ...


@dataclass
class ServiceRuntime:
    """Everything one service runs; `start()` then `stop()` (or `serve_forever()` in a process)."""

    name: str
    engine: Engine
    uow: UnitOfWork
    server: grpc.Server
    port: int
    workers: list[Worker] = field(default_factory=list)
    on_stop: list[Callable[[], None]] = field(default_factory=list)
    _stopped: threading.Event = field(default_factory=threading.Event)

    def start(self) -> ServiceRuntime:
        self.server.start()
        for worker in self.workers:
            worker.start()
        log.info("service started", extra={"service_name": self.name, "port": self.port})
        return self

    def stop(self, grace: float = 2.0) -> None:
        if self._stopped.is_set():
            return
        self._stopped.set()
        self.server.stop(grace).wait(grace + 1)
        for worker in self.workers:
            worker.stop(5.0)
        for hook in self.on_stop:
            hook()
        self.engine.dispose()
        log.info("service stopped", extra={"service_name": self.name})

    def serve_forever(self) -> None:
        """Blocks until SIGINT/SIGTERM, then stops cleanly."""
        serve_until_signalled(self.start, self.stop)


def serve_until_signalled(start: Callable[[], object], stop: Callable[[], None]) -> None:
    """Starts a process's work, blocks until SIGINT/SIGTERM, then stops it cleanly."""
    done = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: done.set())
    start()
    done.wait()
    stop()


def jwks_from_identity(target: str, timeout: float = 5.0) -> Callable[[], str]:
    """A JWKS provider that asks the identity service for its public keys."""
    from kinerja.identity.v1 import identity_pb2, identity_pb2_grpc

    channel = grpc.insecure_channel(target)
    stub = identity_pb2_grpc.IdentityServiceStub(channel)

    def provider() -> str:
        response = stub.GetPublicKeys(identity_pb2.GetPublicKeysRequest(), timeout=timeout)
        return str(response.jwks_json)

    return provider


def service_verifier(
    settings: CommonSettings, jwks_provider: Callable[[], str] | None = None
) -> TokenVerifier:
    """How a service other than identity checks tokens: identity's public keys (or `jwks_provider`), the
    platform's issuer and audience, the key cache of the settings."""
    return TokenVerifier(
        jwks_provider or jwks_from_identity(settings.identity_addr),
        settings.jwt_issuer,
        settings.jwt_audience,
        cache_seconds=settings.jwks_cache_seconds,
    )


def full_method_names(service_full_name: str, methods: Iterable[str]) -> set[str]:
    """ "/pkg.Service/Method" names, e.g. for the public methods of the caller interceptor."""
    return {f"/{service_full_name}/{m}" for m in methods}
