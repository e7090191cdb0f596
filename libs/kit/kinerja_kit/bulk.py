"""Bulk writes in one statement: the rows as one JSON document for `INSERT ... SELECT FROM
jsonb_to_recordset(cast(:rows as jsonb)) as r(...)`.

For thousands of rows this sends one short statement and one parameter (encoded by the json module in C)
instead of what an executemany builds: SQLAlchemy's insertmanyvalues statements of tens of thousands of
placeholders, which psycopg parses again per batch, or arrays dumped element by element. COPY is not an
option: PostgreSQL refuses COPY FROM into a table with row-level security."""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any


def _json(value: object) -> object:
    if isinstance(value, uuid.UUID | date):
        return str(value)  # a datetime is a date too: its isoformat with the zone
    raise TypeError(f"not JSON: {type(value).__name__}")


def recordset_json(rows: Sequence[Mapping[str, Any]]) -> str:
    """The JSON document of `rows` (UUIDs and dates as text) for a `jsonb_to_recordset` parameter."""
    return json.dumps(list(rows), default=_json, ensure_ascii=False)
