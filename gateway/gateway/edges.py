"""The HTTP edge: request bodies bounded in size before they are read whole, JSON bodies checked (UTF-8,
nesting, an object) before anything parses them deeply, and every refusal a GraphQL-shaped JSON error
with a stable code instead of a stack trace."""

from __future__ import annotations

import json
import re
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

REQUEST_TOO_LARGE = "REQUEST_TOO_LARGE"
INVALID_ENCODING = "INVALID_ENCODING"
INVALID_JSON = "INVALID_JSON"
JSON_TOO_DEEP = "JSON_TOO_DEEP"
INVALID_REQUEST = "INVALID_REQUEST"
TOO_MANY_REQUESTS = "TOO_MANY_REQUESTS"

# Only these paths answer in GraphQL's shape; the REST routes keep theirs ({code, message}).
GRAPHQL_PATH = "/graphql"
_BODY_METHODS = {"POST", "PUT", "PATCH"}


class RequestRefused(Exception):
    """A request the gateway answers itself, before any GraphQL or service work."""

    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}


def graphql_error_body(code: str, message: str) -> dict[str, Any]:
    return {"errors": [{"message": message, "extensions": {"code": code}}]}


def refusal_body(path: str, code: str, message: str) -> dict[str, Any]:
    """GraphQL's shape on /graphql, the REST routes' shape elsewhere."""
    if path.rstrip("/") == GRAPHQL_PATH:
        return graphql_error_body(code, message)
    return {"code": code, "message": message}


async def send_refusal(send: Send, path: str, refused: RequestRefused) -> None:
    """Answers a refusal directly over ASGI (from a middleware, before any route ran)."""
    body = json.dumps(refusal_body(path, refused.code, refused.message)).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    headers += [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in refused.headers.items()]
    await send({"type": "http.response.start", "status": refused.status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def too_large(limit: int) -> RequestRefused:
    kib = max(1, limit // 1024)
    return RequestRefused(
        413, REQUEST_TOO_LARGE, f"Permintaan terlalu besar: paling banyak {kib} KiB per permintaan."
    )


class BodyLimitMiddleware:
    """Refuses a body larger than `max_bytes` with 413: by its Content-Length before reading anything,
    and by counting what arrives otherwise (chunked bodies, or a Content-Length that lies). The body is
    read here, at most `max_bytes` of it, and handed on whole: every route reads it whole anyway."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in _BODY_METHODS:
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        declared = next((v for k, v in scope["headers"] if k == b"content-length"), None)
        if declared is not None:
            try:
                length = int(declared)
            except ValueError:
                await send_refusal(
                    send, path, RequestRefused(400, INVALID_REQUEST, "Header Content-Length tidak valid.")
                )
                return
            if length > self.max_bytes:
                await send_refusal(send, path, too_large(self.max_bytes))
                return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                await send_refusal(send, path, too_large(self.max_bytes))
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


# Strings (with their escapes) are skipped when counting brackets: a "[" inside a string nests nothing.
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKETS = re.compile(r"[\[\]{}]")


def json_depth_exceeds(text: str, max_depth: int) -> bool:
    """Whether `text` nests arrays and objects deeper than `max_depth` (a cheap scan, no parsing)."""
    if text.count("[") + text.count("{") <= max_depth:
        return False  # too few brackets to nest that deep: the common case costs two counts
    depth = 0
    for bracket in _BRACKETS.findall(_JSON_STRING.sub('""', text)):
        if bracket in "[{":
            depth += 1
            if depth > max_depth:
                return True
        else:
            depth -= 1
    return False


def decode_json(data: str | bytes, max_depth: int, *, body: bool) -> object:
    """JSON from a request: strict UTF-8, nesting at most `max_depth`, and for a POST body an object.
    Refusals are RequestRefused (400) with a stable code; nothing here can raise a RecursionError."""
    if isinstance(data, bytes):
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise RequestRefused(
                400, INVALID_ENCODING, "Badan permintaan bukan teks UTF-8 yang sah."
            ) from exc
    else:
        text = data
    if json_depth_exceeds(text, max_depth):
        raise RequestRefused(
            400, JSON_TOO_DEEP, f"JSON terlalu dalam: paling banyak {max_depth} tingkat objek atau larik."
        )
    try:
        value = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise RequestRefused(400, INVALID_JSON, "Badan permintaan bukan JSON yang sah.") from exc
    if body and not isinstance(value, dict):
        raise RequestRefused(
            400,
            INVALID_REQUEST,
            'Badan permintaan harus berupa objek JSON, misalnya {"query": "{ me { account { id } } }"}.',
        )
    return value
