"""addKinerjaHarian, updateKinerjaHarian and deleteKinerjaHarian: the owner records daily work."""

from __future__ import annotations

import datetime

import strawberry

from gateway.api.arguments import InstansiArg
from gateway.api.context import Info
from gateway.api.errors import UserError
from gateway.api.permissions import IsAuthenticated
from gateway.api.protobuf import ClientMutationIdArg, Echoes, ToProto, payload
from gateway.api.skp.types import KinerjaHarian
from kinerja.skp.v1 import skp_pb2

RENAME = {"kinerja_harian": "input"}


@strawberry.input
class KinerjaHarianInput(ToProto, message=skp_pb2.KinerjaHarianInput):
    tanggal: datetime.date
    uraian: str
    indikator_id: strawberry.ID
    realisasi: str = strawberry.field(description="Decimal text with a dot.")


@strawberry.type
class KinerjaHarianPayload(Echoes):
    kinerja_harian: KinerjaHarian | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class DeleteKinerjaHarianPayload:
    deleted_id: strawberry.ID | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class KinerjaHarianMutations:
    @strawberry.mutation(permission_classes=[IsAuthenticated], description="On an approved SKP.")
    async def add_kinerja_harian(
        self,
        info: Info,
        skp_id: strawberry.ID,
        input: KinerjaHarianInput,
        instansi_id: InstansiArg = None,
        client_mutation_id: ClientMutationIdArg = None,
    ) -> KinerjaHarianPayload:
        request = skp_pb2.AddKinerjaHarianRequest(skp_id=skp_id, kinerja_harian=input.to_pb())
        method = info.context.clients.skp.AddKinerjaHarian
        return await payload(
            info,
            KinerjaHarianPayload,
            method,
            request,
            instansi_id,
            rename=RENAME,
            client_mutation_id=client_mutation_id,
        )

    @strawberry.mutation(permission_classes=[IsAuthenticated])
    async def update_kinerja_harian(
        self,
        info: Info,
        id: strawberry.ID,
        input: KinerjaHarianInput,
        expected_version: int = 0,
        instansi_id: InstansiArg = None,
    ) -> KinerjaHarianPayload:
        request = skp_pb2.UpdateKinerjaHarianRequest(
            id=id, kinerja_harian=input.to_pb(), expected_version=expected_version
        )
        method = info.context.clients.skp.UpdateKinerjaHarian
        return await payload(info, KinerjaHarianPayload, method, request, instansi_id, rename=RENAME)

    @strawberry.mutation(permission_classes=[IsAuthenticated])
    async def delete_kinerja_harian(
        self, info: Info, id: strawberry.ID, instansi_id: InstansiArg = None
    ) -> DeleteKinerjaHarianPayload:
        request = skp_pb2.DeleteKinerjaHarianRequest(id=id)
        method = info.context.clients.skp.DeleteKinerjaHarian
        return await payload(
            info, DeleteKinerjaHarianPayload, method, request, instansi_id, result=lambda _: id
        )
