"""GraphQL enums and plain output types derived from the protobuf contracts, and the mutation payload call.

- `ProtoEnum`: `class JenisRhk(ProtoEnum, proto=skp_pb2.JenisRhk)` takes its members from the proto
  enum: prefix stripped, *_UNSPECIFIED dropped, the proto number as value (descriptions stay by hand).
- `FromProto`: `class Periode(FromProto, message=skp_pb2.Periode)` is built by `Periode.from_pb(pb)`,
  each annotated field read from the message field of the same name and converted by its annotation:
  enums (0 or unknown is null), `Date` from "YYYY-MM-DD", `DateTime` from a Timestamp, optional texts
  and ids from empty strings, nested types and lists recursively. A field that differs from the proto
  says so by hand (`by_hand`); resolvers and private fields are left alone. The builder of each type is
  compiled once, when the schema is built (`prepare`), into one function as plain as hand-written code:
  a whole SKP is built on every `skp(id)`.
- `payload`: one mutation's call for the caller, its answer into the payload's result field and a
  domain error into the payload's `errors`; a create's `clientMutationId` (`ClientMutationIdArg`) goes
  to the service as its idempotency key and comes back in the payload (`Echoes`).
"""

from __future__ import annotations

import dataclasses
import datetime
import enum
from collections.abc import Awaitable, Callable, Mapping
from typing import Annotated, Any, ClassVar, Literal, TypeVar, cast

import strawberry
from google.protobuf.descriptor import EnumDescriptor, FieldDescriptor
from google.protobuf.message import Message
from strawberry.types.base import StrawberryList, StrawberryOptional, get_object_definition
from strawberry.types.enum import StrawberryEnumDefinition

from gateway.api.context import Info
from gateway.api.errors import attempt
from gateway.clients import call
from gateway.tenancy import Caller
from kinerja_kit.context import IDEMPOTENCY_METADATA, check_idempotency_key

E = TypeVar("E", bound=enum.Enum)
T = TypeVar("T", bound="FromProto")
P = TypeVar("P")


# ---- values ----


def enum_or_none(kind: type[E], value: int) -> E | None:
    """The GraphQL enum member of a protobuf enum number; None for UNSPECIFIED or unknown."""
    try:
        return kind(value) if value else None
    except ValueError:
        return None


def date_or_none(value: str) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def date_text(value: datetime.date | None) -> str:
    return value.isoformat() if value is not None else ""


# ---- enums ----


def enum_members(descriptor: EnumDescriptor) -> dict[str, int]:
    """Member name -> proto number: `JENIS_RHK_UTAMA` -> `UTAMA`, without the UNSPECIFIED zero."""
    unspecified = next(v.name for v in descriptor.values if v.number == 0)
    prefix = unspecified.removesuffix("UNSPECIFIED")
    return {v.name.removeprefix(prefix): v.number for v in descriptor.values if v.number != 0}


class ProtoEnumMeta(enum.EnumMeta):
    """Fills an enum's members from the proto enum given as the class keyword `proto`."""

    @classmethod
    def __prepare__(metacls, cls: str, bases: tuple[type, ...], **kwds: Any) -> Any:  # type: ignore[override]
        kwds.pop("proto", None)
        return super().__prepare__(cls, bases, **kwds)

    def __new__(
        metacls, cls: str, bases: tuple[type, ...], classdict: Any, *, proto: Any = None, **kwds: Any
    ) -> ProtoEnumMeta:
        if proto is not None:
            for name, number in enum_members(proto.DESCRIPTOR).items():
                classdict[name] = number
        return super().__new__(metacls, cls, bases, classdict, **kwds)


class ProtoEnum(enum.Enum, metaclass=ProtoEnumMeta):
    """Base of the GraphQL enums mirroring a proto enum (values are the proto numbers)."""


# ---- plain output types ----


class FromProto:
    """A strawberry type whose plain fields are read from one protobuf message by name."""

    __message__: ClassVar[type[Message]]
    __by_hand__: ClassVar[Mapping[str, Callable[[Any], Any]]]
    __build__: ClassVar[Callable[[Any], Any]]
    __types__: ClassVar[list[type[FromProto]]] = []

    def __init_subclass__(
        cls, message: type[Message] | None = None, by_hand: Mapping[str, Callable[[Any], Any]] | None = None
    ) -> None:
        super().__init_subclass__()
        if message is not None:
            cls.__message__ = message
            cls.__by_hand__ = by_hand or {}
            FromProto.__types__.append(cls)

    @classmethod
    def from_pb(cls: type[T], pb: Any) -> T:
        """The type filled from its message."""
        build = cls.__dict__.get("__build__") or compile_builder(cls)
        result: T = build(pb)
        return result

    @classmethod
    def is_empty(cls, pb: Any) -> bool:
        """Whether a present nested message still means "none" (a type may say so by hand)."""
        return False


