"""Typed mutation errors (UserError) and the error policy: domain errors shown, anything else masked."""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Awaitable, Callable, Mapping
from typing import TypeVar

import strawberry
from graphql import GraphQLError

from kinerja_kit.errors import DomainError
from kinerja_kit.logging import redacted_traceback

log = logging.getLogger("gateway.graphql")

T = TypeVar("T")

INTERNAL_MESSAGE = (
    "Terjadi kesalahan pada sistem. Silakan coba lagi atau hubungi admin dengan kode pelacakan {trace_id}."
)

_SNAKE = re.compile(r"_([a-z0-9])")


@strawberry.type(description="A problem with a mutation's input or with what it asked for.")
class UserError:
    field: str | None = strawberry.field(
        description="Path of the input field, e.g. input.nip; null when general."
    )
    code: str = strawberry.field(description="Stable machine-readable code, e.g. NIP_INVALID.")
    message: str = strawberry.field(description="Indonesian message for the user.")


def camel_path(path: str) -> str:
    """`pegawai.unor_id` -> `pegawai.unorId` (every segment, list indexes kept)."""
    return _SNAKE.sub(lambda m: m.group(1).upper(), path)


def _rename(path: str, rename: Mapping[str, str]) -> str:
    head, dot, rest = path.partition(".")
    if head in rename:
        return rename[head] + (dot + rest if rest else "")
    return path


def user_errors(error: DomainError, rename: Mapping[str, str] | None = None) -> list[UserError]:
    """One UserError per field violation (camelCase paths), or one general error."""
    rename = rename or {}
    if error.violations:
        return [
            UserError(field=camel_path(_rename(v.field, rename)), code=v.code, message=v.message)
            for v in error.violations
        ]
    return [UserError(field=None, code=error.reason, message=error.message)]


async def attempt(
    run: Callable[[], Awaitable[T]], rename: Mapping[str, str] | None = None
) -> tuple[T | None, list[UserError]]:
    """Runs a mutation's call; a DomainError becomes its UserErrors (anything else propagates)."""
    try:
        return await run(), []
    except DomainError as err:
        return None, user_errors(err, rename)


def error_extensions(error: DomainError) -> dict[str, object]:
    extensions: dict[str, object] = {"code": error.reason}
    if error.violations:
        extensions["fields"] = [
            {"field": camel_path(v.field), "code": v.code, "message": v.message} for v in error.violations
        ]
    return extensions


def expose_errors(errors: list[GraphQLError]) -> list[GraphQLError]:
    """The errors a client may see: domain errors keep their code; unexpected ones show a trace id only."""
    return [_expose(e) for e in errors]


def _expose(error: GraphQLError) -> GraphQLError:
    original = error.original_error
    if isinstance(original, DomainError):
        return GraphQLError(
            original.message,
            error.nodes,
            error.source,
            error.positions,
            error.path,
            extensions=error_extensions(original),
        )
    if original is None or isinstance(original, GraphQLError) or (error.path is None and error.nodes):
        # Parse, validation and input coercion errors point into the query itself: safe to show.
        return error
    trace_id = uuid.uuid4().hex[:16]
    # Types and frames, not messages: a message may quote what the caller sent (kinerja_kit.logging).
    log.error(
        "graphql request failed",
        extra={
            "trace_id": trace_id,
            "path": ".".join(str(p) for p in error.path or ()),
            "error": redacted_traceback(original),
        },
    )
    return GraphQLError(
        INTERNAL_MESSAGE.format(trace_id=trace_id),
        error.nodes,
        error.source,
        error.positions,
        error.path,
        extensions={"code": "INTERNAL", "traceId": trace_id},
    )
