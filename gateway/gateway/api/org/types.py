"""GraphQL types of the org domain, derived from the org service's protobuf messages (api/protobuf.py)."""

from __future__ import annotations

import datetime
from collections.abc import Awaitable, Generator
from typing import TYPE_CHECKING, Annotated, Any

import strawberry

from gateway import reads
from gateway.api.context import Context, Info
from gateway.api.loaders import Loaders
from gateway.api.pagination import Connection
from gateway.api.protobuf import FromProto, ProtoEnum, date_or_none, date_text
from gateway.api.selection import selects
from kinerja.org.v1 import org_pb2

if TYPE_CHECKING:
    from gateway.api.identity.types import Account


@strawberry.enum(description="Kind of unor, by the level of its head (eselon).")
class JenisUnor(ProtoEnum, proto=org_pb2.JenisUnor): ...


@strawberry.enum(description="Kind of jabatan.")
class JenisJabatan(ProtoEnum, proto=org_pb2.JenisJabatan): ...


@strawberry.enum(description="Pelaksana Tugas (PLT) or Pelaksana Harian (PLH).")
class JenisPlt(ProtoEnum, proto=org_pb2.JenisPlt): ...


@strawberry.type(description="A government agency: the tenant.")
class Instansi(FromProto, message=org_pb2.Instansi):
    id: strawberry.ID
    kode: str
    nama: str
    jenis: str
    created_at: datetime.datetime | None


@strawberry.type(description="Unit organisasi: a node of an instansi's unor tree.")
class Unor(FromProto, message=org_pb2.Unor):
    id: strawberry.ID
    instansi_id: strawberry.ID
    nama: str
    jenis: JenisUnor | None
    eselon: str
    parent_id: strawberry.ID | None = strawberry.field(description="Unor atasan; null for a root.")
    induk_id: strawberry.ID | None = strawberry.field(
        description="Unor induk; null when it is its own induk."
    )
    mandiri: bool
    kota: str
    version: int
    jumlah_pegawai: int
    jumlah_sub_unor: int = strawberry.field(
        description="Child unor: expand this unor (unorChildren, or unorTree from it) when it is > 0."
    )

    @strawberry.field(description="The unor atasan.")
    async def parent(self, info: Info) -> Unor | None:
        return await load_unor(info, self.instansi_id, self.parent_id)

    @strawberry.field(description="The unor induk.")
    async def induk(self, info: Info) -> Unor | None:
        return await load_unor(info, self.instansi_id, self.induk_id)


@strawberry.type
class Jabatan(FromProto, message=org_pb2.Jabatan):
    nama: str
    jenis: JenisJabatan | None
    jenjang: str | None = strawberry.field(description="JF jenjang, e.g. Ahli Pertama.")


# `unor` is not in the message: it is loaded (LazyUnor) only when the query reads it.
@strawberry.type(description="A civil servant (or JPT non-ASN) of an instansi.")
class Pegawai(FromProto, message=org_pb2.Pegawai, by_hand={"unor": lambda pb: None}):
    id: strawberry.ID
    instansi_id: strawberry.ID
    nip: str | None
    nik: str | None
    nama: str
    unor_id: strawberry.ID | None
    pimpinan: bool = strawberry.field(description="Head of their unor.")
    jabatan: Jabatan | None
    golongan: str | None
    pangkat: str | None
    tmt_jabatan: datetime.date | None
    non_asn: bool
    active: bool
    version: int

    unor: Unor | Awaitable[Unor | None] | None = strawberry.field(
        graphql_type=Unor | None, description="The unor the pegawai belongs to."
    )

    @classmethod
    def from_pb(cls, pb: org_pb2.Pegawai, context: Context | None = None) -> Pegawai:
        """The pegawai; its unor is loaded only if the query reads it (see LazyUnor)."""
        row = super().from_pb(pb)
        if context is not None and pb.unor_id:
            row.unor = LazyUnor(context, pb.instansi_id, pb.unor_id)
        return row

    @strawberry.field(description="Atasan, bawahan and rekan kerja on a date (default today).")
    async def relations(self, info: Info, as_of: datetime.date | None = None) -> Relations | None:
        loaders = info.context.record_loaders(self.instansi_id)
        pb = await loaders.relations.load((str(self.id), date_text(as_of)))
        return Relations.from_pb(pb, self.instansi_id) if pb is not None else None

    @strawberry.field(description="The pegawai's login account, when the caller may see it.")
    async def account(
        self, info: Info
    ) -> Annotated[Account, strawberry.lazy("gateway.api.identity.types")] | None:
        from gateway.api.identity.types import Account

        username = self.nip or self.nik
        if not username:
            return None
        pb = await info.context.record_loaders(self.instansi_id).account_by_username.load(username)
        return Account.from_pb(pb) if pb is not None else None


