"""Mutations of the identity domain: login, tokens, passwords and roles."""

from __future__ import annotations

import strawberry

from gateway.api.arguments import InstansiArg
from gateway.api.context import Info
from gateway.api.errors import UserError, attempt
from gateway.api.identity.types import Account, Role, TokenPair
from gateway.api.permissions import IsAdmin, IsAuthenticated
from gateway.api.protobuf import payload
from gateway.clients import call
from kinerja.identity.v1 import identity_pb2


@strawberry.type
class LoginPayload:
    tokens: TokenPair | None = None
    account: Account | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)

    @classmethod
    def of(cls, pb: identity_pb2.LoginResponse | None, errors: list[UserError]) -> LoginPayload:
        if pb is None:
            return cls(errors=errors)
        return cls(tokens=TokenPair.from_pb(pb.tokens), account=Account.from_pb(pb.account), errors=errors)


@strawberry.type
class OkPayload:
    ok: bool = False
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class ChangePasswordPayload:
    ok: bool = False
    tokens: TokenPair | None = strawberry.field(
        default=None, description="A new session: the caller's other sessions, this one included, end."
    )
    account: Account | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class ResetPasswordPayload:
    temporary_password: str | None = strawberry.field(default=None, description="Set when none was given.")
    account: Account | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class AccountPayload:
    account: Account | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class IdentityMutation:
    @strawberry.mutation(description="Logs in by NIP (or NIK) and password.")
    async def login(self, info: Info, username: str, password: str) -> LoginPayload:
        request = identity_pb2.LoginRequest(username=username, password=password)
        pb, errors = await attempt(
            lambda: call(info.context.clients.identity.Login, request, info.context.anonymous_caller())
        )
        return LoginPayload.of(pb, errors)

    @strawberry.mutation(description="Exchanges a refresh token for new tokens.")
    async def refresh_token(self, info: Info, refresh_token: str) -> LoginPayload:
        request = identity_pb2.RefreshTokenRequest(refresh_token=refresh_token)
        pb, errors = await attempt(
            lambda: call(
                info.context.clients.identity.RefreshToken, request, info.context.anonymous_caller()
            ),
            {"refresh_token": "refreshToken"},
        )
        return LoginPayload.of(pb, errors)

    @strawberry.mutation(description="Ends the session of a refresh token.")
    async def logout(self, info: Info, refresh_token: str) -> OkPayload:
        request = identity_pb2.LogoutRequest(refresh_token=refresh_token)
        method = info.context.clients.identity.Logout
        return await payload(info, OkPayload, method, request, caller="own", result=lambda _: True)

    @strawberry.mutation(permission_classes=[IsAuthenticated])
    async def change_password(
        self, info: Info, old_password: str, new_password: str
    ) -> ChangePasswordPayload:
        request = identity_pb2.ChangePasswordRequest(old_password=old_password, new_password=new_password)
        pb, errors = await attempt(
            lambda: call(info.context.clients.identity.ChangePassword, request, info.context.own_caller())
        )
        if pb is None:
            return ChangePasswordPayload(errors=errors)
        return ChangePasswordPayload(
            ok=True, tokens=TokenPair.from_pb(pb.tokens), account=Account.from_pb(pb.account)
        )

    @strawberry.mutation(
        permission_classes=[IsAdmin], description="Admin reset; without a password a temporary one is made."
    )
    async def reset_password(
        self,
        info: Info,
        account_id: strawberry.ID,
        new_password: str | None = None,
        instansi_id: InstansiArg = None,
    ) -> ResetPasswordPayload:
        request = identity_pb2.ResetPasswordRequest(
            account_id=str(account_id), new_password=new_password or ""
        )
        pb, errors = await attempt(
            lambda: call(
                info.context.clients.identity.ResetPassword, request, info.context.caller(instansi_id)
            )
        )
        if pb is None:
            return ResetPasswordPayload(errors=errors)
        return ResetPasswordPayload(
            temporary_password=pb.temporary_password or None,
            account=Account.from_pb(pb.account) if pb.HasField("account") else None,
        )

    @strawberry.mutation(permission_classes=[IsAdmin])
    async def set_roles(
        self, info: Info, account_id: strawberry.ID, roles: list[Role], instansi_id: InstansiArg = None
    ) -> AccountPayload:
        request = identity_pb2.SetRolesRequest(account_id=account_id, roles=[r.value for r in roles])
        return await payload(
            info, AccountPayload, info.context.clients.identity.SetRoles, request, instansi_id
        )
