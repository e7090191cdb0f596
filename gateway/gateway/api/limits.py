"""How much one GraphQL request may ask for: depth, aliases and cost, the operation to run, and
introspection for anonymous callers in production.

- Depth and aliases are a validation rule over the document (cached with the validation). Fragments are
  measured once each, so a spread of a missing fragment is left to graphql-core's "Unknown fragment"
  error and a chain of fragments each spread twice costs its length, not two to its power.
- Cost (`query_cost`): every selected field costs 1 for each object it is selected on; the list of a
  page asked for with `first` (its `edges`) holds `first` objects (the variable's or the argument's
  value, at most the page-size limit). Any other list counts as one object: its length is bounded by
  the domain (an SKP's RHK, a pegawai's bawahan), not by the client. Introspection fields are
  free (served from memory). A request above the budget is refused with QUERY_TOO_COSTLY before any
  resolver runs; the cost needs the variables, so it is checked per request, after validation.
- A document with several operations must name the one to run (the GraphQL spec's rule).
- Heavy requests (cost at least `heavy_cost`) take turns: at most `heavy_lanes` of them execute at once
  in a worker, the others wait (without using the CPU) until one ends. Light requests never wait, so a
  worker's event loop has at most that many heavy executions' work queued ahead of them.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    NoSchemaIntrospectionCustomRule,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationContext,
    ValidationRule,
    VariableNode,
    get_named_type,
)
from graphql.language import DocumentNode
from strawberry.extensions import SchemaExtension

QUERY_TOO_DEEP = "QUERY_TOO_DEEP"
TOO_MANY_ALIASES = "TOO_MANY_ALIASES"
QUERY_TOO_COSTLY = "QUERY_TOO_COSTLY"
OPERATION_NAME_REQUIRED = "OPERATION_NAME_REQUIRED"

# `first` when a field does not say and the schema gives no default.
DEFAULT_FIRST = 20


@dataclass
class _Shape:
    """Depth and aliases of each fragment, measured once per document."""

    fragments: Mapping[str, FragmentDefinitionNode]
    depths: dict[str, int] = field(default_factory=dict)
    aliases: dict[str, int] = field(default_factory=dict)
    busy: set[str] = field(default_factory=set)

    def depth(self, selection_set: SelectionSetNode | None) -> int:
        deepest = 0
        for selection in selection_set.selections if selection_set else ():
            if isinstance(selection, FieldNode):
                if selection.name.value.startswith("__") or selection.selection_set is None:
                    continue  # introspection is served from memory; a leaf adds no level
                deepest = max(deepest, 1 + self.depth(selection.selection_set))
            elif isinstance(selection, InlineFragmentNode):
                deepest = max(deepest, self.depth(selection.selection_set))
            elif isinstance(selection, FragmentSpreadNode):
                deepest = max(deepest, self._fragment(selection.name.value, self.depths, self.depth))
        return deepest

    def alias_count(self, selection_set: SelectionSetNode | None) -> int:
        count = 0
        for selection in selection_set.selections if selection_set else ():
            if isinstance(selection, FieldNode):
                count += (selection.alias is not None) + self.alias_count(selection.selection_set)
            elif isinstance(selection, InlineFragmentNode):
                count += self.alias_count(selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode):
                count += self._fragment(selection.name.value, self.aliases, self.alias_count)
        return count

    def _fragment(self, name: str, memo: dict[str, int], measure: Any) -> int:
        # An unknown fragment or a cycle counts 0 here; graphql-core's own rules report both.
        if name in memo:
            return memo[name]
        fragment = self.fragments.get(name)
        if fragment is None or name in self.busy:
            return 0
        self.busy.add(name)
        try:
            memo[name] = measure(fragment.selection_set)
        finally:
            self.busy.discard(name)
        return memo[name]


def _fragments(document: DocumentNode) -> dict[str, FragmentDefinitionNode]:
    return {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}


def _operations(document: DocumentNode) -> list[OperationDefinitionNode]:
    return [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]


def shape_rule(max_depth: int, max_aliases: int) -> type[ValidationRule]:
    """The validation rule refusing operations deeper than `max_depth` (levels of fields below a root
    field) or documents with more than `max_aliases` aliases; messages as strawberry's limiters had."""

    class ShapeRule(ValidationRule):
        def __init__(self, context: ValidationContext) -> None:
            super().__init__(context)
            document = context.document
            shape = _Shape(_fragments(document))
            aliases = 0
            for operation in _operations(document):
                name = operation.name.value if operation.name else "anonymous"
                if shape.depth(operation.selection_set) > max_depth:
                    context.report_error(
                        GraphQLError(
                            f"'{name}' exceeds maximum operation depth of {max_depth}",
                            operation,
                            extensions={"code": QUERY_TOO_DEEP},
                        )
                    )
                aliases += shape.alias_count(operation.selection_set)
            if aliases > max_aliases:
                context.report_error(
                    GraphQLError(
                        f"{aliases} aliases found. Allowed: {max_aliases}",
                        extensions={"code": TOO_MANY_ALIASES},
                    )
                )

    return ShapeRule


