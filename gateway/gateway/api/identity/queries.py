"""Queries of the identity domain: the caller themself, and accounts for admins."""

from __future__ import annotations

import strawberry

from gateway import reads
from gateway.api.arguments import InstansiArg
from gateway.api.context import Info
from gateway.api.identity.types import Account, Me
from gateway.api.pagination import Connection
from gateway.api.permissions import IsAdmin, IsAuthenticated
from gateway.clients import call
from kinerja.identity.v1 import identity_pb2


@strawberry.type
class IdentityQuery:
    @strawberry.field(permission_classes=[IsAuthenticated], description="The caller's account and pegawai.")
    async def me(self, info: Info) -> Me:
        request = identity_pb2.GetCurrentAccountRequest()
        account = await call(
            info.context.clients.identity.GetCurrentAccount, request, info.context.own_caller()
        )
        return Me(account=Account.from_pb(account))

    @strawberry.field(permission_classes=[IsAdmin], description="Accounts of the instansi (admins).")
    async def accounts(
        self,
        info: Info,
        first: int = 20,
        after: str | None = None,
        query: str | None = None,
        instansi_id: InstansiArg = None,
    ) -> Connection[Account]:
        context = info.context
        caller = context.caller(instansi_id)

        async def fetch(
            page_size: int, page_token: str
        ) -> tuple[list[identity_pb2.Account], str, int | None]:
            request = identity_pb2.ListAccountsRequest(
                page_size=page_size, page_token=page_token, query=query or ""
            )
            response = await call(context.clients.identity.ListAccounts, request, caller)
            return list(response.accounts), response.next_page_token, None

        page = await reads.paginate(fetch, first, after, context.max_page_size)
        return Connection.from_page(page, Account.from_pb)

    @strawberry.field(permission_classes=[IsAdmin], description="One account of the instansi (admins).")
    async def account(self, info: Info, id: strawberry.ID, instansi_id: InstansiArg = None) -> Account | None:
        caller = info.context.caller(instansi_id)
        request = identity_pb2.GetAccountRequest(account_id=str(id))
        pb = await reads.or_none(call(info.context.clients.identity.GetAccount, request, caller))
        return Account.from_pb(pb) if pb is not None else None
