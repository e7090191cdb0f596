"""Queries of angka kredit; every tenant read is made for the caller's (or the named) instansi.

The PAK list is a Relay connection over the service's page tokens (`reads.paginate`), so the cost
budget counts its `first`; its totalCount is the service's, counted up to 1,000 (totalCountExact false
when it stopped there). `pak(id)` goes through the request's BatchGetPak DataLoader. Who may read what
is the service's rule (the pegawai, their pejabat penilai today, the admin).
"""

from __future__ import annotations

import datetime

import strawberry

from gateway import reads
from gateway.api.angka_kredit.types import (
    AturanAngkaKredit,
    Pak,
    PakScope,
    PengaturanPak,
    PrakiraanAngkaKredit,
    StatusPak,
    SumberPak,
)
from gateway.api.arguments import InstansiArg
from gateway.api.context import Info
from gateway.api.org.queries import optional_id, require_id
from gateway.api.pagination import Connection
from gateway.api.permissions import IsAuthenticated
from gateway.api.protobuf import date_text
from gateway.clients import call
from kinerja.angka_kredit.v1 import angka_kredit_pb2


@strawberry.input(description="Filters of the PAK list (the manual's): all optional.")
class PakFilter:
    tahun: int | None = strawberry.field(
        default=None,
        description="Year of the PAK; the instansi's list (INSTANSI) defaults to this year (WIB).",
    )
    query: str | None = strawberry.field(
        default=None,
        description="3+ letters of the name, or a NIP prefix of 3+ digits (the list is then ordered by NIP).",
    )
    jabatan: str | None = strawberry.field(
        default=None, description="Part of the jabatan's name (3+ letters)."
    )
    status: StatusPak | None = None
    sumber: SumberPak | None = None
    perlu_pak_baru: bool | None = strawberry.field(
        default=None, description="Only PAK marked as needing a new one."
    )
    pegawai_id: strawberry.ID | None = None


def list_request(scope: PakScope, filter: PakFilter | None) -> angka_kredit_pb2.ListPakRequest:
    """The ListPak request of a scope and its filters (ids checked first)."""
    given = filter or PakFilter()
    return angka_kredit_pb2.ListPakRequest(
        scope=scope.value,
        tahun=given.tahun or 0,
        query=given.query or "",
        jabatan=given.jabatan or "",
        status=given.status.value if given.status else angka_kredit_pb2.STATUS_PAK_UNSPECIFIED,
        sumber=given.sumber.value if given.sumber else angka_kredit_pb2.SUMBER_PAK_UNSPECIFIED,
        perlu_pak_baru=bool(given.perlu_pak_baru),
        pegawai_id=optional_id(given.pegawai_id, "filter.pegawaiId"),
    )


@strawberry.type
class AngkaKreditQuery:
    @strawberry.field(permission_classes=[IsAuthenticated], description="One whole PAK.")
    async def pak(self, info: Info, id: strawberry.ID, instansi_id: InstansiArg = None) -> Pak | None:
        caller = info.context.caller(instansi_id)
        pb = await info.context.loaders(caller).pak.load(require_id(id, "id"))
        return Pak.from_pb(pb) if pb is not None else None

    @strawberry.field(
        permission_classes=[IsAuthenticated],
        description=(
            "PAK in a scope (own, the instansi's for admins, or those the caller approves today), "
            "filtered, a page at a time."
        ),
    )
    async def pak_list(
        self,
        info: Info,
        scope: PakScope = PakScope["SAYA"],
        filter: PakFilter | None = None,
        first: int = 20,
        after: str | None = None,
        instansi_id: InstansiArg = None,
    ) -> Connection[Pak]:
        context = info.context
        page = await reads.service_page(
            context.clients.angka_kredit.ListPak,
            list_request(scope, filter),
            "pak",
            context.caller(instansi_id),
            first,
            after,
            context.max_page_size,
        )
        return Connection.from_page(page, Pak.from_pb)

    @strawberry.field(
        permission_classes=[IsAuthenticated],
        description="The instansi's SK PAK numbering (mode and format) and default tempat penandatangan.",
    )
    async def pengaturan_pak(self, info: Info, instansi_id: InstansiArg = None) -> PengaturanPak:
        caller = info.context.caller(instansi_id)
        request = angka_kredit_pb2.GetPengaturanRequest()
        return PengaturanPak.from_pb(
            await call(info.context.clients.angka_kredit.GetPengaturan, request, caller)
        )

    @strawberry.field(
        permission_classes=[IsAuthenticated],
        description=(
            "The angka kredit rules in force on a day (default today): percent per predikat, koefisien "
            "and kebutuhan per jenjang, how months are counted, and their source."
        ),
    )
    async def aturan_angka_kredit(
        self, info: Info, tanggal: datetime.date | None = None, instansi_id: InstansiArg = None
    ) -> AturanAngkaKredit:
        caller = info.context.caller(instansi_id)
        request = angka_kredit_pb2.GetAturanRequest(tanggal=date_text(tanggal))
        return AturanAngkaKredit.from_pb(
            await call(info.context.clients.angka_kredit.GetAturan, request, caller)
        )

    @strawberry.field(
        permission_classes=[IsAuthenticated],
        description=(
            "When a pegawai (default: the caller) reaches kenaikan pangkat and kenaikan jenjang at each "
            "predikat (the pegawai, their atasan today, the admin)."
        ),
    )
    async def prakiraan_angka_kredit(
        self, info: Info, pegawai_id: strawberry.ID | None = None, instansi_id: InstansiArg = None
    ) -> PrakiraanAngkaKredit | None:
        caller = info.context.caller(instansi_id)
        request = angka_kredit_pb2.GetPrakiraanRequest(pegawai_id=optional_id(pegawai_id, "pegawaiId"))
        pb = await reads.or_none(call(info.context.clients.angka_kredit.GetPrakiraan, request, caller))
        return PrakiraanAngkaKredit.from_pb(pb) if pb is not None else None
