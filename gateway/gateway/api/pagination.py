"""Relay-style connection types (edges with cursors, pageInfo, totalCount)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

import strawberry

from gateway.reads import Page

NodeT = TypeVar("NodeT")
P = TypeVar("P")


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
    total_count: int | None = strawberry.field(description="Matches in all pages; null when not counted.")

    @classmethod
    def from_page(cls, page: Page[P], convert: Callable[[P], NodeT]) -> Connection[NodeT]:
        edges = [Edge(cursor=c, node=convert(item)) for item, c in zip(page.items, page.cursors, strict=True)]
        return cls(
            edges=edges,
            page_info=PageInfo(has_next_page=page.has_next_page, end_cursor=page.end_cursor),
            total_count=page.total_count,
        )
