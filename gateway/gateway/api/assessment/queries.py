"""Queries of assessment; every tenant read is made for the caller's (or the named) instansi.

Every list is a Relay connection over the service's page tokens (`reads.paginate`), so the cost
budget counts its `first`; its totalCount is the service's, counted up to 1,000 (totalCountExact false
when it stopped there). The inbox's counts are exact: they count the caller's own tasks. The penilaian
list leaves realisasi and perilaku out: asking for them loads the page whole with one
BatchGetPenilaian.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any, TypeVar

import strawberry

from gateway import reads
from gateway.api.arguments import InstansiArg
from gateway.api.assessment.types import (
    CapaianOrganisasi,
    JenisTugas,
    JumlahTugas,
    KalibrasiItem,
    Keberatan,
    KeberatanScope,
    Penilaian,
    PenilaianScope,
    PerpanjanganBatas,
    PolaDistribusi,
    Predikat,
    StatusKeberatan,
    StatusPenilaian,
    Tugas,
    listed_for,
    read_for,
)
from gateway.api.context import Info
from gateway.api.org.queries import require_id
from gateway.api.pagination import Connection, Edge, PageInfo
from gateway.api.permissions import IsAdmin, IsAuthenticated
from gateway.api.selection import selects
from gateway.clients import call
from gateway.tenancy import Caller
from kinerja.assessment.v1 import assessment_pb2

T = TypeVar("T")

# What ListPenilaian leaves out of each penilaian; asking for any of it loads the page whole.
CONTENT_FIELDS = ("realisasi", "perilaku")


def _optional_id(value: strawberry.ID | None, field: str) -> str:
    return require_id(value, field) if value else ""


def _instansi(info: Info, instansi_id: str | None) -> str:
    """The instansi a read is made for (admin BKN names it; the tenancy rule has checked it)."""
    return str(instansi_id) if instansi_id else read_for(None, info)


async def _page(
    info: Info,
    caller: Caller,
    method: Callable[..., Awaitable[Any]],
    request: Any,
    items: Callable[[Any], Sequence[T]],
    first: int,
    after: str | None,
) -> reads.Page[T]:
    """One page of a list RPC: `request` (its filters) sent with the page's page_size and page_token;
    its count as the service answers it (bounded, with whether it stopped), when it has one."""

    async def fetch(page_size: int, page_token: str) -> reads.Fetched[T]:
        paged = type(request)()
        paged.CopyFrom(request)
        paged.page_size, paged.page_token = page_size, page_token
        response = await call(method, paged, caller)
        if not response.DESCRIPTOR.fields_by_name.get("total_count"):
            return items(response), response.next_page_token, None
        return items(response), response.next_page_token, response.total_count, response.total_count_exact

    return await reads.paginate(fetch, first, after, info.context.max_page_size)


@strawberry.type(description="The caller's inbox: counts of every kind of task, and one page of one kind.")
class Inbox:
    jumlah: list[JumlahTugas] = strawberry.field(description="Tasks per kind (every kind, always).")
    edges: list[Edge[Tugas]]
    page_info: PageInfo
    total_count: int | None = strawberry.field(description="Tasks of the kind listed (all kinds: their sum).")
    total_count_exact: bool = strawberry.field(
        default=True,
        description="Always true: the inbox counts the caller's own tasks exactly, never the instansi's.",
    )


@strawberry.type
class AssessmentQuery:
    @strawberry.field(permission_classes=[IsAuthenticated], description="One whole penilaian.")
    async def penilaian(
        self, info: Info, id: strawberry.ID, instansi_id: InstansiArg = None
    ) -> Penilaian | None:
        caller = info.context.caller(instansi_id)
        pb = await info.context.loaders(caller).penilaian.load(require_id(id, "id"))
        return Penilaian.from_pb(pb) if pb is not None else None

    @strawberry.field(
        permission_classes=[IsAuthenticated],
        description="Penilaian in a scope (own, those the caller rates today, or all for admins), a page at a time.",
    )
    async def penilaian_list(
        self,
        info: Info,
        scope: PenilaianScope = PenilaianScope["SAYA"],
        tahun: int | None = None,
        periode_id: strawberry.ID | None = None,
        skp_id: strawberry.ID | None = None,
        status: StatusPenilaian | None = None,
        unit_kerja_id: strawberry.ID | None = None,
        first: int = 20,
        after: str | None = None,
        instansi_id: InstansiArg = None,
    ) -> Connection[Penilaian]:
        context = info.context
        caller = context.caller(instansi_id)
        request = assessment_pb2.ListPenilaianRequest(
            scope=scope.value,
            tahun=tahun or 0,
            periode_id=_optional_id(periode_id, "periodeId"),
            skp_id=_optional_id(skp_id, "skpId"),
            status=status.value if status else assessment_pb2.STATUS_PENILAIAN_UNSPECIFIED,
            unit_kerja_id=_optional_id(unit_kerja_id, "unitKerjaId"),
        )
        page = await _page(
            info,
            caller,
            context.clients.assessment.ListPenilaian,
            request,
            lambda response: response.penilaian,
            first,
            after,
        )
        if any(selects(info, "edges", "node", name) for name in CONTENT_FIELDS):
            # The list leaves realisasi and perilaku out: one BatchGetPenilaian loads the page whole.
            page = await reads.whole_items(page, context.loaders(caller).penilaian)
        return Connection.from_page(page, Penilaian.from_pb)

    @strawberry.field(
        permission_classes=[IsAuthenticated],
        description=(
            "What the caller still has to do: counts per kind, and a page of one kind (realisasi to "
            "enter, perilaku feedback to give, bawahan to rate, keberatan to answer)."
        ),
    )
    async def inbox(
        self,
        info: Info,
        periode_id: strawberry.ID | None = None,
        jenis: JenisTugas | None = None,
        first: int = 20,
        after: str | None = None,
        instansi_id: InstansiArg = None,
    ) -> Inbox:
        context = info.context
        caller = context.caller(instansi_id)
        acting = _instansi(info, instansi_id)
        request = assessment_pb2.GetInboxRequest(
            periode_id=_optional_id(periode_id, "periodeId"),
            jenis=jenis.value if jenis else assessment_pb2.JENIS_TUGAS_UNSPECIFIED,
        )
        counts: list[assessment_pb2.JumlahTugas] = []

        def items(response: assessment_pb2.GetInboxResponse) -> Sequence[assessment_pb2.Tugas]:
            counts[:] = list(response.jumlah)
            return response.tugas

        page = await _page(
            info,
            caller,
            context.clients.assessment.GetInbox,
            request,
            items,
            first,
            after,
        )
        jumlah = [JumlahTugas.from_pb(c) for c in counts]

        connection = Connection.from_page(page, lambda pb: listed_for(Tugas.from_pb(pb), acting))
        total = sum(j.jumlah for j in jumlah if jenis is None or j.jenis == jenis)
        return Inbox(jumlah=jumlah, edges=connection.edges, page_info=connection.page_info, total_count=total)

    @strawberry.field(
        permission_classes=[IsAdmin],
        description="Capaian kinerja organisasi of the instansi's units, with their statistik (admin).",
    )
    async def capaian_list(
        self,
        info: Info,
        tahun: int | None = None,
        periode_id: strawberry.ID | None = None,
        query: str | None = None,
        first: int = 20,
        after: str | None = None,
        instansi_id: InstansiArg = None,
    ) -> Connection[CapaianOrganisasi]:
        caller = info.context.caller(instansi_id)
        request = assessment_pb2.ListCapaianRequest(
            tahun=tahun or 0, periode_id=_optional_id(periode_id, "periodeId"), query=query or ""
        )
        page = await _page(
            info,
            caller,
            info.context.clients.assessment.ListCapaian,
            request,
            lambda response: response.capaian,
            first,
            after,
        )
        return Connection.from_page(page, CapaianOrganisasi.from_pb)

    @strawberry.field(
        permission_classes=[IsAuthenticated],
        description=(
            "The pola distribusi of a unit kerja in a periode: its capaian, the predikat counts and which "
            "bound is broken by how many (admins and the unit's head today)."
        ),
    )
    async def pola_distribusi(
        self,
        info: Info,
        unor_id: strawberry.ID,
        periode_id: strawberry.ID,
        tahun: int,
        instansi_id: InstansiArg = None,
    ) -> PolaDistribusi | None:
        caller = info.context.caller(instansi_id)
        request = assessment_pb2.GetPolaDistribusiRequest(
            unor_id=require_id(unor_id, "unorId"), periode_id=require_id(periode_id, "periodeId"), tahun=tahun
        )
        pb = await reads.or_none(call(info.context.clients.assessment.GetPolaDistribusi, request, caller))
        if pb is None:
            return None
        return listed_for(PolaDistribusi.from_pb(pb), _instansi(info, instansi_id))

    @strawberry.field(
        permission_classes=[IsAuthenticated],
        description="The calibration view: a unit kerja's penilaian in a periode by predikat, a page at a time.",
    )
    async def kalibrasi(
        self,
        info: Info,
        unor_id: strawberry.ID,
        periode_id: strawberry.ID,
        tahun: int,
        predikat: Predikat | None = None,
        first: int = 20,
        after: str | None = None,
        instansi_id: InstansiArg = None,
    ) -> Connection[KalibrasiItem]:
        caller = info.context.caller(instansi_id)
        acting = _instansi(info, instansi_id)
        request = assessment_pb2.ListKalibrasiRequest(
            unor_id=require_id(unor_id, "unorId"),
            periode_id=require_id(periode_id, "periodeId"),
            tahun=tahun,
            predikat=predikat.value if predikat else assessment_pb2.PREDIKAT_UNSPECIFIED,
        )
        page = await _page(
            info,
            caller,
            info.context.clients.assessment.ListKalibrasi,
            request,
            lambda response: response.items,
            first,
            after,
        )

        return Connection.from_page(page, lambda pb: listed_for(KalibrasiItem.from_pb(pb), acting))

    @strawberry.field(
        permission_classes=[IsAuthenticated],
        description="One keberatan (its first read by the atasan pejabat penilai is recorded as dicekAt).",
    )
    async def keberatan(
        self, info: Info, id: strawberry.ID, instansi_id: InstansiArg = None
    ) -> Keberatan | None:
        caller = info.context.caller(instansi_id)
        request = assessment_pb2.GetKeberatanRequest(id=require_id(id, "id"))
        pb = await reads.or_none(call(info.context.clients.assessment.GetKeberatan, request, caller))
        return Keberatan.from_pb(pb) if pb is not None else None

    @strawberry.field(
        permission_classes=[IsAuthenticated],
        description="Keberatan filed by the caller, to answer, or all (admin), a page at a time.",
    )
    async def keberatan_list(
        self,
        info: Info,
        scope: KeberatanScope = KeberatanScope["SAYA"],
        tahun: int | None = None,
        status: StatusKeberatan | None = None,
        query: str | None = None,
        first: int = 20,
        after: str | None = None,
        instansi_id: InstansiArg = None,
    ) -> Connection[Keberatan]:
        caller = info.context.caller(instansi_id)
        request = assessment_pb2.ListKeberatanRequest(
            scope=scope.value,
            tahun=tahun or 0,
            status=status.value if status else assessment_pb2.STATUS_KEBERATAN_UNSPECIFIED,
            query=query or "",
        )
        page = await _page(
            info,
            caller,
            info.context.clients.assessment.ListKeberatan,
            request,
            lambda response: response.keberatan,
            first,
            after,
        )
        return Connection.from_page(page, Keberatan.from_pb)

    @strawberry.field(
        permission_classes=[IsAdmin], description="Extensions of a periode's batas pengisian (admin)."
    )
    async def perpanjangan_batas_list(
        self,
        info: Info,
        periode_id: strawberry.ID | None = None,
        tahun: int | None = None,
        first: int = 20,
        after: str | None = None,
        instansi_id: InstansiArg = None,
    ) -> Connection[PerpanjanganBatas]:
        caller = info.context.caller(instansi_id)
        request = assessment_pb2.ListPerpanjanganBatasRequest(
            periode_id=_optional_id(periode_id, "periodeId"), tahun=tahun or 0
        )
        page = await _page(
            info,
            caller,
            info.context.clients.assessment.ListPerpanjanganBatas,
            request,
            lambda response: response.perpanjangan,
            first,
            after,
        )
        return Connection.from_page(page, PerpanjanganBatas.from_pb)