class ToProto:
    """A strawberry input written into one protobuf message by field name (`to_pb`): null leaves the
    proto default (absent), enums give their number, dates "YYYY-MM-DD", nested inputs and lists recurse."""

    __message__: ClassVar[type[Message]]
    __types__: ClassVar[list[type[ToProto]]] = []

    def __init_subclass__(cls, message: type[Message] | None = None) -> None:
        super().__init_subclass__()
        if message is not None:
            cls.__message__ = message
            ToProto.__types__.append(cls)

    def to_pb(self) -> Any:
        values = {}
        for name in check_input(type(self)):
            value = getattr(self, name)
            if value is not None:
                values[name] = _proto_value(value)
        return self.__message__(**values)


def _proto_value(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, ToProto):
        return value.to_pb()
    if isinstance(value, list):
        return [_proto_value(v) if v is not None else "" for v in value]
    return value


_INPUT_FIELDS: dict[type, tuple[str, ...]] = {}


def check_input(cls: type[ToProto]) -> tuple[str, ...]:
    """The input's field names, each checked once to be a field of its message."""
    names = _INPUT_FIELDS.get(cls)
    if names is None:
        names = tuple(f.python_name for f in get_object_definition(cls, strict=True).fields)
        missing = set(names) - set(cls.__message__.DESCRIPTOR.fields_by_name)
        if missing:
            raise TypeError(
                f"{cls.__name__}: no field {sorted(missing)} in {cls.__message__.DESCRIPTOR.full_name}"
            )
        _INPUT_FIELDS[cls] = names
    return names


def prepare() -> None:
    """Compiles the builder of every FromProto type and checks every ToProto input (once, when the
    schema is built)."""
    for kind in FromProto.__types__:
        if "__build__" not in kind.__dict__:
            compile_builder(kind)
    for given in ToProto.__types__:
        check_input(given)


def compile_builder(cls: type[FromProto]) -> Callable[[Any], Any]:
    """One function building `cls` from its message, every field's conversion inlined."""
    definition = get_object_definition(cls, strict=True)
    fields = cls.__message__.DESCRIPTOR.fields_by_name
    names: dict[str, Any] = {"_cls": cls}
    arguments = []
    for field in definition.fields:
        if field.base_resolver is not None:
            continue
        name = field.python_name
        if name in cls.__by_hand__:
            names[f"_hand_{name}"] = cls.__by_hand__[name]
            expression = f"_hand_{name}(pb)"
        elif name in fields:
            expression = _convert(f"pb.{name}", name, field.type, fields[name], names)
        else:
            raise TypeError(
                f"{cls.__name__}.{name}: no field {name} in {cls.__message__.DESCRIPTOR.full_name}"
            )
        arguments.append(f"{name}={expression}")
    source = "def build(pb):\n    return _cls(" + ", ".join(arguments) + ")\n"
    exec(source, names)  # builders are generated once, like dataclasses' own __init__
    build: Callable[[Any], Any] = names["build"]
    build.__doc__ = source  # what was generated, for reading when debugging
    cls.__build__ = build
    return build


def _convert(value: str, name: str, kind: Any, proto: Any, names: dict[str, Any]) -> str:
    """The expression turning `value` (the message field) into the annotation's value."""
    optional = isinstance(kind, StrawberryOptional)
    if optional:
        kind = kind.of_type
    if isinstance(kind, StrawberryList):
        item = f"_x_{name}"
        if _enum(kind.of_type) is not None:
            # Unknown numbers in a list are dropped rather than shown as null.
            names[f"_enum_{name}"] = {m.value: m for m in _enum(kind.of_type) or ()}
            return f"[_y for _y in map(_enum_{name}.get, {value}) if _y is not None]"
        element = _convert(item, f"{name}_item", kind.of_type, proto, names)
        if element == item:
            return f"list({value})"
        if element == f"_build_{name}_item({item})":
            return f"list(map(_build_{name}_item, {value}))"
        return f"[{element} for {item} in {value}]"
    members = _enum(kind)
    if members is not None:
        names[f"_enum_{name}"] = {m.value: m for m in members}
        return f"_enum_{name}.get({value})"
    owner, _, attr = value.rpartition(".")
    if kind is datetime.date:
        names["_date"], names["_date_of"] = date_or_none, datetime.date.fromisoformat
        return f"_date({value})" if optional else f"_date_of({value})"
    if kind is datetime.datetime:
        names["_UTC"] = datetime.UTC
        return f"({value}.ToDatetime(tzinfo=_UTC) if {owner}.HasField({attr!r}) else None)"
    if isinstance(kind, type) and issubclass(kind, FromProto):
        # The nested type's own builder, called directly (no lookup per value).
        names[f"_build_{name}"] = kind.__dict__.get("__build__") or compile_builder(kind)
        build = f"_build_{name}({value})"
        if not optional or not owner:  # a list element is always present
            return build
        names[f"_type_{name}"] = kind
        empty = f" and not _type_{name}.is_empty({value})" if "is_empty" in kind.__dict__ else ""
        return f"({build} if {owner}.HasField({attr!r}){empty} else None)"
    if optional and proto.type == FieldDescriptor.TYPE_STRING:
        return f"({value} or None)"
    return value


