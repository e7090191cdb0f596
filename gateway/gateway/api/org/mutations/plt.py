"""createPlt, updatePlt and deletePlt: admins assign acting heads (PLT/PLH)."""

from __future__ import annotations

import datetime

import strawberry

from gateway.api.arguments import InstansiArg
from gateway.api.context import Info
from gateway.api.errors import UserError
from gateway.api.org.types import JenisPlt, Plt
from gateway.api.permissions import IsAdmin
from gateway.api.protobuf import ClientMutationIdArg, Echoes, ToProto, payload
from kinerja.org.v1 import org_pb2

RENAME = {"plt": "input"}


@strawberry.input
class PltInput(ToProto, message=org_pb2.PltInput):
    pegawai_id: strawberry.ID
    unor_id: strawberry.ID
    jabatan: str
    jenis: JenisPlt
    tanggal_mulai: datetime.date
    tanggal_selesai: datetime.date
    aktif: bool = True


@strawberry.type
class PltPayload(Echoes):
    plt: Plt | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class DeletePltPayload:
    deleted_id: strawberry.ID | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class PltMutations:
    @strawberry.mutation(permission_classes=[IsAdmin])
    async def create_plt(
        self,
        info: Info,
        input: PltInput,
        instansi_id: InstansiArg = None,
        client_mutation_id: ClientMutationIdArg = None,
    ) -> PltPayload:
        request = org_pb2.CreatePltRequest(plt=input.to_pb())
        method = info.context.clients.org.CreatePlt
        return await payload(
            info,
            PltPayload,
            method,
            request,
            instansi_id,
            rename=RENAME,
            client_mutation_id=client_mutation_id,
        )

    @strawberry.mutation(permission_classes=[IsAdmin])
    async def update_plt(
        self,
        info: Info,
        id: strawberry.ID,
        input: PltInput,
        expected_version: int = 0,
        instansi_id: InstansiArg = None,
    ) -> PltPayload:
        request = org_pb2.UpdatePltRequest(id=id, plt=input.to_pb(), expected_version=expected_version)
        method = info.context.clients.org.UpdatePlt
        return await payload(info, PltPayload, method, request, instansi_id, rename=RENAME)

    @strawberry.mutation(permission_classes=[IsAdmin])
    async def delete_plt(
        self, info: Info, id: strawberry.ID, instansi_id: InstansiArg = None
    ) -> DeletePltPayload:
        request = org_pb2.DeletePltRequest(id=id)
        method = info.context.clients.org.DeletePlt
        return await payload(info, DeletePltPayload, method, request, instansi_id, result=lambda _: id)
