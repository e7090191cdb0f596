"""createUnor, updateUnor and deleteUnor: admins shape their instansi's unor tree."""

from __future__ import annotations

import strawberry

from gateway.api.arguments import InstansiArg
from gateway.api.context import Info
from gateway.api.errors import UserError
from gateway.api.org.types import JenisUnor, Unor
from gateway.api.permissions import IsAdmin
from gateway.api.protobuf import ClientMutationIdArg, Echoes, ToProto, payload
from kinerja.org.v1 import org_pb2

RENAME = {"unor": "input"}


@strawberry.input
class UnorInput(ToProto, message=org_pb2.UnorInput):
    nama: str
    jenis: JenisUnor
    eselon: str = ""
    parent_id: strawberry.ID | None = strawberry.field(
        default=None, description="Unor atasan; null for a root."
    )
    induk_id: strawberry.ID | None = None
    mandiri: bool = False
    kota: str = ""


@strawberry.type
class UnorPayload(Echoes):
    unor: Unor | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class DeleteUnorPayload:
    deleted_id: strawberry.ID | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class UnorMutations:
    @strawberry.mutation(permission_classes=[IsAdmin])
    async def create_unor(
        self,
        info: Info,
        input: UnorInput,
        instansi_id: InstansiArg = None,
        client_mutation_id: ClientMutationIdArg = None,
    ) -> UnorPayload:
        request = org_pb2.CreateUnorRequest(unor=input.to_pb())
        method = info.context.clients.org.CreateUnor
        return await payload(
            info,
            UnorPayload,
            method,
            request,
            instansi_id,
            rename=RENAME,
            client_mutation_id=client_mutation_id,
        )

    @strawberry.mutation(permission_classes=[IsAdmin])
    async def update_unor(
        self,
        info: Info,
        id: strawberry.ID,
        input: UnorInput,
        expected_version: int = 0,
        instansi_id: InstansiArg = None,
    ) -> UnorPayload:
        request = org_pb2.UpdateUnorRequest(id=id, unor=input.to_pb(), expected_version=expected_version)
        method = info.context.clients.org.UpdateUnor
        return await payload(info, UnorPayload, method, request, instansi_id, rename=RENAME)

    @strawberry.mutation(
        permission_classes=[IsAdmin], description="Refused while it holds pegawai or children."
    )
    async def delete_unor(
        self, info: Info, id: strawberry.ID, instansi_id: InstansiArg = None
    ) -> DeleteUnorPayload:
        request = org_pb2.DeleteUnorRequest(id=id)
        method = info.context.clients.org.DeleteUnor
        return await payload(info, DeleteUnorPayload, method, request, instansi_id, result=lambda _: id)
