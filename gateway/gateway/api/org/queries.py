"""Queries of the org domain; every tenant read is made for the caller's (or the named) instansi."""

from __future__ import annotations

import datetime

import strawberry

from gateway import reads
from gateway.api.arguments import InstansiArg
from gateway.api.context import Info
from gateway.api.org.types import (
    Instansi,
    JenisJabatan,
    Pegawai,
    Plt,
    Relations,
    Unor,
    pegawai_connection,
)
from gateway.api.pagination import COUNT_LIMIT, Connection
from gateway.api.permissions import IsAdminBkn, IsAuthenticated
from gateway.api.protobuf import date_text
from gateway.clients import call
from gateway.tenancy import INVALID_ID, parse_instansi
from kinerja.org.v1 import org_pb2
from kinerja_kit.errors import FieldViolation, InvalidArgument
from kinerja_kit.ids import parse_uuid


def require_id(value: str, field: str) -> str:
    """Ids are UUIDs: anything else is refused before it can spoil a batch."""
    if parse_uuid(value) is None:
        raise InvalidArgument([FieldViolation(field, INVALID_ID, "ID tidak valid.")])
    return str(value)


def optional_id(value: strawberry.ID | None, field: str) -> str:
    """An optional id argument: "" when left out, else a UUID (INVALID_ID otherwise)."""
    return require_id(value, field) if value else ""


@strawberry.input(description="Filters of the pegawai list.")
class PegawaiFilter:
    query: str | None = strawberry.field(
        default=None, description="NIP (or its start) or 3+ letters of the name."
    )
    unor_id: strawberry.ID | None = None
    include_sub_unor: bool = False
    jenis_jabatan: JenisJabatan | None = None
    only_pimpinan: bool = False

    def to_args(self) -> reads.PegawaiFilterArgs:
        return reads.PegawaiFilterArgs(
            query=self.query or "",
            unor_id=str(self.unor_id or ""),
            include_sub_unor=self.include_sub_unor,
            jenis_jabatan=self.jenis_jabatan.value if self.jenis_jabatan else 0,
            only_pimpinan=self.only_pimpinan,
        )


