"""The typed per-request GraphQL context: principal, service clients and fresh DataLoaders."""

from __future__ import annotations

import uuid
from typing import TypeAlias

import strawberry
from strawberry.fastapi import BaseContext

from gateway.api.loaders import Loaders
from gateway.clients import ServiceClients
from gateway.settings import GatewaySettings
from gateway.tenancy import Caller, caller_for_record, scoped_caller
from kinerja_kit.context import Principal
from kinerja_kit.errors import Unauthenticated


class Context(BaseContext):
    """Everything a resolver may use; built once per request, never shared between requests."""

    def __init__(
        self,
        clients: ServiceClients,
        settings: GatewaySettings,
        principal: Principal | None,
        request_id: str,
        auth_error: Unauthenticated | None = None,
    ) -> None:
        super().__init__()
        self.clients = clients
        self.settings = settings
        self.principal = principal
        self.request_id = request_id
        self.auth_error = auth_error
        self._loaders: dict[uuid.UUID | None, Loaders] = {}

    @property
    def max_page_size(self) -> int:
        return self.settings.max_page_size

    def anonymous_caller(self) -> Caller:
        """Calls without a token (login, refresh)."""
        return Caller.of(None, self.request_id)

    def own_caller(self) -> Caller:
        """Calls as the caller themself, on no named instansi (login, own account, instansi list)."""
        return Caller.of(self.principal, self.request_id)

    def caller(self, instansi_id: str | None) -> Caller:
        """Calls on tenant data: admin BKN must name the instansi, others may only name their own."""
        return scoped_caller(self.principal, self.request_id, instansi_id)

    def loaders(self, caller: Caller) -> Loaders:
        """The request's loaders for this caller's instansi (created on first use)."""
        key = caller.principal.acting_instansi_id if caller.principal is not None else None
        loaders = self._loaders.get(key)
        if loaders is None:
            loaders = self._loaders[key] = Loaders(self.clients, caller)
        return loaders

    def record_loaders(self, instansi_id: str) -> Loaders:
        """Loaders for what a record of `instansi_id` refers to (its unor, atasan, ...)."""
        if self.principal is not None and self.principal.is_admin_bkn:
            return self.loaders(caller_for_record(self.principal, self.request_id, instansi_id))
        return self.loaders(self.own_caller())


Info: TypeAlias = strawberry.Info[Context, None]
