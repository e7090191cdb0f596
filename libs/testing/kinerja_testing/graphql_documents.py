"""GraphQL documents built from the gateway's schema, for tests that call every field of a domain: the
whole selection of a type, one operation's document, and what a fake service was sent."""

from __future__ import annotations

from collections import Counter
from typing import Any, Protocol

from google.protobuf.json_format import MessageToDict
from google.protobuf.message import Message
from graphql import GraphQLField, GraphQLNamedType, GraphQLObjectType, get_named_type, is_leaf_type
from graphql.pyutils import Undefined

from gateway.api.schema import schema

GRAPHQL = schema._schema


class RecordingFake(Protocol):
    requests: dict[str, Message]


def delta(before: Counter[str], after: Counter[str]) -> dict[str, int]:
    """The calls counted in `after` and not in `before`, by RPC."""
    return {k: after[k] - before[k] for k in after if after[k] != before[k]}


def selection(named: GraphQLNamedType, depth: int) -> str:
    """Every field reachable without required arguments, `depth` object levels down."""
    assert isinstance(named, GraphQLObjectType)
    parts = []
    for name, f in named.fields.items():
        if any(a.default_value is Undefined and str(a.type).endswith("!") for a in f.args.values()):
            continue
        inner = get_named_type(f.type)
        if is_leaf_type(inner):
            parts.append(name)
        elif depth > 0:
            parts.append(f"{name} {{ {selection(inner, depth - 1)} }}")
    return " ".join(parts)


def document(operation: str, name: str, variables: dict[str, Any], depth: int = 4) -> str:
    """A query or mutation calling the root field `name` with `variables`, selecting everything below it."""
    root = GRAPHQL.query_type if operation == "query" else GRAPHQL.mutation_type
    assert root is not None
    gql_field: GraphQLField = root.fields[name]
    declared = ", ".join(f"${n}: {gql_field.args[n].type}" for n in variables)
    passed = ", ".join(f"{n}: ${n}" for n in variables)
    head = f"{operation}({declared})" if declared else operation
    call = f"{name}({passed})" if passed else name
    return f"{head} {{ {call} {{ {selection(get_named_type(gql_field.type), depth)} }} }}"


def sent(fake: RecordingFake, rpc: str) -> dict[str, Any]:
    """The last request a fake service received on `rpc`, as a dict with the proto's field names."""
    return MessageToDict(fake.requests[rpc], preserving_proto_field_name=True)
