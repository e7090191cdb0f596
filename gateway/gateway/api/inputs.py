"""Input checks the gateway makes before building a gRPC request, on every root field.

- A lone surrogate (`"\\ud800"`, which JSON can carry and a Python str holds) cannot be encoded into a
  protobuf string: refused as INVALID_CHARACTER at its input path, never an INTERNAL error.
- A search (an argument or input field named `query`) takes the kit's search rule (at most
  `SEARCH_MAX` characters, no forbidden character), the same answer the service would give, without
  calling it.

A mutation answers these in its payload's `errors` (UserError), a query as a GraphQL error with the
violations in `extensions.fields`, like every other refusal.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Awaitable, Callable
from typing import Any

from strawberry.extensions import FieldExtension
from strawberry.types.base import StrawberryOptional, get_object_definition
from strawberry.types.field import StrawberryField

from gateway.api.errors import UserError, camel_path
from kinerja_kit import fields
from kinerja_kit.errors import DomainError, FieldViolation, InvalidArgument

INVALID_CHARACTER = "INVALID_CHARACTER"
_SURROGATE = re.compile("[\ud800-\udfff]")
SEARCH_FIELD = "query"


def _violations(value: Any, path: str, found: list[FieldViolation]) -> None:
    if isinstance(value, str):
        if not value.isascii() and _SURROGATE.search(value) is not None:
            found.append(
                FieldViolation(path, INVALID_CHARACTER, "Isian berisi karakter yang tidak diizinkan.")
            )
        elif path.rpartition(".")[2] == SEARCH_FIELD:
            try:
                fields.search_query(value, path=path)
            except DomainError as err:
                found.extend(err.violations)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _violations(item, f"{path}[{index}]", found)
    elif value is None or isinstance(value, (int, float, enum.Enum)):
        return
    else:
        definition = get_object_definition(type(value))
        if definition is not None and definition.is_input:
            for item in definition.fields:
                _violations(getattr(value, item.python_name, None), f"{path}.{item.python_name}", found)


def input_violations(kwargs: dict[str, Any]) -> list[FieldViolation]:
    """The violations in a root field's arguments, with camelCase paths (`input.unorId`)."""
    found: list[FieldViolation] = []
    for name, value in kwargs.items():
        _violations(value, name, found)
    return [FieldViolation(camel_path(v.field), v.code, v.message) for v in found]


class InputGuard(FieldExtension):
    """Checks a root field's arguments before its resolver runs (see the module docstring)."""

    def apply(self, field: StrawberryField) -> None:
        kind = field.type.of_type if isinstance(field.type, StrawberryOptional) else field.type
        definition = get_object_definition(kind) if isinstance(kind, type) else None
        # A mutation answers in its payload: `errors` beside the result.
        is_payload = definition is not None and any(f.python_name == "errors" for f in definition.fields)
        self.payload: type | None = kind if is_payload and isinstance(kind, type) else None

    def _refuse(self, violations: list[FieldViolation]) -> Any:
        if self.payload is not None:
            return self.payload(
                errors=[UserError(field=v.field, code=v.code, message=v.message) for v in violations]
            )
        raise InvalidArgument(violations, violations[0].message)

    def resolve(self, next_: Callable[..., Any], source: Any, info: Any, **kwargs: Any) -> Any:
        violations = input_violations(kwargs)
        if violations:
            return self._refuse(violations)
        return next_(source, info, **kwargs)

    async def resolve_async(
        self, next_: Callable[..., Awaitable[Any]], source: Any, info: Any, **kwargs: Any
    ) -> Any:
        violations = input_violations(kwargs)
        if violations:
            return self._refuse(violations)
        return await next_(source, info, **kwargs)


def guard_root_fields(*roots: type) -> None:
    """Adds the InputGuard to every field of the root types (once, however often the schema is built)."""
    for root in roots:
        for item in get_object_definition(root, strict=True).fields:
            if not any(isinstance(e, InputGuard) for e in item.extensions):
                item.extensions.append(InputGuard())
