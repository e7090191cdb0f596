"""The schema: queries and mutations of every domain, with limits and caches."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import strawberry
from graphql import ASTValidationRule, GraphQLError
from strawberry.extensions import (
    AddValidationRules,
    MaxTokensLimiter,
    ParserCache,
    SchemaExtension,
    ValidationCache,
)
from strawberry.types import ExecutionContext

from gateway.api import protobuf
from gateway.api.angka_kredit.mutations import AngkaKreditMutation
from gateway.api.angka_kredit.queries import AngkaKreditQuery
from gateway.api.assessment.mutations import AssessmentMutation
from gateway.api.assessment.queries import AssessmentQuery
from gateway.api.identity.mutations import IdentityMutation
from gateway.api.identity.queries import IdentityQuery
from gateway.api.inputs import guard_root_fields
from gateway.api.limits import HeavyLanes, RequestGuard, shape_rule
from gateway.api.org.mutations import OrgMutation
from gateway.api.org.queries import OrgQuery
from gateway.api.skp.mutations import SkpMutation
from gateway.api.skp.queries import SkpQuery


@strawberry.type
class Query(IdentityQuery, OrgQuery, SkpQuery, AssessmentQuery, AngkaKreditQuery):
    """Every query."""


@strawberry.type
class Mutation(IdentityMutation, OrgMutation, SkpMutation, AssessmentMutation, AngkaKreditMutation):
    """Every mutation."""


@dataclass(frozen=True)
class Limits:
    """How large a query may be."""

    max_depth: int = 10
    max_aliases: int = 15
    max_tokens: int = 2000
    max_cost: int = 5000
    # Requests costing at least this take turns, `heavy_lanes` at a time per worker.
    heavy_cost: int = 2500
    heavy_lanes: int = 1
    max_page_size: int = 100
    cache_size: int = 256
    # Production: no introspection for callers without a valid token.
    production: bool = False


class GatewaySchema(strawberry.Schema):
    """Errors are logged by the router's error policy (with their trace id), not by strawberry's logger."""

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        return None


def _extensions(limits: Limits) -> list[Callable[[], SchemaExtension]]:
    # Depth and aliases are a validation rule; its class is built once here so that the validation
    # cache (keyed by the rules) hits across requests. The request guard (operation name, cost) comes
    # after the validation cache: it needs the document validated and the request's variables.
    rules: list[type[ASTValidationRule]] = [shape_rule(limits.max_depth, limits.max_aliases)]
    size = limits.cache_size
    lanes = HeavyLanes(limits.heavy_cost, limits.heavy_lanes)
    factories: list[Callable[[], Any]] = [
        lambda: MaxTokensLimiter(max_token_count=limits.max_tokens),
        lambda: AddValidationRules(rules),
        lambda: ParserCache(maxsize=size),
        lambda: ValidationCache(maxsize=size),
        lambda: RequestGuard(
            budget=limits.max_cost,
            max_page_size=limits.max_page_size,
            production=limits.production,
            lanes=lanes,
        ),
    ]
    return factories


def build_schema(limits: Limits | None = None) -> strawberry.Schema:
    """The gateway's schema with its extensions; the types read from protobuf get their builders."""
    guard_root_fields(Query, Mutation)
    built = GatewaySchema(query=Query, mutation=Mutation, extensions=_extensions(limits or Limits()))
    protobuf.prepare()
    return built


schema = build_schema()
