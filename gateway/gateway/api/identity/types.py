"""GraphQL types of the identity domain, built from the identity service's protobuf messages."""

from __future__ import annotations

import datetime
import enum

import strawberry

from gateway.api.context import Info
from gateway.api.org.types import Pegawai, enum_or_none, load_pegawai
from kinerja.identity.v1 import identity_pb2


@strawberry.enum(description="What an account may do.")
class Role(enum.Enum):
    PEGAWAI = identity_pb2.ROLE_PEGAWAI
    ADMIN_INSTANSI = identity_pb2.ROLE_ADMIN_INSTANSI
    ADMIN_BKN = identity_pb2.ROLE_ADMIN_BKN


@strawberry.type(description="A login account: NIP (or NIK for JPT non-ASN), roles and state.")
class Account:
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

    @classmethod
    def from_pb(cls, pb: identity_pb2.Account) -> Account:
        locked = pb.locked_until.ToDatetime(tzinfo=datetime.UTC) if pb.HasField("locked_until") else None
        roles = [r for r in (enum_or_none(Role, value) for value in pb.roles) if r is not None]
        return cls(
            id=strawberry.ID(pb.id),
            instansi_id=strawberry.ID(pb.instansi_id),
            username=pb.username,
            nama=pb.nama,
            pegawai_id=strawberry.ID(pb.pegawai_id) if pb.pegawai_id else None,
            roles=roles,
            active=pb.active,
            must_change_password=pb.must_change_password,
            has_password=pb.has_password,
            locked_until=locked,
            version=pb.version,
        )

    @strawberry.field(description="The pegawai this account belongs to.")
    async def pegawai(self, info: Info) -> Pegawai | None:
        return await load_pegawai(info, self.instansi_id, self.pegawai_id)


@strawberry.type(description="Tokens returned by login and refresh.")
class TokenPair:
    access_token: str
    token_type: str
    expires_in: int = strawberry.field(description="Seconds until the access token expires.")
    refresh_token: str
    refresh_expires_in: int

    @classmethod
    def from_pb(cls, pb: identity_pb2.TokenPair) -> TokenPair:
        return cls(
            access_token=pb.access_token,
            token_type=pb.token_type or "Bearer",
            expires_in=pb.expires_in,
            refresh_token=pb.refresh_token,
            refresh_expires_in=pb.refresh_expires_in,
        )


@strawberry.type(description="The caller: their account and, when they are a pegawai, their pegawai record.")
class Me:
    account: Account

    @strawberry.field
    async def pegawai(self, info: Info) -> Pegawai | None:
        return await load_pegawai(info, self.account.instansi_id, self.account.pegawai_id)
