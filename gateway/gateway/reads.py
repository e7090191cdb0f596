"""Read calls shared by the GraphQL resolvers and the JSON API: paging over a service's page tokens."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, replace
from typing import Any, Generic, TypeVar

import grpc
from google.protobuf.message import Message
from strawberry.dataloader import DataLoader

from gateway.clients import ServiceClients, call
from gateway.tenancy import Caller
from kinerja.angka_kredit.v1 import angka_kredit_pb2
from kinerja.assessment.v1 import assessment_pb2
from kinerja.identity.v1 import identity_pb2
from kinerja.org.v1 import org_pb2
from kinerja.skp.v1 import skp_pb2
from kinerja_kit.errors import DomainError, FieldViolation, InvalidArgument

T = TypeVar("T")

BATCH_LIMIT = 1000
"""The most ids the services take in one Batch* call (kinerja_kit.handlers.MAX_BATCH, identity's
BatchGetAccounts): the DataLoaders split larger loads into batches of this size."""

# fetch(page_size, page_token) -> (items, next_page_token, total_count or None[, total_count_exact]):
# a list whose count stops at the services' count limit answers whether it stopped as a fourth item.
Fetched = tuple[Sequence[T], str, int | None] | tuple[Sequence[T], str, int | None, bool]
Fetch = Callable[[int, str], Awaitable[Fetched[T]]]


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a connection: the items, a cursor after each, and where the next page starts."""

    items: list[T]
    cursors: list[str]
    has_next_page: bool
    end_cursor: str | None
    total_count: int | None
    # False when the service stopped counting at its count limit: there are at least total_count.
    total_count_exact: bool = True


async def whole_items(page: Page[T], loader: DataLoader[str, Any]) -> Page[T]:
    """The page with each item replaced by its whole version from a batch loader (the list RPC leaves
    the content out): one batch call for the page; an item the loader does not find stays as listed."""
    found = await loader.load_many([item.id for item in page.items])  # type: ignore[attr-defined]
    whole = {item.id: item for item in found if item is not None}
    return replace(page, items=[whole.get(item.id, item) for item in page.items])  # type: ignore[attr-defined]


