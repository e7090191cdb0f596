"""Relay-style connection types (edges with cursors, pageInfo, totalCount, totalCountExact)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

import strawberry

from gateway.reads import Page

NodeT = TypeVar("NodeT")
P = TypeVar("P")

COUNT_LIMIT = 1000
"""Lists over a whole instansi count their matches up to this many (kinerja_kit.paging.COUNT_LIMIT)."""


@strawberry.type
class PageInfo:
    has_next_page: bool
    end_cursor: str | None


@strawberry.type
class Edge(Generic[NodeT]):
    cursor: str
    node: NodeT


@strawberry.type
class Connection(Generic[NodeT]):
    edges: list[Edge[NodeT]]
    page_info: PageInfo
    total_count: int | None = strawberry.field(
        description=(
            f"Matches in all pages; null when not counted. Lists over a whole instansi count up to "
            f"{COUNT_LIMIT:,} and stop there (totalCountExact is then false), so a page costs the same "
            "in any instansi."
        )
    )
    total_count_exact: bool = strawberry.field(
        default=True,
        description=f"False when the count stopped at {COUNT_LIMIT:,}: there are at least totalCount.",
    )

    @classmethod
    def from_page(cls, page: Page[P], convert: Callable[[P], NodeT]) -> Connection[NodeT]:
        edges = [Edge(cursor=c, node=convert(item)) for item, c in zip(page.items, page.cursors, strict=True)]
        return cls(
            edges=edges,
            page_info=PageInfo(has_next_page=page.has_next_page, end_cursor=page.end_cursor),
            total_count=page.total_count,
            total_count_exact=page.total_count_exact,
        )
