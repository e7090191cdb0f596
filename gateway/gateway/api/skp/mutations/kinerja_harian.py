"""addKinerjaHarian, updateKinerjaHarian and deleteKinerjaHarian: the owner records daily work."""

from __future__ import annotations

import datetime

import strawberry

from gateway.api.arguments import InstansiArg
from gateway.api.context import Info
from gateway.api.errors import UserError, attempt
from gateway.api.org.types import date_text
from gateway.api.permissions import IsAuthenticated
from gateway.api.skp.types import KinerjaHarian
from gateway.clients import call
from kinerja.skp.v1 import skp_pb2

RENAME = {"kinerja_harian": "input"}


@strawberry.input
class KinerjaHarianInput:
    tanggal: datetime.date
    uraian: str
    indikator_id: strawberry.ID
    realisasi: str = strawberry.field(description="Decimal text with a dot.")

    def to_pb(self) -> skp_pb2.KinerjaHarianInput:
        return skp_pb2.KinerjaHarianInput(
            tanggal=date_text(self.tanggal),
            uraian=self.uraian,
            indikator_id=str(self.indikator_id),
            realisasi=self.realisasi,
        )


@strawberry.type
class KinerjaHarianPayload:
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
        self, info: Info, skp_id: strawberry.ID, input: KinerjaHarianInput, instansi_id: InstansiArg = None
    ) -> KinerjaHarianPayload:
        request = skp_pb2.AddKinerjaHarianRequest(skp_id=str(skp_id), kinerja_harian=input.to_pb())
        pb, errors = await attempt(
            lambda: call(
                info.context.clients.skp.AddKinerjaHarian, request, info.context.caller(instansi_id)
            ),
            RENAME,
        )
        return KinerjaHarianPayload(
            kinerja_harian=KinerjaHarian.from_pb(pb) if pb is not None else None, errors=errors
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
            id=str(id), kinerja_harian=input.to_pb(), expected_version=expected_version
        )
        pb, errors = await attempt(
            lambda: call(
                info.context.clients.skp.UpdateKinerjaHarian, request, info.context.caller(instansi_id)
            ),
            RENAME,
        )
        return KinerjaHarianPayload(
            kinerja_harian=KinerjaHarian.from_pb(pb) if pb is not None else None, errors=errors
        )

    @strawberry.mutation(permission_classes=[IsAuthenticated])
    async def delete_kinerja_harian(
        self, info: Info, id: strawberry.ID, instansi_id: InstansiArg = None
    ) -> DeleteKinerjaHarianPayload:
        request = skp_pb2.DeleteKinerjaHarianRequest(id=str(id))
        done, errors = await attempt(
            lambda: call(
                info.context.clients.skp.DeleteKinerjaHarian, request, info.context.caller(instansi_id)
            )
        )
        return DeleteKinerjaHarianPayload(deleted_id=id if done is not None else None, errors=errors)