# ---- cost ----


@dataclass
class _Cost:
    schema: GraphQLSchema
    fragments: Mapping[str, FragmentDefinitionNode]
    variables: Mapping[str, Any]
    defaults: Mapping[str, Any]
    max_page_size: int
    memo: dict[tuple[str, int], int] = field(default_factory=dict)
    busy: set[str] = field(default_factory=set)

    def of(self, selection_set: SelectionSetNode | None, parent: GraphQLObjectType, page: int = 0) -> int:
        """The cost of `selection_set` selected on one object of type `parent` (cost is linear in the
        number of objects, so a fragment is measured once on one object). `page`: `parent` is a page
        asked for with `first: page`, whose list (`edges`) holds that many objects."""
        total = 0
        for selection in selection_set.selections if selection_set else ():
            if isinstance(selection, FieldNode):
                name = selection.name.value
                if name.startswith("__"):
                    continue
                definition = parent.fields.get(name)
                if definition is None:
                    continue
                total += 1
                child = get_named_type(definition.type)
                if selection.selection_set is not None and isinstance(child, GraphQLObjectType):
                    first = self._first(selection, definition)
                    if first:
                        total += self.of(selection.selection_set, child, first)
                    elif page and _is_list(definition.type):
                        total += page * self.of(selection.selection_set, child)
                    else:
                        total += self.of(selection.selection_set, child)
            elif isinstance(selection, InlineFragmentNode):
                total += self.of(selection.selection_set, self._condition(selection, parent), page)
            elif isinstance(selection, FragmentSpreadNode):
                total += self._fragment(selection.name.value, parent, page)
        return total

    def _condition(self, node: InlineFragmentNode | FragmentDefinitionNode, parent: GraphQLObjectType) -> Any:
        if node.type_condition is None:
            return parent
        named = self.schema.get_type(node.type_condition.name.value)
        return named if isinstance(named, GraphQLObjectType) else parent

    def _fragment(self, name: str, parent: GraphQLObjectType, page: int) -> int:
        key = (name, page)
        if key in self.memo:
            return self.memo[key]
        fragment = self.fragments.get(name)
        if fragment is None or name in self.busy:
            return 0
        self.busy.add(name)
        try:
            self.memo[key] = self.of(fragment.selection_set, self._condition(fragment, parent), page)
        finally:
            self.busy.discard(name)
        return self.memo[key]

    def _first(self, node: FieldNode, definition: Any) -> int:
        """The page size a field with a `first` argument asks for (0 for other fields)."""
        if "first" not in definition.args:
            return 0
        given = next((a.value for a in node.arguments or () if a.name.value == "first"), None)
        value: Any = definition.args["first"].default_value
        if isinstance(given, IntValueNode):
            value = int(given.value)
        elif isinstance(given, VariableNode):
            name = given.name.value
            value = self.variables.get(name, self.defaults.get(name, value))
        if not isinstance(value, int) or isinstance(value, bool):
            # Not a number: execution refuses it; counted at the most it could mean meanwhile.
            value = DEFAULT_FIRST if value is None else self.max_page_size
        return max(1, min(value, self.max_page_size))


