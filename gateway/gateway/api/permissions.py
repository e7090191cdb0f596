"""Permission classes of the GraphQL fields, with the reason and Indonesian message they refuse with."""

from __future__ import annotations

from typing import Any

from strawberry.permission import BasePermission

from gateway.api.context import Info
from kinerja_kit.errors import PermissionDenied, Unauthenticated


def _authenticated(info: Info) -> bool:
    context = info.context
    if context.auth_error is not None:
        raise context.auth_error
    if context.principal is None:
        raise Unauthenticated()
    return True


class IsAuthenticated(BasePermission):
    """A valid Bearer token was sent."""

    message = "Silakan masuk terlebih dahulu."

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        return _authenticated(info)


class IsAdmin(BasePermission):
    """Admin instansi or admin BKN."""

    message = "Hanya admin yang dapat melakukan ini."

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        _authenticated(info)
        assert info.context.principal is not None
        if not info.context.principal.is_admin:
            raise PermissionDenied("ADMIN_ONLY", self.message)
        return True


class IsAdminBkn(BasePermission):
    """Admin BKN (national)."""

    message = "Hanya admin BKN yang dapat melakukan ini."

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        _authenticated(info)
        assert info.context.principal is not None
        if not info.context.principal.is_admin_bkn:
            raise PermissionDenied("ADMIN_BKN_ONLY", self.message)
        return True
