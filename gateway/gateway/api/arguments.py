"""Arguments shared by many fields."""

from __future__ import annotations

from typing import Annotated, TypeAlias

import strawberry

InstansiArg: TypeAlias = Annotated[
    strawberry.ID | None,
    strawberry.argument(description="Required for admin BKN; others may only name their own instansi."),
]
