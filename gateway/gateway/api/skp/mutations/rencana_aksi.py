"""Rencana aksi and the matriks target bulanan of an SKP (its owner, draft or approved)."""

from __future__ import annotations

from typing import Annotated

import strawberry

from gateway.api.arguments import InstansiArg
from gateway.api.context import Info
from gateway.api.permissions import IsAuthenticated
from gateway.api.protobuf import ClientMutationIdArg, ToProto, payload
from gateway.api.skp.mutations.skp import SkpPayload
from kinerja.skp.v1 import skp_pb2

RENAME = {"rencana_aksi": "input"}


@strawberry.input
class RencanaAksiInput(ToProto, message=skp_pb2.RencanaAksiInput):
    rhk_id: strawberry.ID
    periode_id: strawberry.ID
    teks: str
    target: str | None = strawberry.field(default=None, description="Decimal text with a dot.")
    satuan: str = ""


@strawberry.type
class RencanaAksiMutations:
    @strawberry.mutation(permission_classes=[IsAuthenticated])
    async def add_rencana_aksi(
        self,
        info: Info,
        skp_id: strawberry.ID,
        input: RencanaAksiInput,
        instansi_id: InstansiArg = None,
        client_mutation_id: ClientMutationIdArg = None,
    ) -> SkpPayload:
        request = skp_pb2.AddRencanaAksiRequest(skp_id=skp_id, rencana_aksi=input.to_pb())
        method = info.context.clients.skp.AddRencanaAksi
        return await payload(
            info,
            SkpPayload,
            method,
            request,
            instansi_id,
            rename=RENAME,
            client_mutation_id=client_mutation_id,
        )

    @strawberry.mutation(permission_classes=[IsAuthenticated])
    async def update_rencana_aksi(
        self,
        info: Info,
        skp_id: strawberry.ID,
        rencana_aksi_id: strawberry.ID,
        input: RencanaAksiInput,
        instansi_id: InstansiArg = None,
    ) -> SkpPayload:
        request = skp_pb2.UpdateRencanaAksiRequest(
            skp_id=skp_id, rencana_aksi_id=rencana_aksi_id, rencana_aksi=input.to_pb()
        )
        method = info.context.clients.skp.UpdateRencanaAksi
        return await payload(info, SkpPayload, method, request, instansi_id, rename=RENAME)

    @strawberry.mutation(permission_classes=[IsAuthenticated])
    async def delete_rencana_aksi(
        self,
        info: Info,
        skp_id: strawberry.ID,
        rencana_aksi_id: strawberry.ID,
        instansi_id: InstansiArg = None,
    ) -> SkpPayload:
        request = skp_pb2.DeleteRencanaAksiRequest(skp_id=skp_id, rencana_aksi_id=rencana_aksi_id)
        method = info.context.clients.skp.DeleteRencanaAksi
        return await payload(info, SkpPayload, method, request, instansi_id)

    @strawberry.mutation(
        permission_classes=[IsAuthenticated], description="An indikator's 12 monthly targets."
    )
    async def set_target_bulanan(
        self,
        info: Info,
        skp_id: strawberry.ID,
        indikator_id: strawberry.ID,
        target: Annotated[
            list[str | None],
            strawberry.argument(description="12 entries, January first, decimal text; null: no target."),
        ],
        instansi_id: InstansiArg = None,
    ) -> SkpPayload:
        request = skp_pb2.SetTargetBulananRequest(
            skp_id=skp_id, indikator_id=indikator_id, target=[t or "" for t in target]
        )
        method = info.context.clients.skp.SetTargetBulanan
        return await payload(info, SkpPayload, method, request, instansi_id)
