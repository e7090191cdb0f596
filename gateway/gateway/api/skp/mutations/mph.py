"""Matriks peran hasil of an RHK: its columns and team (the owner of the RHK's SKP)."""

from __future__ import annotations

import strawberry

from gateway.api.arguments import InstansiArg
from gateway.api.context import Info
from gateway.api.errors import UserError
from gateway.api.permissions import IsAuthenticated
from gateway.api.protobuf import ClientMutationIdArg, Echoes, ToProto, payload
from gateway.api.skp.types import MatriksPeranHasil, PeranTim
from kinerja.skp.v1 import skp_pb2

RENAME = {"anggota": "input"}


@strawberry.input
class MphKolomInput(ToProto, message=skp_pb2.MphKolom):
    id: strawberry.ID | None = strawberry.field(
        default=None, description="An existing column's id; null: new."
    )
    nama: str = strawberry.field(description="Produk / layanan.")


@strawberry.input
class MphPeranInput(ToProto, message=skp_pb2.MphPeran):
    kolom_id: strawberry.ID
    peran: str | None = strawberry.field(default=None, description="Null or empty: no peran in this column.")


@strawberry.input
class MphAnggotaInput(ToProto, message=skp_pb2.MphAnggotaInput):
    nip: str
    peran_tim: PeranTim
    peran: list[MphPeranInput] = strawberry.field(description="At least one column with a peran.")


@strawberry.type
class MatriksPeranHasilPayload(Echoes):
    matriks_peran_hasil: MatriksPeranHasil | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class MphMutations:
    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        description="The whole list of columns: existing ones keep their id (and their peran).",
    )
    async def set_mph_kolom(
        self,
        info: Info,
        skp_id: strawberry.ID,
        rhk_id: strawberry.ID,
        kolom: list[MphKolomInput],
        instansi_id: InstansiArg = None,
        client_mutation_id: ClientMutationIdArg = None,
    ) -> MatriksPeranHasilPayload:
        request = skp_pb2.SetMphKolomRequest(skp_id=skp_id, rhk_id=rhk_id, kolom=[k.to_pb() for k in kolom])
        method = info.context.clients.skp.SetMphKolom
        return await payload(
            info,
            MatriksPeranHasilPayload,
            method,
            request,
            instansi_id,
            client_mutation_id=client_mutation_id,
        )

    @strawberry.mutation(permission_classes=[IsAuthenticated])
    async def add_mph_anggota(
        self,
        info: Info,
        skp_id: strawberry.ID,
        rhk_id: strawberry.ID,
        input: MphAnggotaInput,
        instansi_id: InstansiArg = None,
        client_mutation_id: ClientMutationIdArg = None,
    ) -> MatriksPeranHasilPayload:
        request = skp_pb2.AddMphAnggotaRequest(skp_id=skp_id, rhk_id=rhk_id, anggota=input.to_pb())
        method = info.context.clients.skp.AddMphAnggota
        return await payload(
            info,
            MatriksPeranHasilPayload,
            method,
            request,
            instansi_id,
            rename=RENAME,
            client_mutation_id=client_mutation_id,
        )

    @strawberry.mutation(permission_classes=[IsAuthenticated])
    async def update_mph_anggota(
        self,
        info: Info,
        skp_id: strawberry.ID,
        rhk_id: strawberry.ID,
        anggota_id: strawberry.ID,
        input: MphAnggotaInput,
        instansi_id: InstansiArg = None,
    ) -> MatriksPeranHasilPayload:
        request = skp_pb2.UpdateMphAnggotaRequest(
            skp_id=skp_id, rhk_id=rhk_id, anggota_id=anggota_id, anggota=input.to_pb()
        )
        method = info.context.clients.skp.UpdateMphAnggota
        return await payload(info, MatriksPeranHasilPayload, method, request, instansi_id, rename=RENAME)

    @strawberry.mutation(permission_classes=[IsAuthenticated])
    async def remove_mph_anggota(
        self,
        info: Info,
        skp_id: strawberry.ID,
        rhk_id: strawberry.ID,
        anggota_id: strawberry.ID,
        instansi_id: InstansiArg = None,
    ) -> MatriksPeranHasilPayload:
        request = skp_pb2.RemoveMphAnggotaRequest(skp_id=skp_id, rhk_id=rhk_id, anggota_id=anggota_id)
        method = info.context.clients.skp.RemoveMphAnggota
        return await payload(info, MatriksPeranHasilPayload, method, request, instansi_id)