@strawberry.type(description="An acting assignment (PLT/PLH) of a pegawai as head of a unor.")
class Plt(FromProto, message=org_pb2.Plt):
    id: strawberry.ID
    instansi_id: strawberry.ID
    pegawai_id: strawberry.ID
    unor_id: strawberry.ID
    jabatan: str
    jenis: JenisPlt | None
    tanggal_mulai: datetime.date | None
    tanggal_selesai: datetime.date | None
    aktif: bool
    version: int

    @strawberry.field
    async def pegawai(self, info: Info) -> Pegawai | None:
        return await load_pegawai(info, self.instansi_id, self.pegawai_id)

    @strawberry.field
    async def unor(self, info: Info) -> Unor | None:
        return await load_unor(info, self.instansi_id, self.unor_id)


# Not derived: it carries the instansi of the records it names, which the message does not. The
# gateway reads relations without their bawahan and rekan kerja ids (omit_lists): those are connections
# served a page at a time by ListRelated, so a head of thousands costs the same as anyone.
@strawberry.type(description="Who is whose atasan, bawahan and rekan kerja, on a date.")
class Relations:
    pegawai_id: strawberry.ID
    atasan_langsung_id: strawberry.ID | None
    atasan_ii_id: strawberry.ID | None
    atasan_iii_id: strawberry.ID | None
    memimpin_unor_ids: list[strawberry.ID] = strawberry.field(
        description="Unor the pegawai leads, definitively or as active PLT/PLH."
    )
    overridden: list[str] = strawberry.field(description="Which relations come from a profile override.")
    as_of: datetime.date | None
    instansi_id: strawberry.Private[str]

    @classmethod
    def from_pb(cls, pb: org_pb2.Relations, instansi_id: str) -> Relations:
        return cls(
            pegawai_id=strawberry.ID(pb.pegawai_id),
            atasan_langsung_id=strawberry.ID(pb.atasan_langsung_id) if pb.atasan_langsung_id else None,
            atasan_ii_id=strawberry.ID(pb.atasan_ii_id) if pb.atasan_ii_id else None,
            atasan_iii_id=strawberry.ID(pb.atasan_iii_id) if pb.atasan_iii_id else None,
            memimpin_unor_ids=[strawberry.ID(i) for i in pb.memimpin_unor_ids],
            overridden=list(pb.overridden),
            as_of=date_or_none(pb.as_of),
            instansi_id=instansi_id,
        )

    @strawberry.field
    async def atasan_langsung(self, info: Info) -> Pegawai | None:
        return await load_pegawai(info, self.instansi_id, self.atasan_langsung_id)

    @strawberry.field
    async def atasan_ii(self, info: Info) -> Pegawai | None:
        return await load_pegawai(info, self.instansi_id, self.atasan_ii_id)

    @strawberry.field
    async def atasan_iii(self, info: Info) -> Pegawai | None:
        return await load_pegawai(info, self.instansi_id, self.atasan_iii_id)

    @strawberry.field(
        description=(
            "Bawahan on the relations' date, a page at a time, ordered by name (one ListRelated call per "
            "page, however many there are); totalCount is exact: the number of bawahan."
        )
    )
    async def bawahan(self, info: Info, first: int = 20, after: str | None = None) -> Connection[Pegawai]:
        return await related_page(info, self, org_pb2.RELATED_KIND_BAWAHAN, first, after)

    @strawberry.field(
        description=(
            "Rekan kerja on the relations' date, a page at a time, ordered by name (one ListRelated call "
            "per page); totalCount is exact: the number of rekan kerja."
        )
    )
    async def rekan_kerja(self, info: Info, first: int = 20, after: str | None = None) -> Connection[Pegawai]:
        return await related_page(info, self, org_pb2.RELATED_KIND_REKAN_KERJA, first, after)

    @strawberry.field
    async def memimpin_unor(self, info: Info) -> list[Unor]:
        loader = info.context.record_loaders(self.instansi_id).unor
        found = await loader.load_many([str(i) for i in self.memimpin_unor_ids])
        return [Unor.from_pb(pb) for pb in found if pb is not None]


