"""Matriks peran hasil of an RHK: its columns and team (the owner of the RHK's SKP)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping

import strawberry
from google.protobuf.message import Message

from gateway.api.arguments import InstansiArg
from gateway.api.context import Info
from gateway.api.errors import UserError, attempt
from gateway.api.permissions import IsAuthenticated
from gateway.api.skp.types import MatriksPeranHasil, PeranTim
from gateway.clients import call
from kinerja.skp.v1 import skp_pb2

RENAME = {"anggota": "input"}


@strawberry.input
class MphKolomInput:
    id: strawberry.ID | None = strawberry.field(
        default=None, description="An existing column's id; null: new."
    )
    nama: str = strawberry.field(description="Produk / layanan.")

    def to_pb(self) -> skp_pb2.MphKolom:
        return skp_pb2.MphKolom(id=str(self.id or ""), nama=self.nama)


@strawberry.input
class MphPeranInput:
    kolom_id: strawberry.ID
    peran: str | None = strawberry.field(default=None, description="Null or empty: no peran in this column.")

    def to_pb(self) -> skp_pb2.MphPeran:
        return skp_pb2.MphPeran(kolom_id=str(self.kolom_id), peran=self.peran or "")


@strawberry.input
class MphAnggotaInput:
    nip: str
    peran_tim: PeranTim
    peran: list[MphPeranInput] = strawberry.field(description="At least one column with a peran.")

    def to_pb(self) -> skp_pb2.MphAnggotaInput:
        return skp_pb2.MphAnggotaInput(
            nip=self.nip, peran_tim=self.peran_tim.value, peran=[p.to_pb() for p in self.peran]
        )


@strawberry.type
class MatriksPeranHasilPayload:
    matriks_peran_hasil: MatriksPeranHasil | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


async def _matriks(
    info: Info,
    method: Callable[..., Awaitable[skp_pb2.MatriksPeranHasil]],
    request: Message,
    instansi_id: str | None,
    rename: Mapping[str, str] | None = None,
) -> MatriksPeranHasilPayload:
    pb, errors = await attempt(lambda: call(method, request, info.context.caller(instansi_id)), rename)
    return MatriksPeranHasilPayload(
        matriks_peran_hasil=MatriksPeranHasil.from_pb(pb) if pb is not None else None, errors=errors
    )


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
    ) -> MatriksPeranHasilPayload:
        request = skp_pb2.SetMphKolomRequest(
            skp_id=str(skp_id), rhk_id=str(rhk_id), kolom=[k.to_pb() for k in kolom]
        )
        return await _matriks(info, info.context.clients.skp.SetMphKolom, request, instansi_id)

    @strawberry.mutation(permission_classes=[IsAuthenticated])
    async def add_mph_anggota(
        self,
        info: Info,
        skp_id: strawberry.ID,
        rhk_id: strawberry.ID,
        input: MphAnggotaInput,
        instansi_id: InstansiArg = None,
    ) -> MatriksPeranHasilPayload:
        request = skp_pb2.AddMphAnggotaRequest(skp_id=str(skp_id), rhk_id=str(rhk_id), anggota=input.to_pb())
        return await _matriks(info, info.context.clients.skp.AddMphAnggota, request, instansi_id, RENAME)

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
            skp_id=str(skp_id), rhk_id=str(rhk_id), anggota_id=str(anggota_id), anggota=input.to_pb()
        )
        return await _matriks(info, info.context.clients.skp.UpdateMphAnggota, request, instansi_id, RENAME)

    @strawberry.mutation(permission_classes=[IsAuthenticated])
    async def remove_mph_anggota(
        self,
        info: Info,
        skp_id: strawberry.ID,
        rhk_id: strawberry.ID,
        anggota_id: strawberry.ID,
        instansi_id: InstansiArg = None,
    ) -> MatriksPeranHasilPayload:
        request = skp_pb2.RemoveMphAnggotaRequest(
            skp_id=str(skp_id), rhk_id=str(rhk_id), anggota_id=str(anggota_id)
        )
        return await _matriks(info, info.context.clients.skp.RemoveMphAnggota, request, instansi_id)
