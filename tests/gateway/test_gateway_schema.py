"""The committed SDL matches the schema, and the schema's own introspection passes the limits."""

from __future__ import annotations

from graphql import GraphQLObjectType, get_introspection_query, get_named_type

from gateway import export_schema
from gateway.api.schema import schema
from kinerja_testing.gateway import Gql


def test_committed_sdl_matches_the_schema() -> None:
    committed = export_schema.SDL_PATH.read_text()
    assert committed == export_schema.sdl(), "schema drifted: run `python -m gateway.export_schema`"


def test_export_check_mode_agrees() -> None:
    assert export_schema.main(["--check"]) == 0


def test_introspection_passes_the_limits(gql: Gql) -> None:
    body = gql(get_introspection_query(descriptions=True))
    assert not body.get("errors"), body.get("errors")
    assert body["data"]["__schema"]["queryType"]["name"] == "Query"


def test_every_mutation_returns_a_payload_with_user_errors() -> None:
    mutation = schema._schema.mutation_type
    assert mutation is not None
    for name, field in mutation.fields.items():
        payload = get_named_type(field.type)
        assert isinstance(payload, GraphQLObjectType), name
        assert str(payload.fields["errors"].type) == "[UserError!]!", name
