"""createPeriode, createPeriodeSet, updatePeriode and deletePeriode: admins set the assessment periode."""

from __future__ import annotations

from typing import Annotated

import strawberry

from gateway.api.arguments import InstansiArg
from gateway.api.context import Info
from gateway.api.errors import UserError
from gateway.api.permissions import IsAdmin
from gateway.api.protobuf import ClientMutationIdArg, Echoes, ToProto, payload
from gateway.api.skp.types import JenisPeriode, Periode, PolaPeriode
from kinerja.skp.v1 import skp_pb2

RENAME = {"periode": "input"}


@strawberry.input
class PeriodeInput(ToProto, message=skp_pb2.PeriodeInput):
    nama: str
    mulai: str = strawberry.field(description='First day in the year, mm-dd (e.g. "01-01").')
    selesai: str = strawberry.field(description="Last day in the year, mm-dd.")
    batas_pengisian: str = strawberry.field(description="Deadline for filling in, mm-dd.")
    jenis: JenisPeriode


@strawberry.type
class PeriodePayload(Echoes):
    periode: Periode | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class PeriodeListPayload(Echoes):
    periode: list[Periode] | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class DeletePeriodePayload:
    deleted_id: strawberry.ID | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class PeriodeMutations:
    @strawberry.mutation(permission_classes=[IsAdmin])
    async def create_periode(
        self,
        info: Info,
        input: PeriodeInput,
        instansi_id: InstansiArg = None,
        client_mutation_id: ClientMutationIdArg = None,
    ) -> PeriodePayload:
        request = skp_pb2.CreatePeriodeRequest(periode=input.to_pb())
        method = info.context.clients.skp.CreatePeriode
        return await payload(
            info,
            PeriodePayload,
            method,
            request,
            instansi_id,
            rename=RENAME,
            client_mutation_id=client_mutation_id,
        )

    @strawberry.mutation(
        permission_classes=[IsAdmin],
        description="Creates a whole year's periode (months or quarters + final).",
    )
    async def create_periode_set(
        self,
        info: Info,
        pola: PolaPeriode,
        batas_hari: Annotated[
            int | None,
            strawberry.argument(description="Days after each periode ends for filling in (default 10)."),
        ] = None,
        instansi_id: InstansiArg = None,
        client_mutation_id: ClientMutationIdArg = None,
    ) -> PeriodeListPayload:
        request = skp_pb2.CreatePeriodeSetRequest(pola=pola.value, batas_hari=batas_hari or 0)
        method = info.context.clients.skp.CreatePeriodeSet
        return await payload(
            info,
            PeriodeListPayload,
            method,
            request,
            instansi_id,
            result=lambda pb: [Periode.from_pb(p) for p in pb.periode],
            client_mutation_id=client_mutation_id,
        )

    @strawberry.mutation(permission_classes=[IsAdmin])
    async def update_periode(
        self,
        info: Info,
        id: strawberry.ID,
        input: PeriodeInput,
        expected_version: int = 0,
        instansi_id: InstansiArg = None,
    ) -> PeriodePayload:
        request = skp_pb2.UpdatePeriodeRequest(
            id=id, periode=input.to_pb(), expected_version=expected_version
        )
        method = info.context.clients.skp.UpdatePeriode
        return await payload(info, PeriodePayload, method, request, instansi_id, rename=RENAME)

    @strawberry.mutation(permission_classes=[IsAdmin])
    async def delete_periode(
        self, info: Info, id: strawberry.ID, instansi_id: InstansiArg = None
    ) -> DeletePeriodePayload:
        request = skp_pb2.DeletePeriodeRequest(id=id)
        method = info.context.clients.skp.DeletePeriode
        return await payload(info, DeletePeriodePayload, method, request, instansi_id, result=lambda _: id)
