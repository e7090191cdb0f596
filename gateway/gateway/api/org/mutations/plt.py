"""createPlt, updatePlt and deletePlt: admins assign acting heads (PLT/PLH)."""

from __future__ import annotations

import datetime

import strawberry

from gateway.api.arguments import InstansiArg
from gateway.api.context import Info
from gateway.api.errors import UserError, attempt
from gateway.api.org.types import JenisPlt, Plt, date_text
from gateway.api.permissions import IsAdmin
from gateway.clients import call
from kinerja.org.v1 import org_pb2

RENAME = {"plt": "input"}


@strawberry.input
class PltInput:
    pegawai_id: strawberry.ID
    unor_id: strawberry.ID
    jabatan: str
    jenis: JenisPlt
    tanggal_mulai: datetime.date
    tanggal_selesai: datetime.date
    aktif: bool = True

    def to_pb(self) -> org_pb2.PltInput:
        return org_pb2.PltInput(
            pegawai_id=str(self.pegawai_id),
            unor_id=str(self.unor_id),
            jabatan=self.jabatan,
            jenis=self.jenis.value,
            tanggal_mulai=date_text(self.tanggal_mulai),
            tanggal_selesai=date_text(self.tanggal_selesai),
            aktif=self.aktif,
        )


@strawberry.type
class PltPayload:
    plt: Plt | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class DeletePltPayload:
    deleted_id: strawberry.ID | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class PltMutations:
    @strawberry.mutation(permission_classes=[IsAdmin])
    async def create_plt(self, info: Info, input: PltInput, instansi_id: InstansiArg = None) -> PltPayload:
        request = org_pb2.CreatePltRequest(plt=input.to_pb())
        pb, errors = await attempt(
            lambda: call(info.context.clients.org.CreatePlt, request, info.context.caller(instansi_id)),
            RENAME,
        )
        return PltPayload(plt=Plt.from_pb(pb) if pb else None, errors=errors)

    @strawberry.mutation(permission_classes=[IsAdmin])
    async def update_plt(
        self,
        info: Info,
        id: strawberry.ID,
        input: PltInput,
        expected_version: int = 0,
        instansi_id: InstansiArg = None,
    ) -> PltPayload:
        request = org_pb2.UpdatePltRequest(id=str(id), plt=input.to_pb(), expected_version=expected_version)
        pb, errors = await attempt(
            lambda: call(info.context.clients.org.UpdatePlt, request, info.context.caller(instansi_id)),
            RENAME,
        )
        return PltPayload(plt=Plt.from_pb(pb) if pb else None, errors=errors)

    @strawberry.mutation(permission_classes=[IsAdmin])
    async def delete_plt(
        self, info: Info, id: strawberry.ID, instansi_id: InstansiArg = None
    ) -> DeletePltPayload:
        request = org_pb2.DeletePltRequest(id=str(id))
        done, errors = await attempt(
            lambda: call(info.context.clients.org.DeletePlt, request, info.context.caller(instansi_id))
        )
        return DeletePltPayload(deleted_id=id if done is not None else None, errors=errors)
