"""createPerjanjianKinerja and the sasaran strategis mutations: a JPT writes their perjanjian kinerja."""

from __future__ import annotations

import strawberry

from gateway.api.arguments import InstansiArg
from gateway.api.context import Info
from gateway.api.errors import UserError
from gateway.api.permissions import IsAuthenticated
from gateway.api.protobuf import ClientMutationIdArg, Echoes, ToProto, payload
from gateway.api.skp.types import PerjanjianKinerja
from kinerja.skp.v1 import skp_pb2

RENAME = {"sasaran": "input"}


@strawberry.input
class PkIndikatorInput(ToProto, message=skp_pb2.PkIndikator):
    teks: str
    target: str | None = strawberry.field(default=None, description="Decimal text with a dot, e.g. 4.29.")
    satuan: str = ""


@strawberry.input
class SasaranInput(ToProto, message=skp_pb2.SasaranInput):
    teks: str
    indikator: list[PkIndikatorInput] = strawberry.field(default_factory=list)


@strawberry.type
class PerjanjianKinerjaPayload(Echoes):
    perjanjian_kinerja: PerjanjianKinerja | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class PerjanjianMutations:
    @strawberry.mutation(permission_classes=[IsAuthenticated], description="The caller's own, as a JPT.")
    async def create_perjanjian_kinerja(
        self,
        info: Info,
        tahun: int,
        instansi_id: InstansiArg = None,
        client_mutation_id: ClientMutationIdArg = None,
    ) -> PerjanjianKinerjaPayload:
        request = skp_pb2.CreatePerjanjianKinerjaRequest(tahun=tahun)
        method = info.context.clients.skp.CreatePerjanjianKinerja
        return await payload(
            info,
            PerjanjianKinerjaPayload,
            method,
            request,
            instansi_id,
            rename=RENAME,
            client_mutation_id=client_mutation_id,
        )

    @strawberry.mutation(permission_classes=[IsAuthenticated])
    async def add_sasaran_strategis(
        self,
        info: Info,
        perjanjian_kinerja_id: strawberry.ID,
        input: SasaranInput,
        instansi_id: InstansiArg = None,
        client_mutation_id: ClientMutationIdArg = None,
    ) -> PerjanjianKinerjaPayload:
        request = skp_pb2.AddSasaranStrategisRequest(
            perjanjian_kinerja_id=perjanjian_kinerja_id, sasaran=input.to_pb()
        )
        method = info.context.clients.skp.AddSasaranStrategis
        return await payload(
            info,
            PerjanjianKinerjaPayload,
            method,
            request,
            instansi_id,
            rename=RENAME,
            client_mutation_id=client_mutation_id,
        )

    @strawberry.mutation(permission_classes=[IsAuthenticated])
    async def update_sasaran_strategis(
        self,
        info: Info,
        perjanjian_kinerja_id: strawberry.ID,
        sasaran_id: strawberry.ID,
        input: SasaranInput,
        instansi_id: InstansiArg = None,
    ) -> PerjanjianKinerjaPayload:
        request = skp_pb2.UpdateSasaranStrategisRequest(
            perjanjian_kinerja_id=perjanjian_kinerja_id, sasaran_id=sasaran_id, sasaran=input.to_pb()
        )
        method = info.context.clients.skp.UpdateSasaranStrategis
        return await payload(info, PerjanjianKinerjaPayload, method, request, instansi_id, rename=RENAME)

    @strawberry.mutation(permission_classes=[IsAuthenticated])
    async def delete_sasaran_strategis(
        self,
        info: Info,
        perjanjian_kinerja_id: strawberry.ID,
        sasaran_id: strawberry.ID,
        instansi_id: InstansiArg = None,
    ) -> PerjanjianKinerjaPayload:
        request = skp_pb2.DeleteSasaranStrategisRequest(
            perjanjian_kinerja_id=perjanjian_kinerja_id, sasaran_id=sasaran_id
        )
        method = info.context.clients.skp.DeleteSasaranStrategis
        return await payload(info, PerjanjianKinerjaPayload, method, request, instansi_id, rename=RENAME)
