"""One JSON shape for REST errors: the same codes and Indonesian messages as GraphQL."""

from __future__ import annotations

import logging
import uuid

import grpc
from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from gateway.api.errors import INTERNAL_MESSAGE, error_extensions
from kinerja_kit.errors import DomainError
from kinerja_kit.logging import redacted_traceback

log = logging.getLogger("gateway.rest")

HTTP_STATUS = {
    grpc.StatusCode.INVALID_ARGUMENT: 400,
    grpc.StatusCode.UNAUTHENTICATED: 401,
    grpc.StatusCode.PERMISSION_DENIED: 403,
    grpc.StatusCode.NOT_FOUND: 404,
    grpc.StatusCode.ALREADY_EXISTS: 409,
    grpc.StatusCode.ABORTED: 409,
    grpc.StatusCode.FAILED_PRECONDITION: 409,
    grpc.StatusCode.RESOURCE_EXHAUSTED: 429,
    grpc.StatusCode.DEADLINE_EXCEEDED: 504,
}


async def domain_error_response(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, DomainError)
    body = {"message": exc.message, **error_extensions(exc)}
    return JSONResponse(body, status_code=HTTP_STATUS.get(exc.grpc_code, 400))


async def request_validation_response(request: Request, exc: Exception) -> JSONResponse:
    """A REST body or query that fails its model: 422 with each field and reason, never the input itself
    (it may be personal data, or text JSON cannot encode, such as half a surrogate pair)."""
    assert isinstance(exc, RequestValidationError)
    fields = [
        {
            "field": ".".join(str(part) for part in error["loc"] if part != "body"),
            "code": error["type"].upper(),
        }
        for error in exc.errors()
    ]
    body = {"code": "INVALID_REQUEST", "message": "Permintaan tidak valid.", "fields": fields}
    return JSONResponse(body, status_code=422)


async def unexpected_error_response(request: Request, exc: Exception) -> JSONResponse:
    trace_id = uuid.uuid4().hex[:16]
    log.error(
        "request failed",
        extra={"trace_id": trace_id, "path": request.url.path, "error": redacted_traceback(exc)},
    )
    body = {"code": "INTERNAL", "traceId": trace_id, "message": INTERNAL_MESSAGE.format(trace_id=trace_id)}
    return JSONResponse(body, status_code=500)
