"""GET /api/v1/pegawai: the pegawai list as typed JSON, from the same gRPC calls as GraphQL's pegawaiList."""

from __future__ import annotations

import datetime
from typing import Annotated

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, ConfigDict
from pydantic.alias_generators import to_camel

from gateway import reads
from gateway.state import gateway_state, tenant_caller
from kinerja.org.v1 import org_pb2

router = APIRouter(prefix="/api/v1", tags=["pegawai"])


class _Out(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True)


class UnorRef(_Out):
    id: str
    nama: str


class JabatanOut(_Out):
    nama: str
    jenis: str | None
    jenjang: str | None


class PegawaiOut(_Out):
    id: str
    nip: str | None
    nik: str | None
    nama: str
    pimpinan: bool
    jabatan: JabatanOut | None
    golongan: str | None
    pangkat: str | None
    tmt_jabatan: datetime.date | None
    unor: UnorRef | None


class PegawaiPage(_Out):
    items: list[PegawaiOut]
    # Counted up to 1,000 (as GraphQL's totalCount); total_count_exact false: there are at least that many.
    total_count: int
    total_count_exact: bool
    has_next_page: bool
    end_cursor: str | None


def _jenis_jabatan(value: int) -> str | None:
    if not value:
        return None
    return org_pb2.JenisJabatan.Name(value).removeprefix("JENIS_JABATAN_")  # type: ignore[arg-type]


def _item(pb: org_pb2.Pegawai, unor: org_pb2.Unor | None) -> PegawaiOut:
    jabatan = pb.jabatan
    return PegawaiOut(
        id=pb.id,
        nip=pb.nip or None,
        nik=pb.nik or None,
        nama=pb.nama,
        pimpinan=pb.pimpinan,
        jabatan=JabatanOut(
            nama=jabatan.nama, jenis=_jenis_jabatan(jabatan.jenis), jenjang=jabatan.jenjang or None
        )
        if pb.HasField("jabatan")
        else None,
        golongan=pb.golongan or None,
        pangkat=pb.pangkat or None,
        tmt_jabatan=datetime.date.fromisoformat(pb.tmt_jabatan) if pb.tmt_jabatan else None,
        unor=UnorRef(id=unor.id, nama=unor.nama) if unor is not None else None,
    )


@router.get("/pegawai", response_model=PegawaiPage, summary="A page of pegawai with their unor")
async def list_pegawai(
    request: Request,
    first: Annotated[int, Query(ge=1)] = 20,
    after: str | None = None,
    query: str = "",
    unor_id: Annotated[str, Query(alias="unorId")] = "",
    include_sub_unor: Annotated[bool, Query(alias="includeSubUnor")] = False,
    only_pimpinan: Annotated[bool, Query(alias="onlyPimpinan")] = False,
    instansi_id: Annotated[str | None, Query(alias="instansiId")] = None,
) -> PegawaiPage:
    state = gateway_state(request)
    caller = await tenant_caller(request, instansi_id)
    filters = reads.PegawaiFilterArgs(
        query=query, unor_id=unor_id, include_sub_unor=include_sub_unor, only_pimpinan=only_pimpinan
    )
    page = await reads.search_pegawai(
        state.clients, caller, first, after, filters, state.settings.max_page_size
    )
    unor = await reads.batch_get_unor(state.clients, caller, (p.unor_id for p in page.items))
    return PegawaiPage(
        items=[_item(p, unor.get(p.unor_id)) for p in page.items],
        total_count=page.total_count or 0,
        total_count_exact=page.total_count_exact,
        has_next_page=page.has_next_page,
        end_cursor=page.end_cursor,
    )
