"""What the query asked for below a field, to load ahead only what will be read."""

from __future__ import annotations

from strawberry.types.nodes import SelectedField, Selection

from gateway.api.context import Info


def selects(info: Info, *path: str) -> bool:
    """Whether the query selects `path` (field names, fragments followed) below the current field."""
    # selected_fields holds the current field itself (once per node of it in the query).
    level: list[Selection] = [child for field in info.selected_fields for child in field.selections]
    for name in path:
        found = [field for field in _fields(level) if field.name == name]
        if not found:
            return False
        level = [child for field in found for child in field.selections]
    return True


def _fields(selections: list[Selection]) -> list[SelectedField]:
    fields: list[SelectedField] = []
    for selection in selections:
        if isinstance(selection, SelectedField):
            fields.append(selection)
        else:
            fields.extend(_fields(list(selection.selections)))
    return fields