def _enum(kind: Any) -> type[enum.Enum] | None:
    if isinstance(kind, StrawberryEnumDefinition):
        return cast(type[enum.Enum], kind.wrapped_cls)
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        return kind
    return None


# ---- mutations ----

ECHO = "client_mutation_id"

ClientMutationIdArg = Annotated[
    str | None,
    strawberry.argument(
        description=(
            "Makes a retry safe: sent again with the same value (same caller, instansi and arguments) "
            "while it is kept (a day by default), the mutation answers its first result instead of "
            "creating again; the value with other arguments is refused (IDEMPOTENCY_KEY_REUSED). "
            "1-100 visible ASCII characters, e.g. a UUID made once per intended change. Echoed in the payload."
        )
    ),
]


@strawberry.type
class Echoes:
    """Base of mutation payloads: the `clientMutationId` the mutation was sent with (Relay)."""

    client_mutation_id: str | None = strawberry.field(
        default=None, description="The clientMutationId sent with the mutation, if any."
    )


_RESULTS: dict[type, tuple[str, Callable[[Any], Any] | None]] = {}


def _result_of(payload: Any) -> tuple[str, Callable[[Any], Any] | None]:
    """The payload's one field beside `errors` (and the echo), and its type's from_pb when it has one."""
    found = _RESULTS.get(payload)
    if found is None:
        (field,) = [
            f
            for f in get_object_definition(payload, strict=True).fields
            if f.python_name not in ("errors", ECHO)
        ]
        kind = field.type.of_type if isinstance(field.type, StrawberryOptional) else field.type
        build = kind.from_pb if isinstance(kind, type) and issubclass(kind, FromProto) else None
        found = _RESULTS[payload] = (field.python_name, build)
    return found


async def payload(
    info: Info,
    kind: Callable[..., P],
    method: Callable[..., Awaitable[Any]],
    request: Message,
    instansi_id: str | None = None,
    *,
    rename: Mapping[str, str] | None = None,
    result: Callable[[Any], Any] | None = None,
    caller: Literal["tenant", "own", "anonymous"] = "tenant",
    client_mutation_id: str | None = None,
) -> P:
    """Calls `method` for the caller; its answer fills the payload's result field (through `result`, or
    the field type's `from_pb`), a domain error (also the tenancy rule's) the payload's `errors`.

    `client_mutation_id` (a create's `ClientMutationIdArg`) is sent as the call's idempotency key, so a
    retry answers the first result, and echoed in the payload (an `Echoes`)."""
    context = info.context

    def who() -> Caller:
        if caller == "own":
            chosen = context.own_caller()
        elif caller == "anonymous":
            chosen = context.anonymous_caller()
        else:
            chosen = context.caller(instansi_id)
        if client_mutation_id is None:
            return chosen
        key = (IDEMPOTENCY_METADATA, check_idempotency_key(client_mutation_id))
        return dataclasses.replace(chosen, metadata=(*chosen.metadata, key))

    renamed = {"idempotency_key": ECHO, **(rename or {})}
    pb, errors = await attempt(lambda: call(method, request, who()), renamed)
    field, build = _result_of(kind)
    echo = {ECHO: client_mutation_id} if client_mutation_id is not None else {}
    if pb is None:
        return kind(errors=errors, **echo)  # the result field keeps its default (null, or false for `ok`)
    convert = result or build
    assert convert is not None, f"{kind}: a result that is not a FromProto type needs `result`"
    return kind(**{field: convert(pb), "errors": errors, **echo})