def encode_cursor(page_token: str, skip: int) -> str:
    """A cursor is the service's page token plus how many items of that page come before it."""
    return base64.urlsafe_b64encode(f"{skip}:{page_token}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[str, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        skip, _, token = raw.partition(":")
        value = int(skip)
        if value < 0:
            raise ValueError(cursor)
        return token, value
    except (ValueError, binascii.Error, UnicodeDecodeError) as exc:
        raise InvalidArgument(
            [FieldViolation("after", "CURSOR_INVALID", "Kursor halaman tidak valid.")]
        ) from exc


def check_page_size(first: int, maximum: int) -> None:
    """A simple cost limit: a page holds 1..maximum items."""
    if first < 1 or first > maximum:
        raise InvalidArgument(
            [
                FieldViolation(
                    "first", "PAGE_SIZE_OUT_OF_RANGE", f"Jumlah per halaman harus 1 sampai {maximum}."
                )
            ]
        )


async def paginate(fetch: Fetch[T], first: int, after: str | None, maximum: int) -> Page[T]:
    """Fetches `first` items after the cursor `after` (None: from the start)."""
    check_page_size(first, maximum)
    token, skip = decode_cursor(after) if after else ("", 0)
    if skip >= maximum:
        raise InvalidArgument([FieldViolation("after", "CURSOR_INVALID", "Kursor halaman tidak valid.")])
    answer = await fetch(min(first + skip, maximum), token)
    fetched, next_token, total = answer[0], answer[1], answer[2]
    exact = answer[3] if len(answer) == 4 else True
    items = list(fetched[skip : skip + first])
    more_here = len(fetched) > skip + first
    cursors = [encode_cursor(token, skip + i + 1) for i in range(len(items))]
    if items and not more_here and next_token:
        cursors[-1] = encode_cursor(next_token, 0)
    return Page(
        items=items,
        cursors=cursors,
        has_next_page=more_here or bool(next_token),
        end_cursor=cursors[-1] if cursors else None,
        total_count=total,
        total_count_exact=exact,
    )


async def service_page(
    rpc: Callable[..., Awaitable[Any]],
    request: Message,
    items: str,
    caller: Caller,
    first: int,
    after: str | None,
    maximum: int,
    *,
    bounded: bool = True,
) -> Page[Any]:
    """A page of a list RPC taking `page_size` and `page_token` (`request` carries its filters; one call
    a page): its repeated field `items`, `next_page_token` and `total_count`, and `total_count_exact` when
    the service's count is `bounded` (stops at its count limit); an exact count says True."""

    async def fetch(page_size: int, page_token: str) -> Fetched[Any]:
        asked = type(request)()
        asked.CopyFrom(request)
        asked.page_size, asked.page_token = page_size, page_token  # type: ignore[attr-defined]
        response = await call(rpc, asked, caller)
        found, token, total = getattr(response, items), response.next_page_token, response.total_count
        return (found, token, total, response.total_count_exact) if bounded else (found, token, total)

    return await paginate(fetch, first, after, maximum)


@dataclass(frozen=True)
class PegawaiFilterArgs:
    """The filters SearchPegawai understands (its request's field names)."""

    query: str = ""
    unor_id: str = ""
    include_sub_unor: bool = False
    jenis_jabatan: int = 0
    only_pimpinan: bool = False


async def search_pegawai(
    clients: ServiceClients,
    caller: Caller,
    first: int,
    after: str | None,
    filters: PegawaiFilterArgs,
    maximum: int,
) -> Page[org_pb2.Pegawai]:
    """A page of pegawai of the caller's instansi (one SearchPegawai call); its count stops at the
    service's count limit (total_count_exact)."""
    request = org_pb2.SearchPegawaiRequest(**asdict(filters))
    return await service_page(clients.org.SearchPegawai, request, "pegawai", caller, first, after, maximum)


async def list_related(
    clients: ServiceClients,
    caller: Caller,
    pegawai_id: str,
    kind: org_pb2.RelatedKind.ValueType,
    as_of: str,
    first: int,
    after: str | None,
    maximum: int,
) -> Page[org_pb2.Pegawai]:
    """A page of a pegawai's bawahan or rekan kerja on a day, by name (one ListRelated call); the
    count is exact (bounded by the unit, not the instansi)."""
    request = org_pb2.ListRelatedRequest(pegawai_id=pegawai_id, kind=kind, as_of=as_of)
    return await service_page(
        clients.org.ListRelated, request, "pegawai", caller, first, after, maximum, bounded=False
    )


async def list_unor_children(
    clients: ServiceClients, caller: Caller, parent_id: str, first: int, after: str | None, maximum: int
) -> Page[org_pb2.Unor]:
    """A page of one level of the unor tree, by name: the children of `parent_id` ("" for the roots)
    (one ListUnorChildren call)."""
    request = org_pb2.ListUnorChildrenRequest(parent_id=parent_id)
    return await service_page(clients.org.ListUnorChildren, request, "unor", caller, first, after, maximum)


async def list_plt(
    clients: ServiceClients,
    caller: Caller,
    filters: org_pb2.ListPltRequest,
    first: int,
    after: str | None,
    maximum: int,
) -> Page[org_pb2.Plt]:
    """A page of PLT/PLH, newest first (one ListPlt call with the `filters`' pegawai, unor and
    only_active); its count stops at the service's count limit (total_count_exact)."""
    return await service_page(clients.org.ListPlt, filters, "plt", caller, first, after, maximum)


async def batch_get_unor(
    clients: ServiceClients, caller: Caller, ids: Iterable[str]
) -> dict[str, org_pb2.Unor]:
    """Unor by id (one BatchGetUnor call); unknown ids are left out."""
    wanted = list(dict.fromkeys(i for i in ids if i))
    if not wanted:
        return {}
    response = await call(clients.org.BatchGetUnor, org_pb2.BatchGetUnorRequest(ids=wanted), caller)
    return {u.id: u for u in response.unor}


async def batch_get_pegawai(
    clients: ServiceClients, caller: Caller, ids: Iterable[str]
) -> dict[str, org_pb2.Pegawai]:
    """Pegawai by id (one BatchGetPegawai call); unknown ids are left out."""
    wanted = list(dict.fromkeys(i for i in ids if i))
    if not wanted:
        return {}
    response = await call(clients.org.BatchGetPegawai, org_pb2.BatchGetPegawaiRequest(ids=wanted), caller)
    return {p.id: p for p in response.pegawai}


async def batch_get_relations(
    clients: ServiceClients, caller: Caller, ids: Iterable[str], as_of: str, omit_lists: bool = True
) -> dict[str, org_pb2.Relations]:
    """Relations of several pegawai on one date (one BatchGetRelations call). With `omit_lists` (the
    gateway's reads) without bawahan and rekan kerja ids: they are read a page at a time (list_related),
    so the answer costs each pegawai's chain of atasan only."""
    wanted = list(dict.fromkeys(i for i in ids if i))
    if not wanted:
        return {}
    request = org_pb2.BatchGetRelationsRequest(pegawai_ids=wanted, as_of=as_of, omit_lists=omit_lists)
    response = await call(clients.org.BatchGetRelations, request, caller)
    return {r.pegawai_id: r for r in response.relations}


async def batch_get_accounts(
    clients: ServiceClients, caller: Caller, usernames: Iterable[str]
) -> dict[str, identity_pb2.Account]:
    """Accounts by NIP/NIK (one BatchGetAccounts call); unknown ones and those the caller may not
    see are left out."""
    wanted = list(dict.fromkeys(u for u in usernames if u))
    if not wanted:
        return {}
    request = identity_pb2.BatchGetAccountsRequest(usernames=wanted)
    response = await call(clients.identity.BatchGetAccounts, request, caller)
    return {a.username: a for a in response.accounts}


@dataclass(frozen=True)
class SkpFilterArgs:
    """The scope and filters ListSkp understands (its request's field names)."""

    scope: skp_pb2.SkpScope.ValueType = skp_pb2.SKP_SCOPE_SAYA
    tahun: int = 0
    status: skp_pb2.StatusSkp.ValueType = skp_pb2.STATUS_SKP_UNSPECIFIED
    periode_id: str = ""
    query: str = ""
    unor_id: str = ""


async def list_skp(
    clients: ServiceClients,
    caller: Caller,
    first: int,
    after: str | None,
    filters: SkpFilterArgs,
    maximum: int,
) -> Page[skp_pb2.Skp]:
    """A page of SKPs in a scope (one ListSkp call); each without rhk and perilaku, counts filled; its
    count stops at the service's count limit (total_count_exact)."""
    request = skp_pb2.ListSkpRequest(**asdict(filters))
    return await service_page(clients.skp.ListSkp, request, "skp", caller, first, after, maximum)


async def list_mph(
    clients: ServiceClients,
    caller: Caller,
    unor_id: str,
    tahun: int,
    first: int,
    after: str | None,
    maximum: int,
) -> Page[skp_pb2.MatriksPeranHasil]:
    """A page of matriks peran hasil of the instansi or of a unit (and year), newest first (one
    ListMatriksPeranHasil call); its count stops at the service's count limit (total_count_exact)."""
    request = skp_pb2.ListMatriksPeranHasilRequest(unor_id=unor_id, tahun=tahun)
    return await service_page(
        clients.skp.ListMatriksPeranHasil, request, "matriks", caller, first, after, maximum
    )


async def batch_get_skp(
    clients: ServiceClients, caller: Caller, ids: Iterable[str]
) -> dict[str, skp_pb2.Skp]:
    """Whole SKPs by id (one BatchGetSkp call); unknown ids and those the caller may not see are left out."""
    wanted = list(dict.fromkeys(i for i in ids if i))
    if not wanted:
        return {}
    response = await call(clients.skp.BatchGetSkp, skp_pb2.BatchGetSkpRequest(ids=wanted), caller)
    return {s.id: s for s in response.skp}


async def batch_get_penilaian(
    clients: ServiceClients, caller: Caller, ids: Iterable[str]
) -> dict[str, assessment_pb2.Penilaian]:
    """Whole penilaian by id (one BatchGetPenilaian call); unknown ids and those the caller may not read
    are left out."""
    wanted = list(dict.fromkeys(i for i in ids if i))
    if not wanted:
        return {}
    request = assessment_pb2.BatchGetPenilaianRequest(ids=wanted)
    response = await call(clients.assessment.BatchGetPenilaian, request, caller)
    return {p.id: p for p in response.penilaian}


async def batch_get_pak(
    clients: ServiceClients, caller: Caller, ids: Iterable[str]
) -> dict[str, angka_kredit_pb2.Pak]:
    """Whole PAK by id (one BatchGetPak call); unknown ids and those the caller may not read are left out."""
    wanted = list(dict.fromkeys(i for i in ids if i))
    if not wanted:
        return {}
    request = angka_kredit_pb2.BatchGetPakRequest(ids=wanted)
    response = await call(clients.angka_kredit.BatchGetPak, request, caller)
    return {p.id: p for p in response.pak}


async def pola_distribusi_or_none(
    clients: ServiceClients, caller: Caller, unor_id: str, periode_id: str, tahun: int
) -> assessment_pb2.PolaDistribusi | None:
    """The pola distribusi of a unit kerja in a periode; None when missing or not the caller's to read."""
    request = assessment_pb2.GetPolaDistribusiRequest(unor_id=unor_id, periode_id=periode_id, tahun=tahun)
    try:
        return await call(clients.assessment.GetPolaDistribusi, request, caller)
    except DomainError as err:
        if err.grpc_code in (grpc.StatusCode.NOT_FOUND, grpc.StatusCode.PERMISSION_DENIED):
            return None
        raise


async def or_none(result: Awaitable[T]) -> T | None:
    """The result, or None when the service answers NOT_FOUND."""
    try:
        return await result
    except DomainError as err:
        if err.grpc_code == grpc.StatusCode.NOT_FOUND:
            return None
        raise
