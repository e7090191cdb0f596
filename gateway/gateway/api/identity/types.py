"""GraphQL types of the identity domain, built from the identity service's protobuf messages."""

from __future__ import annotations

import datetime

import strawberry

from gateway.api.context import Info
from gateway.api.org.types import Pegawai, load_pegawai
from gateway.api.protobuf import FromProto, ProtoEnum
from kinerja.identity.v1 import identity_pb2


@strawberry.enum(description="What an account may do.")
class Role(ProtoEnum, proto=identity_pb2.Role): ...


@strawberry.type(description="A login account: NIP (or NIK for JPT non-ASN), roles and state.")
class Account(FromProto, message=identity_pb2.Account):
    id: strawberry.ID
    instansi_id: strawberry.ID
    username: str
    nama: str
    pegawai_id: strawberry.ID | None
    roles: list[Role]
    active: bool
    must_change_password: bool
    has_password: bool
    locked_until: datetime.datetime | None
    version: int

    @strawberry.field(description="The pegawai this account belongs to.")
    async def pegawai(self, info: Info) -> Pegawai | None:
        return await load_pegawai(info, self.instansi_id, self.pegawai_id)


@strawberry.type(description="Tokens returned by login and refresh.")
class TokenPair(
    FromProto, message=identity_pb2.TokenPair, by_hand={"token_type": lambda pb: pb.token_type or "Bearer"}
):
    access_token: str
    token_type: str
    expires_in: int = strawberry.field(description="Seconds until the access token expires.")
    refresh_token: str
    refresh_expires_in: int


@strawberry.type(description="The caller: their account and, when they are a pegawai, their pegawai record.")
class Me:
    account: Account

    @strawberry.field
    async def pegawai(self, info: Info) -> Pegawai | None:
        return await load_pegawai(info, self.account.instansi_id, self.account.pegawai_id)
