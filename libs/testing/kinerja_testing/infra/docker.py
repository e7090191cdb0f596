"""Detect whether a Docker engine answers, so testcontainers can be used instead of local processes."""

from __future__ import annotations

import functools
import logging

__all__ = ["docker_engine_available"]

logger = logging.getLogger(__name__)


@functools.cache
def docker_engine_available() -> bool:
    """Return True when a Docker engine answers a ping within ~2 s (the result is cached per process).

    Only the engine counts: a ``docker`` CLI without a reachable daemon (as on these machines) is "no Docker".
    """
    try:
        import docker as docker_sdk

        client = docker_sdk.from_env(timeout=2)
        try:
            ok = bool(client.ping())
        finally:
            client.close()
    except Exception as exc:
        logger.debug("no Docker engine: %s", exc)
        return False
    logger.debug("Docker engine answered")
    return ok
