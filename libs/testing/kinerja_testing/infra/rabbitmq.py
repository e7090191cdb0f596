"""Check that the RabbitMQ (AMQP) server the nameko services need is reachable, with a helpful error."""

from __future__ import annotations

import logging
import os

__all__ = ["DEFAULT_AMQP_URI", "RabbitMQUnavailable", "amqp_uri", "check_rabbitmq"]

logger = logging.getLogger(__name__)

DEFAULT_AMQP_URI = "amqp://guest:guest@127.0.0.1:5672//"


class RabbitMQUnavailable(RuntimeError):
    """Raised when no RabbitMQ server answers at the configured AMQP URI."""


def amqp_uri() -> str:
    """Return the AMQP URI to use: env ``AMQP_URI`` or the local default (guest/guest on 127.0.0.1:5672)."""
    return os.environ.get("AMQP_URI") or DEFAULT_AMQP_URI


def _masked(uri: str) -> str:
    try:
        from kombu import Connection

        return str(Connection(uri).as_uri(include_password=False))
    except Exception:
        return uri


def check_rabbitmq(uri: str | None = None, timeout: float = 2) -> None:
    """Open (and close) one AMQP connection to ``uri``; raise RabbitMQUnavailable if that fails.

    ``uri`` defaults to env ``AMQP_URI`` or ``amqp://guest:guest@127.0.0.1:5672//``. Takes at most about
    ``timeout`` seconds (a refused port fails immediately).
    """
    uri = uri or amqp_uri()
    from kombu import Connection

    conn = Connection(
        uri,
        connect_timeout=timeout,
        transport_options={"read_timeout": timeout, "write_timeout": timeout},
    )
    try:
        conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=timeout)
    except Exception as exc:
        raise RabbitMQUnavailable(_message(_masked(uri), exc)) from exc
    finally:
        try:
            conn.release()
        except Exception:
            logger.debug("error closing the AMQP check connection", exc_info=True)
    logger.debug("RabbitMQ answers at %s", _masked(uri))


def _message(shown_uri: str, exc: BaseException) -> str:
    return "\n".join(
        [
            f"RabbitMQ is not reachable at {shown_uri}: {type(exc).__name__}: {exc}",
            "The nameko services (RPC and events) need a running RabbitMQ server.",
            "These machines normally run it at 127.0.0.1:5672 with user guest / password guest.",
            "To fix, do one of:",
            "  - start it:            rabbitmq-server -detached   (then wait a few seconds)",
            "  - install it first:    apt-get install -y rabbitmq-server && rabbitmq-server -detached",
            "  - use another server:  export AMQP_URI=amqp://USER:PASSWORD@HOST:5672/VHOST",
        ]
    )
