"""createPerjanjianKinerja and the sasaran strategis mutations: a JPT writes their perjanjian kinerja."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import strawberry
from google.protobuf.message import Message

from gateway.api.arguments import InstansiArg
from gateway.api.context import Info
from gateway.api.errors import UserError, attempt
from gateway.api.permissions import IsAuthenticated
from gateway.api.skp.types import PerjanjianKinerja
from gateway.clients import call
from kinerja.skp.v1 import skp_pb2

RENAME = {"sasaran": "input"}


@strawberry.input
class PkIndikatorInput:
    teks: str
    target: str | None = strawberry.field(default=None, description="Decimal text with a dot, e.g. 4.29.")
    satuan: str = ""

    def to_pb(self) -> skp_pb2.PkIndikator:
        return skp_pb2.PkIndikator(teks=self.teks, target=self.target or "", satuan=self.satuan)


@strawberry.input
class SasaranInput:
    teks: str
    indikator: list[PkIndikatorInput] = strawberry.field(default_factory=list)

    def to_pb(self) -> skp_pb2.SasaranInput:
        return skp_pb2.SasaranInput(teks=self.teks, indikator=[i.to_pb() for i in self.indikator])


@strawberry.type
class PerjanjianKinerjaPayload:
    perjanjian_kinerja: PerjanjianKinerja | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class PerjanjianMutations:
    @strawberry.mutation(permission_classes=[IsAuthenticated], description="The caller's own, as a JPT.")
    async def create_perjanjian_kinerja(
        self, info: Info, tahun: int, instansi_id: InstansiArg = None
    ) -> PerjanjianKinerjaPayload:
        request = skp_pb2.CreatePerjanjianKinerjaRequest(tahun=tahun)
        return await _perjanjian(info, info.context.clients.skp.CreatePerjanjianKinerja, request, instansi_id)

    @strawberry.mutation(permission_classes=[IsAuthenticated])
    async def add_sasaran_strategis(
        self,
        info: Info,
        perjanjian_kinerja_id: strawberry.ID,
        input: SasaranInput,
        instansi_id: InstansiArg = None,
    ) -> PerjanjianKinerjaPayload:
        request = skp_pb2.AddSasaranStrategisRequest(
            perjanjian_kinerja_id=str(perjanjian_kinerja_id), sasaran=input.to_pb()
        )
        return await _perjanjian(info, info.context.clients.skp.AddSasaranStrategis, request, instansi_id)

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
            perjanjian_kinerja_id=str(perjanjian_kinerja_id),
            sasaran_id=str(sasaran_id),
            sasaran=input.to_pb(),
        )
        return await _perjanjian(info, info.context.clients.skp.UpdateSasaranStrategis, request, instansi_id)

    @strawberry.mutation(permission_classes=[IsAuthenticated])
    async def delete_sasaran_strategis(
        self,
        info: Info,
        perjanjian_kinerja_id: strawberry.ID,
        sasaran_id: strawberry.ID,
        instansi_id: InstansiArg = None,
    ) -> PerjanjianKinerjaPayload:
        request = skp_pb2.DeleteSasaranStrategisRequest(
            perjanjian_kinerja_id=str(perjanjian_kinerja_id), sasaran_id=str(sasaran_id)
        )
        return await _perjanjian(info, info.context.clients.skp.DeleteSasaranStrategis, request, instansi_id)


async def _perjanjian(
    info: Info,
    method: Callable[..., Awaitable[skp_pb2.PerjanjianKinerja]],
    request: Message,
    instansi_id: str | None,
) -> PerjanjianKinerjaPayload:
    pb, errors = await attempt(lambda: call(method, request, info.context.caller(instansi_id)), RENAME)
    return PerjanjianKinerjaPayload(
        perjanjian_kinerja=PerjanjianKinerja.from_pb(pb) if pb is not None else None, errors=errors
    )
