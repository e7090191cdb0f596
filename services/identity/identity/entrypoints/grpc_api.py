"""The IdentityService servicer: translates proto messages to handler calls and back, nothing else."""

from __future__ import annotations

from collections.abc import Callable

import grpc

from identity.service_layer import accounts, auth, passwords
from identity.service_layer.deps import Deps
from identity.service_layer.messages import account_message, roles_from_proto
from kinerja.identity.v1 import identity_pb2, identity_pb2_grpc
from kinerja_kit.runtime import full_method_names

SERVICE_NAME = identity_pb2.DESCRIPTOR.services_by_name["IdentityService"].full_name
PUBLIC_METHODS = full_method_names(SERVICE_NAME, ["Login", "RefreshToken", "Logout", "GetPublicKeys"])
# What a caller whose account must change its password (token claim pwd_change) may still call,
# besides the public methods: every other RPC of every service answers PASSWORD_CHANGE_REQUIRED.
PASSWORD_CHANGE_METHODS = full_method_names(SERVICE_NAME, ["ChangePassword", "GetCurrentAccount"])


def _token_pair(tokens: auth.TokenPair) -> identity_pb2.TokenPair:
    return identity_pb2.TokenPair(
        access_token=tokens.access_token,
        token_type="Bearer",
        expires_in=tokens.expires_in,
        refresh_token=tokens.refresh_token,
        refresh_expires_in=tokens.refresh_expires_in,
    )


def _login_response(session: auth.Session) -> identity_pb2.LoginResponse:
    return identity_pb2.LoginResponse(
        tokens=_token_pair(session.tokens), account=account_message(session.account)
    )


class IdentityServicer(identity_pb2_grpc.IdentityServiceServicer):
    """gRPC face of the identity handlers (the caller interceptor has set the principal)."""

    def __init__(self, deps: Deps) -> None:
        self.deps = deps

    def Login(
        self, request: identity_pb2.LoginRequest, context: grpc.ServicerContext
    ) -> identity_pb2.LoginResponse:
        return _login_response(auth.login(self.deps, request.username, request.password))

    def RefreshToken(
        self, request: identity_pb2.RefreshTokenRequest, context: grpc.ServicerContext
    ) -> identity_pb2.LoginResponse:
        return _login_response(auth.refresh(self.deps, request.refresh_token))

    def Logout(
        self, request: identity_pb2.LogoutRequest, context: grpc.ServicerContext
    ) -> identity_pb2.LogoutResponse:
        auth.logout(self.deps, request.refresh_token)
        return identity_pb2.LogoutResponse()

    def GetPublicKeys(
        self, request: identity_pb2.GetPublicKeysRequest, context: grpc.ServicerContext
    ) -> identity_pb2.GetPublicKeysResponse:
        keys = auth.public_keys(self.deps)
        return identity_pb2.GetPublicKeysResponse(
            jwks_json=keys.jwks_json, issuer=keys.issuer, audience=keys.audience
        )

    def GetCurrentAccount(
        self, request: identity_pb2.GetCurrentAccountRequest, context: grpc.ServicerContext
    ) -> identity_pb2.Account:
        return account_message(accounts.get_current_account(self.deps))

    def ChangePassword(
        self, request: identity_pb2.ChangePasswordRequest, context: grpc.ServicerContext
    ) -> identity_pb2.ChangePasswordResponse:
        session = passwords.change_password(self.deps, request.old_password, request.new_password)
        return identity_pb2.ChangePasswordResponse(
            tokens=_token_pair(session.tokens), account=account_message(session.account)
        )

    def ResetPassword(
        self, request: identity_pb2.ResetPasswordRequest, context: grpc.ServicerContext
    ) -> identity_pb2.ResetPasswordResponse:
        result = passwords.reset_password(self.deps, request.account_id, request.new_password)
        return identity_pb2.ResetPasswordResponse(
            temporary_password=result.temporary_password, account=account_message(result.account)
        )

    def SetRoles(
        self, request: identity_pb2.SetRolesRequest, context: grpc.ServicerContext
    ) -> identity_pb2.Account:
        account = accounts.set_roles(self.deps, request.account_id, roles_from_proto(request.roles))
        return account_message(account)

    def GetAccount(
        self, request: identity_pb2.GetAccountRequest, context: grpc.ServicerContext
    ) -> identity_pb2.Account:
        return account_message(accounts.get_account(self.deps, request.account_id))

    def GetAccountByUsername(
        self, request: identity_pb2.GetAccountByUsernameRequest, context: grpc.ServicerContext
    ) -> identity_pb2.Account:
        return account_message(accounts.get_account_by_username(self.deps, request.username))

    def ListAccounts(
        self, request: identity_pb2.ListAccountsRequest, context: grpc.ServicerContext
    ) -> identity_pb2.ListAccountsResponse:
        page = accounts.list_accounts(self.deps, request.page_size, request.page_token, request.query)
        return identity_pb2.ListAccountsResponse(
            accounts=[account_message(a) for a in page.accounts], next_page_token=page.next_page_token
        )

    def BatchGetAccounts(
        self, request: identity_pb2.BatchGetAccountsRequest, context: grpc.ServicerContext
    ) -> identity_pb2.BatchGetAccountsResponse:
        found = accounts.batch_get_accounts(self.deps, request.usernames)
        return identity_pb2.BatchGetAccountsResponse(accounts=[account_message(a) for a in found])


def register(servicer: IdentityServicer) -> Callable[[grpc.Server], None]:
    """The register function create_server expects."""

    def add(server: grpc.Server) -> None:
        identity_pb2_grpc.add_IdentityServiceServicer_to_server(servicer, server)

    return add
