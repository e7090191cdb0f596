"""Rencana aksi and the matriks target bulanan of an SKP (its owner, draft or approved)."""

from __future__ import annotations

from typing import Annotated

import strawberry

from gateway.api.arguments import InstansiArg
from gateway.api.context import Info
from gateway.api.permissions import IsAuthenticated
from gateway.api.skp.mutations.skp import SkpPayload, skp_payload
from kinerja.skp.v1 import skp_pb2

RENAME = {"rencana_aksi": "input"}


@strawberry.input
class RencanaAksiInput:
    rhk_id: strawberry.ID
    periode_id: strawberry.ID
    teks: str
    target: str | None = strawberry.field(default=None, description="Decimal text with a dot.")
    satuan: str = ""

    def to_pb(self) -> skp_pb2.RencanaAksiInput:
        return skp_pb2.RencanaAksiInput(
            rhk_id=str(self.rhk_id),
            periode_id=str(self.periode_id),
            teks=self.teks,
            target=self.target or "",
            satuan=self.satuan,
        )


@strawberry.type
class RencanaAksiMutations:
    @strawberry.mutation(permission_classes=[IsAuthenticated])
    async def add_rencana_aksi(
        self, info: Info, skp_id: strawberry.ID, input: RencanaAksiInput, instansi_id: InstansiArg = None
    ) -> SkpPayload:
        request = skp_pb2.AddRencanaAksiRequest(skp_id=str(skp_id), rencana_aksi=input.to_pb())
        return await skp_payload(info, info.context.clients.skp.AddRencanaAksi, request, instansi_id, RENAME)

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
            skp_id=str(skp_id), rencana_aksi_id=str(rencana_aksi_id), rencana_aksi=input.to_pb()
        )
        return await skp_payload(
            info, info.context.clients.skp.UpdateRencanaAksi, request, instansi_id, RENAME
        )

    @strawberry.mutation(permission_classes=[IsAuthenticated])
    async def delete_rencana_aksi(
        self,
        info: Info,
        skp_id: strawberry.ID,
        rencana_aksi_id: strawberry.ID,
        instansi_id: InstansiArg = None,
    ) -> SkpPayload:
        request = skp_pb2.DeleteRencanaAksiRequest(skp_id=str(skp_id), rencana_aksi_id=str(rencana_aksi_id))
        return await skp_payload(info, info.context.clients.skp.DeleteRencanaAksi, request, instansi_id)

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
            skp_id=str(skp_id), indikator_id=str(indikator_id), target=[t or "" for t in target]
        )
        return await skp_payload(info, info.context.clients.skp.SetTargetBulanan, request, instansi_id)
