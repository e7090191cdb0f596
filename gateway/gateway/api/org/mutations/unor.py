"""createUnor, updateUnor and deleteUnor: admins shape their instansi's unor tree."""

from __future__ import annotations

import strawberry

from gateway.api.arguments import InstansiArg
from gateway.api.context import Info
from gateway.api.errors import UserError, attempt
from gateway.api.org.types import JenisUnor, Unor
from gateway.api.permissions import IsAdmin
from gateway.clients import call
from kinerja.org.v1 import org_pb2

RENAME = {"unor": "input"}


@strawberry.input
class UnorInput:
    nama: str
    jenis: JenisUnor
    eselon: str = ""
    parent_id: strawberry.ID | None = strawberry.field(
        default=None, description="Unor atasan; null for a root."
    )
    induk_id: strawberry.ID | None = None
    mandiri: bool = False
    kota: str = ""

    def to_pb(self) -> org_pb2.UnorInput:
        return org_pb2.UnorInput(
            nama=self.nama,
            jenis=self.jenis.value,
            eselon=self.eselon,
            parent_id=str(self.parent_id or ""),
            induk_id=str(self.induk_id or ""),
            mandiri=self.mandiri,
            kota=self.kota,
        )


@strawberry.type
class UnorPayload:
    unor: Unor | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class DeleteUnorPayload:
    deleted_id: strawberry.ID | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class UnorMutations:
    @strawberry.mutation(permission_classes=[IsAdmin])
    async def create_unor(self, info: Info, input: UnorInput, instansi_id: InstansiArg = None) -> UnorPayload:
        request = org_pb2.CreateUnorRequest(unor=input.to_pb())
        pb, errors = await attempt(
            lambda: call(info.context.clients.org.CreateUnor, request, info.context.caller(instansi_id)),
            RENAME,
        )
        return UnorPayload(unor=Unor.from_pb(pb) if pb else None, errors=errors)

    @strawberry.mutation(permission_classes=[IsAdmin])
    async def update_unor(
        self,
        info: Info,
        id: strawberry.ID,
        input: UnorInput,
        expected_version: int = 0,
        instansi_id: InstansiArg = None,
    ) -> UnorPayload:
        request = org_pb2.UpdateUnorRequest(id=str(id), unor=input.to_pb(), expected_version=expected_version)
        pb, errors = await attempt(
            lambda: call(info.context.clients.org.UpdateUnor, request, info.context.caller(instansi_id)),
            RENAME,
        )
        return UnorPayload(unor=Unor.from_pb(pb) if pb else None, errors=errors)

    @strawberry.mutation(
        permission_classes=[IsAdmin], description="Refused while it holds pegawai or children."
    )
    async def delete_unor(
        self, info: Info, id: strawberry.ID, instansi_id: InstansiArg = None
    ) -> DeleteUnorPayload:
        request = org_pb2.DeleteUnorRequest(id=str(id))
        done, errors = await attempt(
            lambda: call(info.context.clients.org.DeleteUnor, request, info.context.caller(instansi_id))
        )
        return DeleteUnorPayload(deleted_id=id if done is not None else None, errors=errors)
