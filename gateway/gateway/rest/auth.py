"""POST /auth/login: username (NIP/NIK) and password to tokens, for portals that do not speak GraphQL."""

from __future__ import annotations

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

from gateway.clients import call
from gateway.state import gateway_state, request_id
from gateway.tenancy import Caller
from kinerja.identity.v1 import identity_pb2

router = APIRouter(prefix="/auth", tags=["auth"])


class LoginBody(BaseModel):
    username: str = Field(min_length=1, max_length=32, description="NIP (18 digits) or NIK (16 digits).")
    password: str = Field(min_length=1, max_length=256)


class TokensOut(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True)

    access_token: str
    token_type: str
    expires_in: int
    refresh_token: str
    refresh_expires_in: int


@router.post("/login", response_model=TokensOut, summary="Log in; returns an access and a refresh token")
async def login(body: LoginBody, request: Request) -> TokensOut:
    state = gateway_state(request)
    response = await call(
        state.clients.identity.Login,
        identity_pb2.LoginRequest(username=body.username, password=body.password),
        Caller.of(None, request_id(request)),
    )
    tokens = response.tokens
    return TokensOut(
        access_token=tokens.access_token,
        token_type=tokens.token_type or "Bearer",
        expires_in=tokens.expires_in,
        refresh_token=tokens.refresh_token,
        refresh_expires_in=tokens.refresh_expires_in,
    )
