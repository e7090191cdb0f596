"""Queries of SKP planning; every tenant read is made for the caller's (or the named) instansi."""

from __future__ import annotations

from typing import Annotated

import strawberry

from gateway import reads
from gateway.api.arguments import InstansiArg
from gateway.api.context import Info
from gateway.api.org.queries import require_id
from gateway.api.pagination import COUNT_LIMIT, Connection
from gateway.api.permissions import IsAuthenticated
from gateway.api.selection import selects
from gateway.api.skp.types import (
    KesiapanPenilaian,
    KinerjaHarian,
    MatriksPeranHasil,
    PeranDitugaskan,
    Perilaku,
    Periode,
    PerjanjianKinerja,
    RekapBulanan,
    Skp,
    SkpScope,
    StatusSkp,
)
from gateway.clients import call
from kinerja.skp.v1 import skp_pb2

# What ListSkp leaves out of each SKP; asking for any of it loads the page's SKPs whole.
CONTENT_FIELDS = ("rhk", "perilaku", "lampiran")


@strawberry.input(description="Filters of the SKP list.")
class SkpFilter:
    tahun: int | None = None
    status: StatusSkp | None = None
    periode_id: strawberry.ID | None = strawberry.field(
        default=None, description="Only SKPs whose range overlaps this periode in their year."
    )
    query: str | None = strawberry.field(
        default=None, description="NIP (or its start) or 3+ letters of the name."
    )
    unor_id: strawberry.ID | None = None

    def to_args(self, scope: SkpScope) -> reads.SkpFilterArgs:
        return reads.SkpFilterArgs(
            scope=scope.value,
            tahun=self.tahun or 0,
            status=self.status.value if self.status else skp_pb2.STATUS_SKP_UNSPECIFIED,
            periode_id=str(self.periode_id or ""),
            query=self.query or "",
            unor_id=str(self.unor_id or ""),
        )


