"""GET /healthz (green only when every service answers) and GET /.well-known/jwks.json."""

from __future__ import annotations

import json

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from gateway.state import gateway_state

router = APIRouter()


@router.get("/healthz", summary="Healthy only when every service answers its gRPC health check")
async def healthz(request: Request) -> JSONResponse:
    state = gateway_state(request)
    services = await state.clients.health(state.settings.health_timeout_seconds)
    failed = sorted(name for name, status in services.items() if status != "SERVING")
    if failed:
        return JSONResponse(
            {"status": "unavailable", "services": services, "failed": failed}, status_code=503
        )
    return JSONResponse({"status": "ok", "services": services})


@router.get("/.well-known/jwks.json", summary="identity's public keys (JWKS), for verifying tokens")
async def jwks(request: Request) -> JSONResponse:
    keys = await gateway_state(request).keys.current()
    return JSONResponse(json.loads(keys), headers={"Cache-Control": "public, max-age=300"})
