"""`python -m gateway`: serves the gateway under uvicorn with settings from the environment, in
`GATEWAY_WORKERS` processes (each builds its own app: event loop, gRPC channels, caches)."""

from __future__ import annotations

import uvicorn
from fastapi import FastAPI

from gateway.app import create_app
from gateway.settings import GatewaySettings
from kinerja_kit.logging import configure_logging


def serve() -> FastAPI:
    """The app of one worker (uvicorn's factory: called in every worker process)."""
    settings = GatewaySettings()
    configure_logging("gateway", settings.log_level, settings.log_json)
    return create_app(settings)


def main() -> None:
    settings = GatewaySettings()
    configure_logging("gateway", settings.log_level, settings.log_json)
    # Several workers need the app as an import string, each worker importing and building its own.
    uvicorn.run(
        "gateway.__main__:serve",
        factory=True,
        host=settings.gateway_host,
        port=settings.gateway_port,
        workers=settings.gateway_workers,
        log_config=None,
        access_log=False,
    )


if __name__ == "__main__":
    main()