def _is_list(kind: Any) -> bool:
    return isinstance(kind.of_type if isinstance(kind, GraphQLNonNull) else kind, GraphQLList)


def _variable_defaults(operation: OperationDefinitionNode) -> dict[str, Any]:
    defaults: dict[str, Any] = {}
    for definition in operation.variable_definitions or ():
        if isinstance(definition.default_value, IntValueNode):
            defaults[definition.variable.name.value] = int(definition.default_value.value)
    return defaults


def query_cost(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation: OperationDefinitionNode,
    variables: Mapping[str, Any] | None,
    max_page_size: int,
) -> int:
    """The cost of running `operation` with `variables` (see the module docstring)."""
    root = schema.get_root_type(operation.operation)
    if root is None:
        return 0
    cost = _Cost(schema, _fragments(document), variables or {}, _variable_defaults(operation), max_page_size)
    return cost.of(operation.selection_set, root)


def chosen_operation(document: DocumentNode, operation_name: str | None) -> OperationDefinitionNode | None:
    """The operation a request runs: the named one, or the only one (None when that is ambiguous)."""
    operations = _operations(document)
    if operation_name is not None:
        return next((o for o in operations if o.name and o.name.value == operation_name), None)
    return operations[0] if len(operations) == 1 else None


def too_costly(cost: int, budget: int) -> GraphQLError:
    return GraphQLError(
        f"Kueri terlalu berat: biayanya {cost}, batasnya {budget}. Kurangi jumlah per halaman (first), "
        "alias, atau field bertingkat, atau bagi menjadi beberapa permintaan.",
        extensions={"code": QUERY_TOO_COSTLY, "cost": cost, "budget": budget},
    )


class HeavyLanes:
    """The turns of heavy requests in one worker (one per app: created with the schema)."""

    def __init__(self, heavy_cost: int, lanes: int) -> None:
        self.heavy_cost = heavy_cost
        self.lanes = lanes
        self._semaphore: asyncio.Semaphore | None = None

    @property
    def semaphore(self) -> asyncio.Semaphore:
        # Made on first use, inside the worker's running event loop.
        if self._semaphore is None:
            self._semaphore = asyncio.Semaphore(self.lanes)
        return self._semaphore


class RequestGuard(SchemaExtension):
    """Per request, after validation: the operation to run is named when the document has several, and
    its cost is within the budget; a heavy one waits for its turn. In production, anonymous callers
    may not introspect the schema."""

    def __init__(self, *, budget: int, max_page_size: int, production: bool, lanes: HeavyLanes) -> None:
        super().__init__()
        self.budget = budget
        self.max_page_size = max_page_size
        self.production = production
        self.lanes = lanes
        self.cost = 0

    def on_operation(self) -> Iterator[None]:
        context = self.execution_context
        if self.production and getattr(context.context, "principal", None) is None:
            context.validation_rules = (*context.validation_rules, NoSchemaIntrospectionCustomRule)
        yield

    def on_validate(self) -> Iterator[None]:
        # Runs after the validation cache has set the document's errors (this extension comes later).
        context = self.execution_context
        document = context.graphql_document
        if document is not None and not context.pre_execution_errors:
            error = self.check(context.schema._schema, document, context.variables)
            if error is not None:
                context.pre_execution_errors = [error]
        yield

    def check(
        self, schema: GraphQLSchema, document: DocumentNode, variables: dict[str, Any] | None
    ) -> GraphQLError | None:
        provided = self.execution_context._provided_operation_name
        operation = chosen_operation(document, provided)
        if operation is None:
            if provided is None:
                return GraphQLError(
                    "Must provide operation name if query contains multiple operations.",
                    extensions={"code": OPERATION_NAME_REQUIRED},
                )
            return None  # an unknown name was refused before validation
        self.cost = cost = query_cost(schema, document, operation, variables, self.max_page_size)
        return too_costly(cost, self.budget) if cost > self.budget else None

    async def on_execute(self) -> AsyncIterator[None]:
        if self.cost < self.lanes.heavy_cost:
            yield
            return
        async with self.lanes.semaphore:
            yield