@strawberry.type
class SkpQuery:
    @strawberry.field(permission_classes=[IsAuthenticated], description="The instansi's assessment periode.")
    async def periode_list(self, info: Info, instansi_id: InstansiArg = None) -> list[Periode]:
        caller = info.context.caller(instansi_id)
        response = await call(info.context.clients.skp.ListPeriode, skp_pb2.ListPeriodeRequest(), caller)
        return [Periode.from_pb(p) for p in response.periode]

    @strawberry.field(
        permission_classes=[IsAuthenticated],
        description="The seven BerAKHLAK values with their panduan (the same for every instansi).",
    )
    async def perilaku_kerja(self, info: Info) -> list[Perilaku]:
        request = skp_pb2.ListPerilakuKerjaRequest()
        response = await call(info.context.clients.skp.ListPerilakuKerja, request, info.context.own_caller())
        return [Perilaku.from_pb(p) for p in response.perilaku]

    @strawberry.field(permission_classes=[IsAuthenticated])
    async def perjanjian_kinerja(
        self, info: Info, id: strawberry.ID, instansi_id: InstansiArg = None
    ) -> PerjanjianKinerja | None:
        caller = info.context.caller(instansi_id)
        request = skp_pb2.GetPerjanjianKinerjaRequest(id=require_id(id, "id"))
        pb = await reads.or_none(call(info.context.clients.skp.GetPerjanjianKinerja, request, caller))
        return PerjanjianKinerja.from_pb(pb) if pb is not None else None

    @strawberry.field(
        permission_classes=[IsAuthenticated],
        description="Perjanjian kinerja of a pegawai (default: the caller), optionally of one year.",
    )
    async def perjanjian_kinerja_list(
        self,
        info: Info,
        pegawai_id: strawberry.ID | None = None,
        tahun: int | None = None,
        instansi_id: InstansiArg = None,
    ) -> list[PerjanjianKinerja]:
        caller = info.context.caller(instansi_id)
        request = skp_pb2.ListPerjanjianKinerjaRequest(pegawai_id=str(pegawai_id or ""), tahun=tahun or 0)
        response = await call(info.context.clients.skp.ListPerjanjianKinerja, request, caller)
        return [PerjanjianKinerja.from_pb(p) for p in response.perjanjian_kinerja]

    @strawberry.field(permission_classes=[IsAuthenticated], description="One whole SKP.")
    async def skp(self, info: Info, id: strawberry.ID, instansi_id: InstansiArg = None) -> Skp | None:
        caller = info.context.caller(instansi_id)
        pb = await info.context.loaders(caller).skp.load(require_id(id, "id"))
        return Skp.from_pb(pb) if pb is not None else None

    @strawberry.field(permission_classes=[IsAuthenticated], description="SKPs in a scope, a page at a time.")
    async def skp_list(
        self,
        info: Info,
        scope: SkpScope = SkpScope["SAYA"],
        filter: SkpFilter | None = None,
        first: int = 20,
        after: str | None = None,
        instansi_id: InstansiArg = None,
    ) -> Connection[Skp]:
        context = info.context
        caller = context.caller(instansi_id)
        filters = (filter or SkpFilter()).to_args(scope)
        # one ListSkp call a page; its items without rhk and perilaku, counts filled
        page = await reads.list_skp(context.clients, caller, first, after, filters, context.max_page_size)
        if any(selects(info, "edges", "node", name) for name in CONTENT_FIELDS):
            # The list leaves the content out: one BatchGetSkp loads the page whole.
            page = await reads.whole_items(page, context.loaders(caller).skp)
        return Connection.from_page(page, Skp.from_pb)

    @strawberry.field(
        permission_classes=[IsAuthenticated],
        description="The pejabat penilai's SKPs of the same year (with their RHK), to intervene.",
    )
    async def rhk_atasan(
        self, info: Info, skp_id: strawberry.ID, instansi_id: InstansiArg = None
    ) -> list[Skp]:
        caller = info.context.caller(instansi_id)
        request = skp_pb2.ListRhkAtasanRequest(skp_id=require_id(skp_id, "skpId"))
        response = await call(info.context.clients.skp.ListRhkAtasan, request, caller)
        return [Skp.from_pb(s) for s in response.skp]

    @strawberry.field(permission_classes=[IsAuthenticated], description="The matriks peran hasil of an RHK.")
    async def matriks_peran_hasil(
        self, info: Info, skp_id: strawberry.ID, rhk_id: strawberry.ID, instansi_id: InstansiArg = None
    ) -> MatriksPeranHasil | None:
        caller = info.context.caller(instansi_id)
        request = skp_pb2.GetMatriksPeranHasilRequest(
            skp_id=require_id(skp_id, "skpId"), rhk_id=require_id(rhk_id, "rhkId")
        )
        pb = await reads.or_none(call(info.context.clients.skp.GetMatriksPeranHasil, request, caller))
        return MatriksPeranHasil.from_pb(pb) if pb is not None else None

    @strawberry.field(
        permission_classes=[IsAuthenticated],
        description=(
            "Matriks peran hasil of the instansi or of a unor, of a year or all, a page at a time: newest "
            "year, then newest matriks first (a unit's print pages to the end). totalCount stops at "
            f"{COUNT_LIMIT:,} (totalCountExact)."
        ),
    )
    async def matriks_peran_hasil_list(
        self,
        info: Info,
        unor_id: strawberry.ID | None = None,
        tahun: int | None = None,
        first: int = 20,
        after: str | None = None,
        instansi_id: InstansiArg = None,
    ) -> Connection[MatriksPeranHasil]:
        context = info.context
        caller = context.caller(instansi_id)
        page = await reads.list_mph(
            context.clients, caller, str(unor_id or ""), tahun or 0, first, after, context.max_page_size
        )
        return Connection.from_page(page, MatriksPeranHasil.from_pb)

    @strawberry.field(
        permission_classes=[IsAuthenticated], description="Peran assigned to the caller, to copy into an RHK."
    )
    async def peran_ditugaskan(
        self, info: Info, tahun: int | None = None, instansi_id: InstansiArg = None
    ) -> list[PeranDitugaskan]:
        caller = info.context.caller(instansi_id)
        request = skp_pb2.ListPeranDitugaskanRequest(tahun=tahun or 0)
        response = await call(info.context.clients.skp.ListPeranDitugaskan, request, caller)
        return [PeranDitugaskan.from_pb(p) for p in response.peran]

    @strawberry.field(
        permission_classes=[IsAuthenticated], description="Kinerja harian of an SKP, of one month or all."
    )
    async def kinerja_harian(
        self,
        info: Info,
        skp_id: strawberry.ID,
        bulan: Annotated[int | None, strawberry.argument(description="1-12; null for the whole SKP.")] = None,
        instansi_id: InstansiArg = None,
    ) -> list[KinerjaHarian]:
        caller = info.context.caller(instansi_id)
        request = skp_pb2.ListKinerjaHarianRequest(skp_id=require_id(skp_id, "skpId"), bulan=bulan or 0)
        response = await call(info.context.clients.skp.ListKinerjaHarian, request, caller)
        return [KinerjaHarian.from_pb(k) for k in response.kinerja_harian]

    @strawberry.field(
        permission_classes=[IsAuthenticated],
        description="Per indikator and month: target and the sum of kinerja harian.",
    )
    async def rekap_kinerja_bulanan(
        self, info: Info, skp_id: strawberry.ID, instansi_id: InstansiArg = None
    ) -> list[RekapBulanan]:
        caller = info.context.caller(instansi_id)
        request = skp_pb2.RekapKinerjaBulananRequest(skp_id=require_id(skp_id, "skpId"))
        response = await call(info.context.clients.skp.RekapKinerjaBulanan, request, caller)
        return [RekapBulanan.from_pb(r) for r in response.rekap]

    @strawberry.field(
        permission_classes=[IsAuthenticated],
        description="Whether an SKP may be assessed for a periode (approved, rencana aksi for every RHK).",
    )
    async def kesiapan_penilaian(
        self, info: Info, skp_id: strawberry.ID, periode_id: strawberry.ID, instansi_id: InstansiArg = None
    ) -> KesiapanPenilaian:
        caller = info.context.caller(instansi_id)
        request = skp_pb2.CheckKesiapanPenilaianRequest(
            skp_id=require_id(skp_id, "skpId"), periode_id=require_id(periode_id, "periodeId")
        )
        return KesiapanPenilaian.from_pb(
            await call(info.context.clients.skp.CheckKesiapanPenilaian, request, caller)
        )