@strawberry.type
class OrgQuery:
    @strawberry.field(permission_classes=[IsAdminBkn], description="Every instansi (admin BKN).")
    async def instansi_list(self, info: Info) -> list[Instansi]:
        response = await call(
            info.context.clients.org.ListInstansi, org_pb2.ListInstansiRequest(), info.context.own_caller()
        )
        return [Instansi.from_pb(i) for i in response.instansi]

    @strawberry.field(
        permission_classes=[IsAuthenticated],
        description="One instansi: the caller's own, or any for admin BKN.",
    )
    async def instansi(self, info: Info, id: strawberry.ID) -> Instansi | None:
        instansi_id = parse_instansi(str(id), "id")
        caller = info.context.caller(str(instansi_id))
        pb = await reads.or_none(
            call(info.context.clients.org.GetInstansi, org_pb2.GetInstansiRequest(id=str(id)), caller)
        )
        return Instansi.from_pb(pb) if pb is not None else None

    @strawberry.field(
        permission_classes=[IsAuthenticated],
        description=(
            "The unor tree, flat, parents first: the whole tree by default, or the subtree of `rootId`. "
            "`depth` limits the levels (0 or null: all): with `rootId`, the levels below it (1: the unor "
            "and its children); without, the levels from the top (1: the roots alone). `query` (3+ "
            "letters of the name) keeps the matches and their ancestors. One call answering everything "
            "it names: right for a small instansi, a subtree or a few levels. To browse a large instansi "
            "(thousands of unor) a level at a time, a page each, use unorChildren."
        ),
    )
    async def unor_tree(
        self,
        info: Info,
        instansi_id: InstansiArg = None,
        query: str | None = None,
        root_id: strawberry.ID | None = None,
        depth: int | None = None,
    ) -> list[Unor]:
        caller = info.context.caller(instansi_id)
        if depth is not None and depth < 0:
            raise InvalidArgument(
                [FieldViolation("depth", "DEPTH_INVALID", "Kedalaman tidak boleh negatif.")]
            )
        request = org_pb2.ListUnorRequest(
            query=query or "", root_id=optional_id(root_id, "rootId"), depth=depth or 0
        )
        response = await call(info.context.clients.org.ListUnor, request, caller)
        return [Unor.from_pb(u) for u in response.unor]

    @strawberry.field(
        permission_classes=[IsAuthenticated],
        description=(
            "One level of the unor tree, a page at a time, ordered by name: the children of `parentId`, "
            "or the roots when it is null. Each unor has jumlahSubUnor: expand it (its id as the next "
            "parentId) when it is > 0. For large instansi, where the whole unorTree is too much at once; "
            f"totalCount stops at {COUNT_LIMIT:,} (totalCountExact)."
        ),
    )
    async def unor_children(
        self,
        info: Info,
        parent_id: strawberry.ID | None = None,
        first: int = 20,
        after: str | None = None,
        instansi_id: InstansiArg = None,
    ) -> Connection[Unor]:
        context = info.context
        caller = context.caller(instansi_id)
        page = await reads.list_unor_children(
            context.clients,
            caller,
            optional_id(parent_id, "parentId"),
            first,
            after,
            context.max_page_size,
        )
        return Connection.from_page(page, Unor.from_pb)

    @strawberry.field(permission_classes=[IsAuthenticated])
    async def unor(self, info: Info, id: strawberry.ID, instansi_id: InstansiArg = None) -> Unor | None:
        caller = info.context.caller(instansi_id)
        pb = await info.context.loaders(caller).unor.load(require_id(id, "id"))
        return Unor.from_pb(pb) if pb is not None else None

    @strawberry.field(
        permission_classes=[IsAuthenticated],
        description=(
            "Pegawai, a page at a time: ordered by name, or by NIP for a NIP search (`filter.query` of "
            f"digits). totalCount stops at {COUNT_LIMIT:,} (totalCountExact is then false: at least that "
            "many), so every page costs the same in any instansi."
        ),
    )
    async def pegawai_list(
        self,
        info: Info,
        first: int = 20,
        after: str | None = None,
        filter: PegawaiFilter | None = None,
        instansi_id: InstansiArg = None,
    ) -> Connection[Pegawai]:
        context = info.context
        caller = context.caller(instansi_id)
        filters = filter.to_args() if filter is not None else reads.PegawaiFilterArgs()
        page = await reads.search_pegawai(
            context.clients, caller, first, after, filters, context.max_page_size
        )
        return await pegawai_connection(info, context.loaders(caller), page)

    @strawberry.field(permission_classes=[IsAuthenticated])
    async def pegawai(self, info: Info, id: strawberry.ID, instansi_id: InstansiArg = None) -> Pegawai | None:
        caller = info.context.caller(instansi_id)
        pb = await info.context.loaders(caller).pegawai.load(require_id(id, "id"))
        return Pegawai.from_pb(pb, info.context) if pb is not None else None

    @strawberry.field(permission_classes=[IsAuthenticated])
    async def pegawai_by_nip(self, info: Info, nip: str, instansi_id: InstansiArg = None) -> Pegawai | None:
        caller = info.context.caller(instansi_id)
        request = org_pb2.GetPegawaiByNipRequest(nip=nip)
        pb = await reads.or_none(call(info.context.clients.org.GetPegawaiByNip, request, caller))
        return Pegawai.from_pb(pb, info.context) if pb is not None else None

    @strawberry.field(
        permission_classes=[IsAuthenticated],
        description=(
            "Atasan, bawahan and rekan kerja of a pegawai (the atasan chain in one batched read; bawahan "
            "and rekan kerja a page at a time)."
        ),
    )
    async def relations(
        self,
        info: Info,
        pegawai_id: strawberry.ID,
        as_of: datetime.date | None = None,
        instansi_id: InstansiArg = None,
    ) -> Relations | None:
        caller = info.context.caller(instansi_id)
        key = (require_id(pegawai_id, "pegawaiId"), date_text(as_of))
        pb = await info.context.loaders(caller).relations.load(key)
        if pb is None:
            return None
        return Relations.from_pb(pb, str(caller.principal.tenant_id) if caller.principal else "")

    @strawberry.field(
        permission_classes=[IsAuthenticated],
        description=(
            "PLT/PLH assignments, newest first (by tanggalMulai), a page at a time: of a pegawai, of a "
            f"unor, in force today (onlyActive), or all of the instansi. totalCount stops at {COUNT_LIMIT:,} "
            "(totalCountExact)."
        ),
    )
    async def plt_list(
        self,
        info: Info,
        pegawai_id: strawberry.ID | None = None,
        unor_id: strawberry.ID | None = None,
        only_active: bool = False,
        first: int = 20,
        after: str | None = None,
        instansi_id: InstansiArg = None,
    ) -> Connection[Plt]:
        context = info.context
        caller = context.caller(instansi_id)
        filters = org_pb2.ListPltRequest(
            pegawai_id=str(pegawai_id or ""), unor_id=str(unor_id or ""), only_active=only_active
        )
        page = await reads.list_plt(context.clients, caller, filters, first, after, context.max_page_size)
        return Connection.from_page(page, Plt.from_pb)