async def related_page(
    info: Info,
    relations: Relations,
    kind: org_pb2.RelatedKind.ValueType,
    first: int,
    after: str | None,
) -> Connection[Pegawai]:
    """A page of bawahan or rekan kerja (ListRelated) for the relations' instansi and date; the page
    primes the pegawai loader, and its unor is loaded ahead in one batch when the query reads it."""
    context = info.context
    loaders = context.record_loaders(relations.instansi_id)
    page = await reads.list_related(
        context.clients,
        loaders.caller,
        str(relations.pegawai_id),
        kind,
        date_text(relations.as_of),
        first,
        after,
        context.max_page_size,
    )
    return await pegawai_connection(info, loaders, page)


async def pegawai_connection(
    info: Info, loaders: Loaders, page: reads.Page[org_pb2.Pegawai]
) -> Connection[Pegawai]:
    """A page of pegawai as a connection: the page primes the pegawai loader, and the unor of its rows
    is loaded ahead in one batch when the query reads it."""
    context = info.context
    for item in page.items:
        loaders.pegawai.prime(item.id, item)
    connection = Connection.from_page(page, lambda pb: Pegawai.from_pb(pb, context))
    if selects(info, "edges", "node", "unor"):
        await prefetch_unor(loaders, [edge.node for edge in connection.edges])
    return connection


async def load_unor(info: Info, instansi_id: str, unor_id: str | None) -> Unor | None:
    """A unor through the request's DataLoader (one BatchGetUnor per tick)."""
    if not unor_id:
        return None
    pb = await info.context.record_loaders(instansi_id).unor.load(str(unor_id))
    return Unor.from_pb(pb) if pb is not None else None


class LazyUnor:
    """A pegawai's unor as a plain attribute that loads (through the DataLoader) only when awaited.

    GraphQL reads a plain attribute far more cheaply than it calls a resolver, and awaits the
    attribute only when the query selects the field; lists replace it with the value (prefetch_unor).
    """

    __slots__ = ("_context", "_instansi_id", "_unor_id")

    def __init__(self, context: Context, instansi_id: str, unor_id: str) -> None:
        self._context = context
        self._instansi_id = instansi_id
        self._unor_id = unor_id

    def __await__(self) -> Generator[Any, None, Unor | None]:
        return self._load().__await__()

    async def _load(self) -> Unor | None:
        pb = await self._context.record_loaders(self._instansi_id).unor.load(self._unor_id)
        return Unor.from_pb(pb) if pb is not None else None


async def prefetch_unor(loaders: Loaders, pegawai: list[Pegawai]) -> None:
    """Loads the unor of a page of pegawai in one batch and sets each row's unor to its value.

    An awaitable per row would cost graphql-core a task per row; a value costs nothing.
    """
    ids = list(dict.fromkeys(str(p.unor_id) for p in pegawai if p.unor_id))
    found = await loaders.unor.load_many(ids)
    unor = {i: Unor.from_pb(pb) for i, pb in zip(ids, found, strict=True) if pb is not None}
    for row in pegawai:
        row.unor = unor.get(str(row.unor_id)) if row.unor_id else None


async def load_pegawai(info: Info, instansi_id: str, pegawai_id: str | None) -> Pegawai | None:
    """A pegawai through the request's DataLoader (one BatchGetPegawai per tick)."""
    if not pegawai_id:
        return None
    pb = await info.context.record_loaders(instansi_id).pegawai.load(str(pegawai_id))
    return Pegawai.from_pb(pb, info.context) if pb is not None else None
